using BenchmarkDotNet.Running;

// Run all suites, or pick with BenchmarkDotNet's filters, e.g.
//   dotnet run -c Release --project benchmarks/ConvGen.Benchmarks -- --filter '*Inference*'
BenchmarkSwitcher.FromAssembly(typeof(ConvGen.Benchmarks.InferenceBenchmarks).Assembly).Run(args);
