using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using ConvGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Benchmarks;

/// <summary>
/// The generator's own run time (STYLE.md 13) on a compilation of Networks.cs (seed, lenet,
/// fashion): a cold run with a new driver, and incremental runs of a driver that has already
/// run after an edit that touches no network and after an edit of one network.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _unrelatedEdit = null!;
    private CSharpCompilation _networkEdit = null!;
    private CSharpCompilation _resNet18 = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        string source = ReadNetworksSource();
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Networks.cs");
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));
        _compilation = CSharpCompilation.Create(
            "Networks", new[] { tree }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _unrelatedEdit = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Other { public static class Unrelated { public static int Value => 1; } }", ParseOptions, path: "Unrelated.cs"));
        const string from = "[Dense(64, Activation = Activation.Relu)]";
        if (!source.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Networks.cs no longer contains '{from}'; update GeneratorBenchmarks.");
        }
        _networkEdit = _compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From(source.Replace(from, "[Dense(96, Activation = Activation.Relu)]", StringComparison.Ordinal))));

        // The imported ResNet-18 (65 layers, 224x224x3), declared from the sample's text-form constant.
        var resNetLayers = CSharpSyntaxTree.ParseText(ReadSource("ConvGen.Benchmarks.ResNet18Layers.cs"), ParseOptions, path: "ResNet18Layers.cs");
        var resNetNetwork = CSharpSyntaxTree.ParseText(
            "[ConvGen.Network(TransferLearning.ResNet18Layers.Text)] public sealed partial class ResNet18Features;", ParseOptions, path: "ResNet18Features.cs");
        _resNet18 = CSharpCompilation.Create(
            "ResNet18", new[] { resNetLayers, resNetNetwork }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var resNetResult = ColdRunResNet18().GetRunResult();
        if (resNetResult.GeneratedTrees.Length != 1 || resNetResult.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException(
                $"Expected 1 generated file for ResNet-18 without errors, got {resNetResult.GeneratedTrees.Length}: {string.Join("; ", resNetResult.Diagnostics)}");
        }

        _warmDriver = ColdRun();
        var result = _warmDriver.GetRunResult();
        if (result.GeneratedTrees.Length != 3 || result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException(
                $"Expected 3 generated files without errors, got {result.GeneratedTrees.Length}: {string.Join("; ", result.Diagnostics)}");
        }
    }

    /// <summary>New driver: parse, infer shapes and emit all three networks.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver ColdRun() =>
        CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGenerators(_compilation);

    /// <summary>Warm driver, a file without networks added: every step should be cached.</summary>
    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => _warmDriver.RunGenerators(_unrelatedEdit);

    /// <summary>Warm driver, one layer of seed changed: seed is re-emitted (the file holds all three, so all are re-parsed).</summary>
    [Benchmark]
    public GeneratorDriver NetworkEdit() => _warmDriver.RunGenerators(_networkEdit);

    /// <summary>New driver on the imported ResNet-18 declaration alone.</summary>
    [Benchmark]
    public GeneratorDriver ColdRunResNet18() =>
        CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGenerators(_resNet18);

    private static string ReadNetworksSource() => ReadSource("ConvGen.Benchmarks.Networks.cs");

    private static string ReadSource(string resource)
    {
        using var stream = typeof(GeneratorBenchmarks).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded {resource} not found");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
