// Shared by ConvGen.Benchmarks and ConvGen.Benchmarks.Torch (linked into both projects), so the
// two `throughput` commands take the same options, time the same way and write the same JSON keys.
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ConvGen.Benchmarks.Shared;

/// <summary>What one framework must provide to be measured by <see cref="ThroughputCli"/>.</summary>
public interface IThroughputSubject : IDisposable
{
    /// <summary>Framework name for the report (ConvGen, TorchSharp).</summary>
    string Framework { get; }

    /// <summary>Forward multiply-adds of one image through conv and dense layers.</summary>
    long ForwardMacsPerImage { get; }

    /// <summary>
    /// Trained values (weights, biases, BatchNorm scale and shift; not BatchNorm's running
    /// statistics): equal in both frameworks when they build the same network.
    /// </summary>
    long TrainableParameters { get; }

    /// <summary>
    /// Trains <paramref name="epochs"/> passes over the fixed synthetic training set of
    /// <see cref="ThroughputSettings.Samples"/> images (full steps: forward, loss, backward,
    /// gradient reduction, SGD update); returns the seconds of each epoch.
    /// </summary>
    IReadOnlyList<double> TrainEpochs(int epochs);

    /// <summary>Runs <paramref name="calls"/> inference calls of one batch per block; returns seconds per block.</summary>
    IReadOnlyList<double> InferBlocks(int calls, int blocks);
}

/// <summary>Options of the <c>throughput</c> command.</summary>
/// <param name="Samples">Size of the synthetic training set, a multiple of <paramref name="Batch"/>: one epoch is Samples / Batch full steps.</param>
public sealed record ThroughputSettings(string Net, int Batch, int Threads, int Blocks, double WarmupSeconds, double BlockSeconds, int Samples, string? Json)
{
    /// <summary>Threads actually used: a batch is not split finer than one image per thread (as Trainer.Fit does).</summary>
    public int EffectiveThreads => Math.Min(Threads, Batch);

    /// <summary>Training steps per epoch.</summary>
    public int StepsPerEpoch => Samples / Batch;
}

/// <summary>
/// The <c>throughput</c> command: warm up for a while, size a block to last about
/// <c>--block-seconds</c>, then time <c>--blocks</c> blocks of training and of inference and report
/// the median images per second (and GFLOP/s: forward = 2 x MACs, training = 3 x forward).
/// </summary>
public static class ThroughputCli
{
    public static readonly string[] Networks = { "seed", "lenet", "fashion", "mobilenet", "unet" };

    /// <summary>Largest <c>--batch</c>: the inference workspaces hold a whole batch of activations.</summary>
    public const int MaxBatch = 256;

    /// <summary>Largest <c>--samples</c>: the synthetic set is held in memory (4,096 seed images are 315 MB).</summary>
    public const int MaxSamples = 4096;

    /// <summary>Largest <c>--threads</c>; a batch is never split finer than one image per thread anyway.</summary>
    public const int MaxThreads = 1024;

    /// <summary>Largest <c>--blocks</c>.</summary>
    public const int MaxBlocks = 100;

    /// <summary>Longest <c>--warmup-seconds</c> and <c>--block-seconds</c>.</summary>
    public const double MaxSeconds = 600;

    /// <summary>The command; <paramref name="name"/> is <c>throughput</c> in the benchmarks and <c>bench</c> in the convgen tool.</summary>
    public static Command CreateCommand(Func<ThroughputSettings, IThroughputSubject> createSubject, string name = "throughput")
    {
        // Every value is checked while parsing (a usage error, exit code 2, with the allowed range),
        // so no run starts that would overflow, exhaust memory or never end.
        var net = new Option<string>("--net") { Description = "Network: seed, lenet, fashion, mobilenet or unet (per-pixel classes).", DefaultValueFactory = _ => "seed" };
        net.AcceptOnlyFromAmong(Networks);
        var batch = OptionRanges.WholeNumber(new Option<int>("--batch") { Description = $"Images per training step and per inference call (1 to {MaxBatch}).", DefaultValueFactory = _ => 32 }, 1, MaxBatch);
        var threads = OptionRanges.WholeNumber(new Option<int>("--threads") { Description = $"Threads that split each batch (at most the batch; 1 to {MaxThreads}).", DefaultValueFactory = _ => Math.Min(Environment.ProcessorCount, MaxThreads) }, 1, MaxThreads);
        var blocks = OptionRanges.WholeNumber(new Option<int>("--blocks") { Description = $"Timed blocks; the median is reported (1 to {MaxBlocks}).", DefaultValueFactory = _ => 7 }, 1, MaxBlocks);
        var warmup = Seconds(new Option<double>("--warmup-seconds") { Description = $"Untimed warm-up before each measurement (JIT tiering, caches); 0 to {MaxSeconds}.", DefaultValueFactory = _ => 3.0 }, allowZero: true);
        var blockSeconds = Seconds(new Option<double>("--block-seconds") { Description = $"Target length of one timed block (a whole number of epochs); above 0, at most {MaxSeconds}.", DefaultValueFactory = _ => 1.0 }, allowZero: false);
        var samples = OptionRanges.WholeNumber(new Option<int>("--samples") { Description = $"Images in the synthetic training set (rounded up to a multiple of the batch; 1 to {MaxSamples}); a block is a whole number of epochs over it.", DefaultValueFactory = _ => 512 }, 1, MaxSamples);
        var json = JsonReport(new Option<string?>("--json") { Description = "Also write the result as JSON to this path (its folder must exist)." });
        var command = new Command(name, "Median training and inference images/s of one network.")
        {
            net, batch, threads, blocks, warmup, blockSeconds, samples, json,
        };
        command.SetAction(parse =>
        {
            int batchSize = parse.GetValue(batch);
            int sampleCount = parse.GetValue(samples);
            var settings = new ThroughputSettings(
                parse.GetValue(net)!, batchSize, parse.GetValue(threads), parse.GetValue(blocks),
                parse.GetValue(warmup), parse.GetValue(blockSeconds), (sampleCount + batchSize - 1) / batchSize * batchSize, parse.GetValue(json));
            Run(settings, createSubject);
            return 0;
        });
        return command;
    }

    private static Option<double> Seconds(Option<double> option, bool allowZero)
    {
        option.Validators.Add(result =>
        {
            if (OptionRanges.TryGetValue(result, out double value) && (!double.IsFinite(value) || value < 0 || (value == 0 && !allowZero) || value > MaxSeconds))
            {
                string lowest = allowZero ? "from 0" : "above 0 and";
                result.AddError($"{option.Name} {value.ToString(CultureInfo.InvariantCulture)}: expected seconds {lowest} up to {MaxSeconds.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        return option;
    }

    // The report is written after the whole run: a path that cannot take it is refused before the
    // run starts. Its folder must exist: creating folders from a mistyped path (at the root, say)
    // would leave them behind.
    private static Option<string?> JsonReport(Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            {
                result.AddError($"{option.Name}: expected a file name for the JSON report, got '{path}'.");
                return;
            }
            string full = Path.GetFullPath(path);
            string? folder = Path.GetDirectoryName(full);
            if (Directory.Exists(full))
            {
                result.AddError($"{option.Name} {path}: is a folder; expected a file name for the JSON report.");
            }
            else if (folder is not null && !Directory.Exists(folder))
            {
                result.AddError($"{option.Name} {path}: folder {folder} does not exist; create it first.");
            }
        });
        return option;
    }

    private static void Run(ThroughputSettings s, Func<ThroughputSettings, IThroughputSubject> createSubject)
    {
        string loadBefore = Machine.LoadAverage();
        string date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var subject = createSubject(s);
        int threads = s.EffectiveThreads;

        // Training: warm up, then make a block as many whole epochs as fill --block-seconds.
        double secondsPerEpoch = WarmUp(epochs => subject.TrainEpochs(epochs).Sum() / epochs, s.WarmupSeconds);
        int epochsPerBlock = Math.Max(1, (int)Math.Round(s.BlockSeconds / secondsPerEpoch));
        var epochSeconds = subject.TrainEpochs(epochsPerBlock * s.Blocks);
        var trainRates = Enumerable.Range(0, s.Blocks)
            .Select(b => epochsPerBlock * (double)s.Samples / epochSeconds.Skip(b * epochsPerBlock).Take(epochsPerBlock).Sum())
            .ToArray();
        int stepsPerBlock = epochsPerBlock * s.StepsPerEpoch;

        double secondsPerCall = WarmUp(calls => subject.InferBlocks(calls, 1)[0] / calls, s.WarmupSeconds);
        int callsPerBlock = Math.Max(2, (int)Math.Ceiling(s.BlockSeconds / secondsPerCall));
        var inferSeconds = subject.InferBlocks(callsPerBlock, s.Blocks);
        var inferRates = inferSeconds.Select(t => callsPerBlock * (double)s.Batch / t).ToArray();

        double train = Median(trainRates);
        double infer = Median(inferRates);
        double forwardFlops = 2.0 * subject.ForwardMacsPerImage;
        var report = new Dictionary<string, object?>
        {
            ["framework"] = subject.Framework,
            ["net"] = s.Net,
            ["batch"] = s.Batch,
            ["threads"] = threads,
            ["blocks"] = s.Blocks,
            ["date"] = date,
            ["train_images_per_second"] = Round(train),
            ["infer_images_per_second"] = Round(infer),
            ["train_gflops"] = Round(train * 3 * forwardFlops / 1e9),
            ["infer_gflops"] = Round(infer * forwardFlops / 1e9),
            ["forward_flops_per_image"] = (long)forwardFlops,
            ["trainable_parameters"] = subject.TrainableParameters,
            ["samples"] = s.Samples,
            ["train_epochs_per_block"] = epochsPerBlock,
            ["train_steps_per_block"] = stepsPerBlock,
            ["infer_calls_per_block"] = callsPerBlock,
            ["train_images_per_second_blocks"] = trainRates.Select(Round).ToArray(),
            ["infer_images_per_second_blocks"] = inferRates.Select(Round).ToArray(),
            ["machine"] = Machine.CpuModel(),
            ["cores"] = Environment.ProcessorCount,
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = Machine.LoadAverage(),
        };
        Console.WriteLine(
            $"{subject.Framework} {s.Net} batch {s.Batch} threads {threads}: "
            + $"train {train:F1} images/s ({train * 3 * forwardFlops / 1e9:F2} GFLOP/s), "
            + $"infer {infer:F1} images/s ({infer * forwardFlops / 1e9:F2} GFLOP/s); "
            + $"median of {s.Blocks} blocks ({stepsPerBlock} steps, {callsPerBlock} calls); {subject.TrainableParameters:N0} trainable parameters; "
            + $"load {loadBefore} -> {report["load_average_after"]}");
        if (s.Json is { } path)
        {
            try
            {
                File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"--json {path}: cannot write the report ({e.Message}).", e);
            }
        }
    }

    /// <summary>Runs blocks of growing size until <paramref name="seconds"/> have passed; returns the last seconds per unit.</summary>
    private static double WarmUp(Func<int, double> secondsPerUnit, double seconds)
    {
        var clock = Stopwatch.StartNew();
        int units = 1;
        double last;
        do
        {
            last = secondsPerUnit(units);
            // Aim at blocks of ~0.2 s while warming, so the rate is measured on warm code.
            units = Math.Clamp((int)Math.Ceiling(0.2 / Math.Max(last, 1e-7)), 1, 1 << 20);
        }
        while (clock.Elapsed.TotalSeconds < seconds);
        return last;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double Round(double value) => Math.Round(value, 2);
}

/// <summary>What the report says about the machine.</summary>
public static class Machine
{
    /// <summary>
    /// The processor's model name as lscpu prints it, with its family and model numbers: virtual
    /// machines often show only "AMD EPYC", and the family tells the core (25 = Zen 3/4, 26 = Zen 5).
    /// </summary>
    public static string CpuModel()
    {
        try
        {
            string? name = null, family = null, model = null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                string Value() => line[(line.IndexOf(':') + 1)..].Trim();
                if (name is null && line.StartsWith("model name", StringComparison.Ordinal)) name = Value();
                else if (family is null && line.StartsWith("cpu family", StringComparison.Ordinal)) family = Value();
                else if (model is null && line.StartsWith("model\t", StringComparison.Ordinal)) model = Value();
                if (name is not null && family is not null && model is not null) break;
            }
            return family is null ? name ?? "unknown" : $"{name ?? "unknown"} (family {family} model {model})";
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return "unknown";
    }

    /// <summary>1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" ", parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
