using System.CommandLine;
using ConvGen.Benchmarks.Shared;
using ConvGen.Benchmarks.Torch;

// The TorchSharp peer of `ConvGen.Benchmarks throughput`: same options, same timing, same JSON keys.
//   dotnet run -c Release --project benchmarks/ConvGen.Benchmarks.Torch -- throughput --net seed --batch 32 --threads 2 --json out.json
// and of `samples/FashionMnist --net small --schedule cosine`, timed to a test accuracy:
//   dotnet run -c Release --project benchmarks/ConvGen.Benchmarks.Torch -- time-to-accuracy --epochs 4 --lr 0.003 --batch 64 --threads 2
var root = new RootCommand("TorchSharp-cpu (libtorch) peer of the ConvGen throughput measurement.")
{
    ThroughputCli.CreateCommand(settings => new TorchSubject(settings)),
    TimeToAccuracy.CreateCommand(),
};
return root.Parse(args).Invoke();
