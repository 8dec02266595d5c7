using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ConvGen.Benchmarks.Layers;

namespace ConvGen.Benchmarks;

/// <summary>How much work one invocation of a benchmark does, read from its class, method and parameters.</summary>
/// <param name="Flops">Floating-point operations (2 per multiply-add), or 0 when not counted.</param>
/// <param name="Images">Images processed, or 0 when the benchmark is not per image.</param>
/// <param name="Threads">Threads the work is spread on.</param>
/// <param name="SubtractMethod">A benchmark of the same parameters whose time is overhead to subtract first.</param>
/// <param name="Bytes">Bytes the work must move at least (layers only; see <see cref="LayerCase.ForwardBytes"/>), or 0 when not counted.</param>
internal sealed record Work(double Flops, int Images, int Threads, string? SubtractMethod, double Bytes = 0)
{
    public static Work? Of(BenchmarkCase benchmark)
    {
        string type = benchmark.Descriptor.Type.Name;
        string method = benchmark.Descriptor.WorkloadMethod.Name;
        int batch = Parameter(benchmark, "Batch") is int b ? b : 1;
        int threads = Parameter(benchmark, "Threads") is int t ? Math.Min(t, batch) : 1;
        switch (type)
        {
            case nameof(LayerBenchmarks) when Parameter(benchmark, "Layer") is string name:
            {
                var layer = LayerCases.Get(name);
                return method switch
                {
                    nameof(LayerBenchmarks.Predict) or nameof(LayerBenchmarks.ForwardTraining) => new(2.0 * layer.ForwardMacs * batch, batch, 1, null, layer.ForwardBytes(batch)),
                    nameof(LayerBenchmarks.Backward) => new(2.0 * layer.BackwardMacs * batch, batch, 1, layer.IsFirst ? null : nameof(LayerBenchmarks.PrefixBackward), layer.BackwardBytes(batch)),
                    _ => null,
                };
            }
            case nameof(DenseLayerBenchmarks) when Parameter(benchmark, "Layer") is string name && DenseLayerBenchmarks.Shape(name) is var (inputs, units):
                // Each pass is one GEMM of batch x inputs x units multiply-adds.
                return new(2.0 * inputs * units * batch, batch, 1, null);
            case nameof(ResNetLayerBenchmarks) when Parameter(benchmark, "Layer") is string name && method == nameof(ResNetLayerBenchmarks.Predict):
            {
                var layer = LayerCases.Get(name);
                return new(2.0 * layer.ForwardMacs * batch, batch, 1, null, layer.ForwardBytes(batch));
            }
            case nameof(InferenceBenchmarks) when Parameter(benchmark, "Net") is string net:
                return new(2.0 * Macs(net) * batch, batch, 1, null);
            case nameof(TrainingStepBenchmarks) when Parameter(benchmark, "Net") is string net:
                // forward 2 x MACs, backward 2 x forward
                return new(3 * 2.0 * Macs(net) * batch, batch, threads, null);
            default:
                return null;
        }
    }

    /// <summary>Mean nanoseconds of the benchmark's own work, after subtracting <see cref="SubtractMethod"/>'s (null when that leaves under 5%).</summary>
    public double? NetMeanNanoseconds(Summary summary, BenchmarkCase benchmark)
    {
        double? mean = summary[benchmark]?.ResultStatistics?.Mean;
        if (mean is null || SubtractMethod is null)
        {
            return mean;
        }
        var overhead = summary.BenchmarksCases.FirstOrDefault(other =>
            other.Descriptor.Type == benchmark.Descriptor.Type
            && other.Descriptor.WorkloadMethod.Name == SubtractMethod
            && other.Parameters.DisplayInfo == benchmark.Parameters.DisplayInfo);
        double? overheadMean = overhead is null ? null : summary[overhead]?.ResultStatistics?.Mean;
        if (overheadMean is null)
        {
            return mean;
        }
        // Noise can make the overhead look as large as the whole: then the difference means nothing.
        double net = mean.Value - overheadMean.Value;
        return net > 0.05 * mean.Value ? net : null;
    }

    private static object? Parameter(BenchmarkCase benchmark, string name) =>
        benchmark.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;

    private static long Macs(string net) => FlopCounter.ForwardMacs(NetworkCatalogue.Create(net));
}

/// <summary>A derived figure per benchmark row: images/s, GFLOP/s or share of the FMA peak.</summary>
internal sealed class WorkColumn : IColumn
{
    /// <summary>FP32 FMA peak of one core; from CONVGEN_PEAK_GFLOPS_PER_CORE (the `peak` mode measures it), else DESIGN.md §8's 116.5.</summary>
    public static double PeakPerCore { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("CONVGEN_PEAK_GFLOPS_PER_CORE"), NumberStyles.Float, CultureInfo.InvariantCulture, out double peak) && peak > 0
            ? peak
            : 116.5;

    private readonly Func<Work, double, double?> _value;
    private readonly string _format;

    private WorkColumn(string name, string legend, string format, Func<Work, double, double?> value)
    {
        ColumnName = name;
        Legend = legend;
        _format = format;
        _value = value;
    }

    public static WorkColumn ImagesPerSecond { get; } = new("Images/s", "Images per second of one invocation (batch / mean)", "N0",
        (work, ns) => work.Images > 0 ? work.Images / (ns * 1e-9) : null);

    public static WorkColumn Gflops { get; } = new("GFLOP/s", "Counted FLOPs (2 x multiply-adds of conv and dense; backward 2 x forward) per second; layer backward net of its 1x1 prefix", "F2",
        (work, ns) => work.Flops > 0 ? work.Flops / ns : null);

    public static WorkColumn ShareOfPeak { get; } = new("% peak", $"GFLOP/s as a share of the FP32 FMA peak of the threads used ({PeakPerCore:F1} GFLOP/s per core; set CONVGEN_PEAK_GFLOPS_PER_CORE)", "F1",
        (work, ns) => work.Flops > 0 ? 100 * work.Flops / ns / (PeakPerCore * work.Threads) : null);

    /// <summary>Memory bandwidth of one thread in GB/s, from CONVGEN_BANDWIDTH_GBS (the `bandwidth` mode measures it: take the 1-thread triad), else none.</summary>
    public static double? Bandwidth { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("CONVGEN_BANDWIDTH_GBS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double bandwidth) && bandwidth > 0
            ? bandwidth
            : null;

    public static WorkColumn GigabytesPerSecond { get; } = new("GB/s", "Bytes the layer must move (inputs + outputs per sample, parameters per call; backward: see LayerCase.BackwardBytes) per second; backward net of its 1x1 prefix", "F2",
        (work, ns) => work.Bytes > 0 ? work.Bytes / ns : null);

    public static WorkColumn ShareOfBandwidth { get; } = new("% bandwidth", "GB/s as a share of the 1-thread memory bandwidth in CONVGEN_BANDWIDTH_GBS (the `bandwidth` mode's triad); '-' when unset", "F1",
        (work, ns) => work.Bytes > 0 && Bandwidth is double bandwidth ? 100 * work.Bytes / ns / (bandwidth * work.Threads) : null);

    public string Id => nameof(WorkColumn) + "." + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var work = Work.Of(benchmarkCase);
        double? ns = work?.NetMeanNanoseconds(summary, benchmarkCase);
        double? value = work is null || ns is null ? null : _value(work, ns.Value);
        return value is null ? "-" : value.Value.ToString(_format, CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => Work.Of(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
