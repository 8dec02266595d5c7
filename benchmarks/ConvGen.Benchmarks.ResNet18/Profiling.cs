using System;
using System.Diagnostics;
using System.Linq;

namespace ConvGen.Benchmarks.ResNet18;

/// <summary>
/// `profile`: ConvGen's forward of the inference benchmark in a loop for a fixed time, outside
/// BenchmarkDotNet, so that `perf record` sees one configuration in one process. Prints the
/// median pass; the figures to quote are BenchmarkDotNet's.
/// </summary>
internal static class Profiling
{
    public static int Run(string[] args)
    {
        int batch = 1, threads = 1;
        double seconds = 10;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            bool parsed = args[i] switch
            {
                "--batch" => int.TryParse(args[i + 1], out batch) && batch > 0,
                "--threads" => int.TryParse(args[i + 1], out threads) && threads > 0,
                "--seconds" => double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out seconds) && seconds > 0,
                _ => false,
            };
            if (!parsed)
            {
                Console.Error.WriteLine($"profile: '{args[i]} {args[i + 1]}' is not an option with a positive value; usage: profile [--batch 1] [--threads 1] [--seconds 10]");
                return 2;
            }
        }
        var benchmark = new ResNet18Inference { Batch = batch, Threads = threads };
        benchmark.Setup();
        // The same warm-up as the BenchmarkDotNet job: every method promoted by tiered compilation.
        for (int i = 0; i < 35; i++) benchmark.ConvGen();
        var passes = new System.Collections.Generic.List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            benchmark.ConvGen();
            passes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        benchmark.Cleanup();
        passes.Sort();
        Console.WriteLine($"ConvGen ResNet-18 batch {batch}, {threads} thread(s): median {passes[passes.Count / 2]:0.00} ms over {passes.Count} passes (fastest {passes[0]:0.00}).");
        return 0;
    }
}
