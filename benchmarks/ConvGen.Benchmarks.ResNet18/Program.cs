using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/ConvGen.Benchmarks.ResNet18 -- --filter '*'     inference against ONNX Runtime (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/ConvGen.Benchmarks.ResNet18 -- finetune         the fine-tuning step against TorchSharp
// dotnet run -c Release --project benchmarks/ConvGen.Benchmarks.ResNet18 -- profile --batch 1 --threads 2 --seconds 10
//                                                                                             ConvGen's forward in a loop, for perf record
if (args.Length > 0 && args[0] == "finetune")
{
    return ConvGen.Benchmarks.ResNet18.FineTuning.Run(args);
}
if (args.Length > 0 && args[0] == "profile")
{
    return ConvGen.Benchmarks.ResNet18.Profiling.Run(args);
}
BenchmarkSwitcher.FromAssembly(typeof(ConvGen.Benchmarks.ResNet18.ResNet18Inference).Assembly).Run(args);
return System.Environment.ExitCode;
