using System;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace ConvGen.Benchmarks;

/// <summary>BenchmarkDotNet's defaults plus the derived columns (images/s, GFLOP/s, share of peak, GB/s, share of the memory bandwidth).</summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => ManualConfig.Create(DefaultConfig.Instance)
        .AddColumn(WorkColumn.ImagesPerSecond, WorkColumn.Gflops, WorkColumn.ShareOfPeak, WorkColumn.GigabytesPerSecond, WorkColumn.ShareOfBandwidth)
        // On a shared machine the mean carries other jobs' time slices: the median and the
        // minimum are the steadier figures for A/B comparisons.
        .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
        // The benchmark process builds this project with its ~60 generated networks: on a busy
        // 2-core machine that takes longer than BenchmarkDotNet's default two minutes.
        .WithBuildTimeout(TimeSpan.FromMinutes(15));
}
