using BenchmarkDotNet.Configs;

namespace ConvGen.Benchmarks;

/// <summary>BenchmarkDotNet's defaults plus the derived columns (images/s, GFLOP/s, share of peak).</summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(WorkColumn.ImagesPerSecond, WorkColumn.Gflops, WorkColumn.ShareOfPeak);
}
