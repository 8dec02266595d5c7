using System;
using System.CommandLine;
using System.Linq;
using System.Runtime.InteropServices;
using ConvGen.Benchmarks.Layers;
using ConvGen.Benchmarks.Shared;

namespace ConvGen.Benchmarks.Quick;

/// <summary>
/// <see cref="DenseLayerBenchmarks"/>' three passes timed by the thread's CPU time rather than the
/// wall clock: on a machine shared with other jobs, the time slices they take do not count, so
/// before/after comparisons hold up under load (their cache traffic still does).
/// </summary>
internal static class DenseProbe
{
    public static Command CreateCommand()
    {
        var layer = new Option<string>("--layer") { Description = "A Dense layer case, net.layer.", DefaultValueFactory = _ => "fashion.dense1" };
        var batch = new Option<int>("--batch") { Description = "Samples per pass.", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed calls per pass; the best and the median are reported.", DefaultValueFactory = _ => 40 };
        var peak = new Option<double>("--peak") { Description = "FMA peak GFLOP/s of one core (the peak mode measures it).", DefaultValueFactory = _ => 188.6 };
        var command = new Command("dense", "A large Dense layer's forward, input gradient and deferred weight gradient, GFLOP/s by thread CPU time.") { layer, batch, repeats, peak };
        command.SetAction(parse => Run(parse.GetValue(layer)!, parse.GetValue(batch), parse.GetValue(repeats), parse.GetValue(peak)));
        return command;
    }

    private static int Run(string layer, int batch, int repeats, double peak)
    {
        var bench = new DenseLayerBenchmarks { Layer = layer, Batch = batch };
        bench.Setup();
        var (inputs, units) = DenseLayerBenchmarks.Shape(layer)!.Value;
        double flops = 2.0 * batch * inputs * units;
        Console.WriteLine($"{layer}: {inputs} x {units}, batch {batch}, load {Machine.LoadAverage()}");
        foreach (var (name, pass) in new (string, Action)[] { ("Forward", bench.Forward), ("InputGradient", bench.InputGradient), ("WeightGradient", bench.WeightGradient) })
        {
            for (int w = 0; w < 5; w++) pass();
            var gflops = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                long start = ThreadNanoseconds();
                pass();
                gflops[r] = flops / (ThreadNanoseconds() - start);
            }
            double best = gflops.Max(), median = ThroughputCli.Median(gflops);
            Console.WriteLine($"  {name,-15} best {best,6:F1} GFLOP/s ({100 * best / peak,5:F1}% of peak), median {median,6:F1} ({100 * median / peak,5:F1}%)");
        }
        return 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    private static long ThreadNanoseconds()
    {
        ClockGetTime(ThreadCpuTime, out var time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }
}
