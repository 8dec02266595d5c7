using System;
using System.Linq;
using System.Text;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Declarations written to break the generator: odd class names, names that would break the
/// generated file, numbers at the edges of int and float32, and networks far too large. The
/// generator must not throw (a throw is CS8785 and costs every network in the project its
/// code), and what it generates must compile.
/// </summary>
public sealed class HostileDeclarationTests
{
    private static void ShouldGenerateCleanCode(GeneratorRun run, int networks = 1)
    {
        run.ShouldNotHaveThrown();
        run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        run.Result.GeneratedSources.Length.ShouldBe(networks);
        run.CompilationProblems.Where(d => d.Id != "CS1591").ShouldBeEmpty();
    }

    [Fact]
    public void Verbatim_keyword_class_name_generates_code_and_leaves_other_networks_theirs()
    {
        var run = GeneratorHarness.Run("""
            using ConvGen;
            namespace @event
            {
                [Network(Input = "4x4x1")] [Conv2D(2, 3)] [Flatten] [Dense(2)] public partial class @class;
                public partial class @struct { [Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class Inner; }
                [Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class Plain;
            }
            """);

        ShouldGenerateCleanCode(run, networks: 3);
        var hints = run.Result.GeneratedSources.Select(s => s.HintName).ToList();
        hints.ShouldContain(h => h.StartsWith("event.Plain.", StringComparison.Ordinal));
        hints.ShouldAllBe(h => !h.Contains('@'));
        hints.Single(h => h.Contains("class")).ShouldMatch(@"^event\.class\.[0-9a-f]{8}\.g\.cs$");
    }

    [Fact]
    public void Unicode_class_names_generate_code_under_distinct_file_names()
    {
        // 'é' precomposed, 'é' as e + combining acute (not a valid hint-name character), and a
        // name that differs only in case (Roslyn compares hint names ignoring case).
        var run = GeneratorHarness.Run("""
            using ConvGen;
            namespace Samples
            {
                [Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class Réseau;
                [Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class Re\u0301seau;
                [Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class Net;
                [Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class NET;
            }
            """);

        ShouldGenerateCleanCode(run, networks: 4);
        var hints = run.Result.GeneratedSources.Select(s => s.HintName).ToList();
        hints.Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(4, string.Join(", ", hints));
        hints.ShouldContain("Samples.Réseau.g.cs");
    }

    // Names Keras allows and names that try to escape a comment or a string literal: all must
    // reach the layer table unchanged and leave the file compiling.
    [Theory]
    [InlineData("block1/conv")]
    [InlineData("stage 2.unit-1")]
    [InlineData("*/ class Injected { } /*")]
    [InlineData("\\\" + evil + \\\"")]
    [InlineData("back\\\\slash\\\\")]
    [InlineData("ünïcødé_層")]
    [InlineData("emoji_\\uD83D\\uDE00")]
    [InlineData("<summary>&amp;")]
    public void Layer_names_reach_the_layer_table_unchanged(string nameAsCSharp)
    {
        var run = GeneratorHarness.Run($$"""
            using ConvGen;
            namespace Samples;
            [Network(Input = "4x4x1")] [Conv2D(2, 3, Name = "{{nameAsCSharp}}")] [Flatten] [Dense(2)] public partial class NamedNet;
            public static class Probe { public static string First => NamedNet.Create(1).Layers[0].Name; }
            """);

        ShouldGenerateCleanCode(run);
        var tree = run.OutputCompilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal));
        var expected = ((Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression($"\"{nameAsCSharp}\"")).Token.ValueText;
        tree.GetRoot().DescendantTokens().ShouldContain(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralToken) && t.ValueText == expected);
    }

    [Theory]
    [InlineData("\\n", "U+000A")]
    [InlineData("\\r", "U+000D")]
    [InlineData("\\u0085", "U+0085")]
    [InlineData("\\u2028", "U+2028")]
    [InlineData("\\u2029", "U+2029")]
    [InlineData("\\t", "U+0009")]
    [InlineData("\\0", "U+0000")]
    [InlineData("\\uD800", "U+D800")]
    public void Layer_names_with_line_breaks_or_control_characters_are_refused(string character, string code)
    {
        var run = GeneratorHarness.Run($$"""
            using ConvGen;
            [Network(Input = "4x4x1")] [Flatten] [Dense(2, Name = "a{{character}}b")] public partial class NamedNet;
            """);

        run.ShouldNotHaveThrown();
        var diagnostic = run.GeneratorDiagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe(DiagnosticDescriptors.UnsafeLayerNameId);
        diagnostic.GetMessage().ShouldContain(code);
        diagnostic.GetMessage().ShouldContain(" at position 1, which cannot be written");
        diagnostic.GetMessage().ShouldNotContain("\n");
        run.InputCompilation.SyntaxTrees.Single().GetText().ToString(diagnostic.Location.SourceSpan).ShouldStartWith("Name = ");
        run.Result.GeneratedSources.ShouldBeEmpty();
    }

    // 10,000 layers used to produce 182 MB of C# and a compiler past 14 GB. The estimate refuses
    // the network before anything is written, so this runs in seconds (no timing assert: with the
    // old code it would run for minutes and exhaust memory).
    [Fact]
    public void Ten_thousand_layer_text_form_is_refused_before_emitting()
    {
        var text = new StringBuilder("input 8x8x1\\nconv2d 2 3 same relu\\n");
        for (int i = 0; i < 10_000; i++)
        {
            text.Append("conv2d 2 3 same relu\\n");
        }
        text.Append("flatten\\ndense 2");
        var run = GeneratorHarness.Run($"using ConvGen;\n[Network(\"{text}\")] public partial class HugeNet;");

        run.ShouldNotHaveThrown();
        run.Result.GeneratedSources.ShouldBeEmpty();
        var diagnostic = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe(DiagnosticDescriptors.GeneratedCodeTooLargeId);
        diagnostic.GetMessage().ShouldStartWith("Network 'HugeNet' would generate about ");
        diagnostic.GetMessage().ShouldContain(" MiB of code for 10,003 layers; the limit is 64 MiB and 2,000 layers");
        run.InputCompilation.SyntaxTrees.Single().GetText().ToString(diagnostic.Location.SourceSpan).ShouldStartWith("Network(");
    }

    // The estimate is what the limit is checked against: it must be near the real size (here between half and two and a half times).
    [Theory]
    [InlineData("""[Network(Input = "28x28x1")] [Conv2D(8, 3, Activation = Activation.Relu)] [MaxPool2D(2)] [Conv2D(16, 3)] [Flatten] [Dense(10)]""")]
    [InlineData("""[Network(Input = "32x32x3")] [Conv2D(64, 3, Padding = Padding.Same)] [BatchNorm] [Activation(Activation.Relu)] [Conv2D(64, 3, Padding = Padding.Same, Name = "b")] [Add("conv2d", "b")] [GlobalAvgPool2D] [Dense(10)]""")]
    [InlineData("""[Network(Input = "16x16x5")] [Conv2D(20, 9)] [AvgPool2D(3)] [Flatten] [Dropout(0.5)] [Dense(3)]""")]
    [InlineData("""[Network(Input = "8x8x3")] [Conv2D(7, 3)] [Conv2D(67, 3, UseBias = false)] [BatchNorm] [MaxPool2D(2)] [Flatten] [Dense(2)]""")]
    public void Code_size_estimate_is_near_the_real_size(string declaration)
    {
        var run = GeneratorHarness.Run("using ConvGen;\n" + declaration + " public partial class SizedNet;");
        ShouldGenerateCleanCode(run);
        var model = Analysis.ShapeInference.Analyse(ParseOnly(run), Layers.LayerCatalog.Rules).Model!;
        long estimate = Analysis.CodeBudget.Estimate(model.Layers.ToList(), Layers.LayerCatalog.Rules);
        long actual = run.SingleSource.Length;
        ((double)estimate / actual).ShouldBeInRange(0.5, 2.5, $"estimate {estimate}, actual {actual}");
    }

    private static Model.ParsedNetwork ParseOnly(GeneratorRun run) =>
        (Model.ParsedNetwork)run.Result.TrackedSteps[NetworkGenerator.Steps.Parse].Single().Outputs.Single().Value;
}
