using System;
using System.CommandLine;
using BenchmarkDotNet.Running;
using ConvGen.Benchmarks;
using ConvGen.Benchmarks.Quick;
using ConvGen.Benchmarks.Shared;

// Quick modes, everything else goes to BenchmarkDotNet:
//   throughput --net seed --batch 32 --threads 2 --json out.json   median training / inference images/s
//   peak                                                             FP32 FMA peak GFLOP/s
//   bandwidth                                                        memory bandwidth GB/s (STREAM copy and triad)
//   dense --layer fashion.dense1 --batch 64                          a large Dense layer's three passes, GFLOP/s by thread CPU time
//   report --dir benchmarks/results/DATE                             markdown table of a run-throughput.sh folder
//   --filter '*Layer*'  (any BenchmarkDotNet arguments)              the BenchmarkDotNet suites
// See benchmarks/README.md.
if (args.Length > 0 && args[0] is "throughput" or "peak" or "bandwidth" or "report" or "dense")
{
    var root = new RootCommand("ConvGen measuring tools (quick modes; other arguments run BenchmarkDotNet).")
    {
        ThroughputCli.CreateCommand(settings => new ConvGenSubject(settings)),
        PeakProbe.CreateCommand(),
        BandwidthProbe.CreateCommand(),
        ThroughputReport.CreateCommand(),
        DenseProbe.CreateCommand(),
    };
    return root.Parse(args).Invoke();
}
BenchmarkSwitcher.FromAssembly(typeof(InferenceBenchmarks).Assembly).Run(args, BenchmarkConfig.Create());
return Environment.ExitCode;
