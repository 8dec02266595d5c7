using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Threading;
using ConvGen.Benchmarks.Shared;

namespace ConvGen.Benchmarks.Quick;

/// <summary>
/// The FP32 FMA ceiling of this machine (DESIGN.md §7): each thread runs a loop of independent
/// fused multiply-add chains on registers only (no memory traffic), enough chains to cover the
/// FMA latency on both pipes. Zen 4 splits a 512-bit FMA into two 256-bit halves, so Vector512
/// and Vector256 should reach the same figure. Kernel figures are quoted as a share of this.
/// </summary>
internal static class PeakProbe
{
    // 12 chains: FMA latency (4 cycles on Zen 4) x 2 pipes = 8 in flight at least, with margin.
    private const int Chains = 12;

    public static Command CreateCommand()
    {
        var seconds = new Option<double>("--seconds") { Description = "Length of one timed run.", DefaultValueFactory = _ => 0.5 };
        var repeats = new Option<int>("--repeats") { Description = "Runs per configuration; the best and the median are reported.", DefaultValueFactory = _ => 5 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this path." };
        var command = new Command("peak", "FP32 FMA peak GFLOP/s with Vector512 and Vector256, on 1 thread and on all cores.") { seconds, repeats, json };
        command.SetAction(parse => Run(parse.GetValue(seconds), parse.GetValue(repeats), parse.GetValue(json)));
        return command;
    }

    private static int Run(double seconds, int repeats, string? json)
    {
        string loadBefore = Machine.LoadAverage();
        var results = new List<Dictionary<string, object>>();
        var threadCounts = new[] { 1, Environment.ProcessorCount }.Distinct();
        foreach (int width in new[] { 512, 256 })
        {
            if (width == 512 && !Vector512.IsHardwareAccelerated || width == 256 && !Vector256.IsHardwareAccelerated)
            {
                Console.WriteLine($"Vector{width}: not hardware accelerated here, skipped.");
                continue;
            }
            foreach (int threads in threadCounts)
            {
                Measure(width, threads, 0.2); // warm-up: tier-1 code, clocks up
                var gflops = Enumerable.Range(0, repeats).Select(_ => Measure(width, threads, seconds)).ToArray();
                double best = gflops.Max();
                double median = ThroughputCli.Median(gflops);
                Console.WriteLine($"Vector{width} x {threads} thread(s): best {best:F1} GFLOP/s ({best / threads:F1} per core), median {median:F1}");
                results.Add(new Dictionary<string, object>
                {
                    ["vector_bits"] = width,
                    ["threads"] = threads,
                    ["best_gflops"] = Math.Round(best, 2),
                    ["median_gflops"] = Math.Round(median, 2),
                    ["best_gflops_per_core"] = Math.Round(best / threads, 2),
                });
            }
        }
        string loadAfter = Machine.LoadAverage();
        Console.WriteLine($"machine: {Machine.CpuModel()}, {Environment.ProcessorCount} cores; load {loadBefore} -> {loadAfter}");
        if (json is not null)
        {
            var report = new Dictionary<string, object>
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["machine"] = Machine.CpuModel(),
                ["cores"] = Environment.ProcessorCount,
                ["load_average_before"] = loadBefore,
                ["load_average_after"] = loadAfter,
                ["results"] = results,
            };
            File.WriteAllText(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        }
        return 0;
    }

    /// <summary>Total GFLOP/s of <paramref name="threads"/> threads each running FMA chains for about <paramref name="seconds"/>.</summary>
    private static double Measure(int width, int threads, double seconds)
    {
        // Size the run from a short calibration so every thread does the same fixed work.
        long iterations = 1 << 16;
        double calibration = Time(width, 1, iterations);
        iterations = Math.Max(iterations, (long)(iterations * seconds / calibration));
        double elapsed = Time(width, threads, iterations);
        long flopsPerIteration = (long)Chains * (width / 32) * 2;
        return (double)iterations * flopsPerIteration * threads / elapsed / 1e9;
    }

    /// <summary>Seconds from the first thread's start to the last thread's end (each thread stamps its own loop).</summary>
    private static double Time(int width, int threads, long iterations)
    {
        using var ready = new Barrier(threads);
        var starts = new long[threads];
        var ends = new long[threads];
        var sink = new float[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            ready.SignalAndWait();
            starts[t] = Stopwatch.GetTimestamp();
            sink[t] = width == 512 ? Chains512(iterations) : Chains256(iterations);
            ends[t] = Stopwatch.GetTimestamp();
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        GC.KeepAlive(sink);
        return (ends.Max() - starts.Min()) / (double)Stopwatch.Frequency;
    }

    // Twelve independent accumulators, each a chain acc = acc * m + a; m slightly below 1 keeps
    // the values finite and normal for any iteration count.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long iterations)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-6f);
        Vector512<float> c0 = Vector512.Create(1.0f), c1 = Vector512.Create(1.1f), c2 = Vector512.Create(1.2f), c3 = Vector512.Create(1.3f);
        Vector512<float> c4 = Vector512.Create(1.4f), c5 = Vector512.Create(1.5f), c6 = Vector512.Create(1.6f), c7 = Vector512.Create(1.7f);
        Vector512<float> c8 = Vector512.Create(1.8f), c9 = Vector512.Create(1.9f), c10 = Vector512.Create(2.0f), c11 = Vector512.Create(2.1f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1e-6f);
        Vector256<float> c0 = Vector256.Create(1.0f), c1 = Vector256.Create(1.1f), c2 = Vector256.Create(1.2f), c3 = Vector256.Create(1.3f);
        Vector256<float> c4 = Vector256.Create(1.4f), c5 = Vector256.Create(1.5f), c6 = Vector256.Create(1.6f), c7 = Vector256.Create(1.7f);
        Vector256<float> c8 = Vector256.Create(1.8f), c9 = Vector256.Create(1.9f), c10 = Vector256.Create(2.0f), c11 = Vector256.Create(2.1f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
