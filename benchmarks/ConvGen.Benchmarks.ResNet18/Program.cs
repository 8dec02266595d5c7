using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/ConvGen.Benchmarks.ResNet18 -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ConvGen.Benchmarks.ResNet18.ResNet18Inference).Assembly).Run(args);
