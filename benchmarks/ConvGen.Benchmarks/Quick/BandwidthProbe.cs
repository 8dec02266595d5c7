using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Threading;
using ConvGen.Benchmarks.Shared;

namespace ConvGen.Benchmarks.Quick;

/// <summary>
/// The memory bandwidth of this machine, STREAM's way: <c>copy</c> (<c>b = a</c>) and
/// <c>triad</c> (<c>c = a + s * b</c>) over arrays far larger than the caches, on 1 thread and on
/// all cores (each thread its own contiguous share). Bytes are counted as STREAM counts them
/// (every array read or written once: 8 bytes per float of copy, 12 of triad; the cache's extra
/// read of a written line is not counted). A memory-bound kernel's GB/s (the depthwise layers
/// of <c>LayerBenchmarks</c>) is quoted as a share of this figure.
/// </summary>
internal static class BandwidthProbe
{
    public static Command CreateCommand()
    {
        var megabytes = new Option<int>("--megabytes") { Description = "Size of each array in MB (far above the last-level cache).", DefaultValueFactory = _ => 256 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per configuration; the best and the median are reported.", DefaultValueFactory = _ => 7 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this path." };
        var command = new Command("bandwidth", "Memory bandwidth GB/s (STREAM copy and triad), on 1 thread and on all cores.") { megabytes, repeats, json };
        command.SetAction(parse => Run(parse.GetValue(megabytes), parse.GetValue(repeats), parse.GetValue(json)));
        return command;
    }

    private static int Run(int megabytes, int repeats, string? json)
    {
        if (megabytes is < 8 or > 4096 || repeats is < 1 or > 1000)
        {
            Console.Error.WriteLine($"bandwidth: --megabytes must be 8..4096 (got {megabytes}) and --repeats 1..1000 (got {repeats}).");
            return 2;
        }
        string loadBefore = Machine.LoadAverage();
        int length = megabytes * (1 << 20) / sizeof(float);
        var a = new float[length];
        var b = new float[length];
        var c = new float[length];
        Array.Fill(a, 1f);
        Array.Fill(b, 2f);
        Array.Fill(c, 0f); // touches every page before the timing
        var results = new List<Dictionary<string, object>>();
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            foreach (var (name, floatsMoved) in new[] { ("copy", 2), ("triad", 3) })
            {
                Pass(name, threads, a, b, c); // warm-up
                var gbs = Enumerable.Range(0, repeats).Select(_ => (double)floatsMoved * sizeof(float) * length / Pass(name, threads, a, b, c) / 1e9).ToArray();
                double best = gbs.Max();
                double median = ThroughputCli.Median(gbs);
                Console.WriteLine($"{name,-5} x {threads} thread(s): best {best:F1} GB/s, median {median:F1}");
                results.Add(new Dictionary<string, object>
                {
                    ["kernel"] = name,
                    ["threads"] = threads,
                    ["best_gbs"] = Math.Round(best, 2),
                    ["median_gbs"] = Math.Round(median, 2),
                });
            }
        }
        string loadAfter = Machine.LoadAverage();
        Console.WriteLine($"arrays of {megabytes} MB; machine: {Machine.CpuModel()}, {Environment.ProcessorCount} cores; load {loadBefore} -> {loadAfter}");
        Console.WriteLine("Set CONVGEN_BANDWIDTH_GBS to the 1-thread triad figure for LayerBenchmarks' '% bandwidth' column.");
        if (json is not null)
        {
            var report = new Dictionary<string, object>
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["machine"] = Machine.CpuModel(),
                ["cores"] = Environment.ProcessorCount,
                ["array_megabytes"] = megabytes,
                ["load_average_before"] = loadBefore,
                ["load_average_after"] = loadAfter,
                ["results"] = results,
            };
            File.WriteAllText(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        }
        return 0;
    }

    /// <summary>Seconds from the first thread's start to the last thread's end, each thread on its own contiguous share of the arrays.</summary>
    private static double Pass(string kernel, int threads, float[] a, float[] b, float[] c)
    {
        using var ready = new Barrier(threads);
        var starts = new long[threads];
        var ends = new long[threads];
        int share = a.Length / threads / 64 * 64;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            int start = t * share;
            int count = t == threads - 1 ? a.Length - start : share;
            ready.SignalAndWait();
            starts[t] = Stopwatch.GetTimestamp();
            if (kernel == "copy")
            {
                Copy(a.AsSpan(start, count), b.AsSpan(start, count));
            }
            else
            {
                Triad(a.AsSpan(start, count), b.AsSpan(start, count), c.AsSpan(start, count), 3f);
            }
            ends[t] = Stopwatch.GetTimestamp();
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        return (ends.Max() - starts.Min()) / (double)Stopwatch.Frequency;
    }

    /// <summary><c>target = source</c>, one vector load and store per step (no library copy: it may use non-temporal stores a kernel does not).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Copy(ReadOnlySpan<float> source, Span<float> target)
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(target);
        int full = source.Length / Vector256<float>.Count * Vector256<float>.Count;
        for (int i = 0; i < full; i += Vector256<float>.Count)
        {
            Vector256.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
        }
        for (int i = full; i < source.Length; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
        }
    }

    /// <summary><c>target = a + scale * b</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Triad(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target, float scale)
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        ref float d = ref MemoryMarshal.GetReference(target);
        var s = Vector256.Create(scale);
        int full = a.Length / Vector256<float>.Count * Vector256<float>.Count;
        for (int i = 0; i < full; i += Vector256<float>.Count)
        {
            Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref y, (nuint)i), s, Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        for (int i = full; i < a.Length; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref x, i) + scale * Unsafe.Add(ref y, i);
        }
    }
}
