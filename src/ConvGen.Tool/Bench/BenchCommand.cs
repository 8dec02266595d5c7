using System.CommandLine;
using ConvGen.Benchmarks.Quick;
using ConvGen.Benchmarks.Shared;

namespace ConvGen.Tool.Bench;

/// <summary>
/// <c>convgen bench</c> is the benchmarks' <c>throughput</c> command under another name: the same
/// networks (seed, lenet, fashion, mobilenet, unet), options, timing and JSON keys, so its figures compare directly
/// with benchmarks/RESULTS.md.
/// </summary>
internal static class BenchCommand
{
    public static Command Create() => ThroughputCli.CreateCommand(settings => new ConvGenSubject(settings), "bench");
}
