using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using ConvGen.Generators.Tests.Infrastructure;
using ConvGen.Generators.Tests.Randomized;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The generated layer table's <see cref="LayerInfo.Config"/> must say what its
/// <see cref="LayerInfo.Description"/> says: random valid networks (covering every emit path
/// one fuzz batch reaches) and the lecture network are compiled, loaded and instantiated, and
/// each layer's description is written again from its configuration alone.
/// </summary>
public sealed class LayerConfigTests
{
    private const int Seed = 20_251_205;
    private const int Networks = 250;
    private const int Compiled = 30;

    [Fact]
    public void Every_generated_layer_config_agrees_with_its_description()
    {
        var factory = new FuzzNetworkFactory(Seed);
        var valid = Enumerable.Range(0, Networks).Select(factory.Next).Where(n => !FuzzOracle.HasError(n, out _)).ToList();
        var sample = FuzzFeatures.CoveringSample(valid, Compiled);
        var trees = sample.Select(n => CSharpSyntaxTree.ParseText(FuzzSource.Write(n), GeneratorHarness.ParseOptions, path: n.FileName))
            .Append(CSharpSyntaxTree.ParseText(NetworkSources.LectureNet, GeneratorHarness.ParseOptions, path: "LectureNet.cs"))
            .Append(CSharpSyntaxTree.ParseText(EveryKind, GeneratorHarness.ParseOptions, path: "EveryKindNet.cs"));
        var compilation = CSharpCompilation.Create("LayerConfigRoundTrip", trees, TestReferences.All, GeneratorHarness.CompilationOptions);
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        run.ShouldNotHaveThrown();

        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        image.Position = 0;
        var context = new AssemblyLoadContext("layer-config-round-trip", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            var networkTypes = assembly.GetTypes().Where(t => typeof(INetwork).IsAssignableFrom(t) && !t.IsAbstract).ToList();
            Assert.Equal(sample.Count + 2, networkTypes.Count);
            var kinds = new HashSet<string>();
            var failures = new List<string>();
            foreach (Type type in networkTypes)
            {
                var network = (INetwork)type.GetMethod("Create", [typeof(ulong)])!.Invoke(null, [0UL])!;
                foreach (LayerInfo layer in network.Layers)
                {
                    kinds.Add(layer.Kind);
                    string rewritten = DescriptionOf(layer);
                    if (rewritten != layer.Description)
                    {
                        failures.Add($"{type.Name} layer {layer.Index} '{layer.Name}' ({layer.Kind}): description '{layer.Description}', config {layer.Config} reads as '{rewritten}'");
                    }
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
            // The sample must reach the configurations worth checking.
            Assert.Contains("Conv2D", kinds);
            Assert.Contains("Dense", kinds);
            Assert.Superset(new HashSet<string> { "MaxPool2D", "AvgPool2D", "GlobalMaxPool2D", "Flatten", "Dropout", "Activation", "Add", "BatchNorm",
                "DepthwiseConv2D", "SeparableConv2D", "ZeroPadding2D" }, kinds);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The kinds and options the fuzz sample may miss: explicit pads, per-axis strides, dilation, Add, BatchNorm, Dropout, alphas.</summary>
    private const string EveryKind = """
        using ConvGen;

        namespace Samples;

        [Network(Input = "16x14x3")]
        [Conv2D(6, 3, Stride = 2, Dilation = 2, PadTop = 2, PadBottom = 1, PadLeft = 0, PadRight = 3, Activation = Activation.LeakyRelu, Alpha = 0.2, Name = "entry")]
        [BatchNorm(Epsilon = 1e-5, Momentum = 0.9)]
        [Conv2D(6, 3, Padding = Padding.Same, UseBias = false, Activation = Activation.Elu, Alpha = 0.5, Name = "branch")]
        [Add("entry", "branch", Activation = Activation.Relu)]
        [MaxPool2D(3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0)]
        [AvgPool2D(2, Stride = 1, Padding = Padding.Same)]
        [ZeroPadding2D(1, 0, 2, 1)]
        [DepthwiseConv2D(3, 2, DepthMultiplier = 2, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
        [DepthwiseConv2D(3, Dilation = 2, PadTop = 2, PadBottom = 1, PadLeft = 2, PadRight = 2, UseBias = false)]
        [SeparableConv2D(8, 3, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.LeakyRelu, Alpha = 0.1)]
        [Activation(Activation.Gelu)]
        [Dropout(0.25)]
        [GlobalMaxPool2D]
        [Dense(4, Activation = Activation.Softmax)]
        public sealed partial class EveryKindNet;
        """;

    /// <summary>The description's format (the generator's <c>LayerPlan.Description</c>), written from the configuration only.</summary>
    private static string DescriptionOf(LayerInfo layer) => layer.Config switch
    {
        ConvolutionConfig c => $"{c.Filters}@{c.KernelHeight}x{c.KernelWidth} s{Pair(c.StrideHeight, c.StrideWidth)}"
            + (c.DilationHeight == 1 && c.DilationWidth == 1 ? "" : $" d{c.DilationHeight}")
            + $" {Pads(c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Padding, c.ExplicitPadding)}{Act(c.Activation)}{(c.UseBias ? "" : " no-bias")}",
        PoolConfig p => $"{p.KernelHeight}x{p.KernelWidth} s{Pair(p.StrideHeight, p.StrideWidth)} {Pads(p.PadTop, p.PadBottom, p.PadLeft, p.PadRight, p.Padding, p.ExplicitPadding)}",
        DenseConfig d => $"{d.Units}{Act(d.Activation)}{(d.UseBias ? "" : " no-bias")}",
        DropoutConfig d => $"rate {d.Rate.ToString(CultureInfo.InvariantCulture)}",
        ActivationConfig a => Name(a.Activation),
        AddConfig a => string.Join(" + ", layer.Inputs ?? []) + Act(a.Activation),
        BatchNormConfig b => $"eps {b.Epsilon.ToString("R", CultureInfo.InvariantCulture)} momentum {b.Momentum.ToString("R", CultureInfo.InvariantCulture)}",
        DepthwiseConvolutionConfig c => $"{c.KernelHeight}x{c.KernelWidth} s{Pair(c.StrideHeight, c.StrideWidth)}"
            + (c.DilationHeight == 1 && c.DilationWidth == 1 ? "" : $" d{c.DilationHeight}")
            + $" {Pads(c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Padding, c.ExplicitPadding)}{(c.DepthMultiplier == 1 ? "" : $" x{c.DepthMultiplier}")}{Act(c.Activation)}{(c.UseBias ? "" : " no-bias")}",
        SeparableConvolutionConfig c => $"{c.Filters}@{c.KernelHeight}x{c.KernelWidth} s{Pair(c.StrideHeight, c.StrideWidth)}"
            + (c.DilationHeight == 1 && c.DilationWidth == 1 ? "" : $" d{c.DilationHeight}")
            + $" {Pads(c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Padding, c.ExplicitPadding)}{(c.DepthMultiplier == 1 ? "" : $" x{c.DepthMultiplier}")}{Act(c.Activation)}{(c.UseBias ? "" : " no-bias")}",
        ZeroPaddingConfig z => $"pad {z.Top},{z.Bottom},{z.Left},{z.Right}",
        GlobalPoolConfig when layer.Kind is "GlobalMaxPool2D" or "GlobalAvgPool2D" => "",
        FlattenConfig when layer.Kind == "Flatten" => "",
        _ => $"<{layer.Config?.GetType().Name ?? "no config"}>",
    };

    private static string Pair(int a, int b) => a == b ? $"{a}" : $"{a}x{b}";

    private static string Pads(int top, int bottom, int left, int right, Padding padding, bool explicitPadding) =>
        explicitPadding ? $"pad {top},{bottom},{left},{right}" : padding == Padding.Same ? "same" : "valid";

    private static string Act(Activation activation) => activation == Activation.Linear ? "" : " " + Name(activation);

    private static string Name(Activation activation) => activation == Activation.LeakyRelu ? "leaky_relu" : activation.ToString().ToLowerInvariant();
}
