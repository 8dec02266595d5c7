using System.IO;
using System.Linq;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Shouldly;
using Xunit;

namespace ConvGen.Generators.Tests.Architecture;

/// <summary>
/// The generator's folders depend one way (<see cref="DependencyRule"/>): checked over the
/// generator's real source, and shown to fail on small compilations that reach backwards.
/// </summary>
public sealed class GeneratorArchitectureTests
{
    private static readonly CSharpParseOptions s_options = new(LanguageVersion.Latest, DocumentationMode.Parse);

    private static CSharpCompilation Compile(params (string Path, string Text)[] files) =>
        CSharpCompilation.Create("Architecture",
            files.Select(f => CSharpSyntaxTree.ParseText(f.Text, s_options, f.Path)),
            TestReferences.Framework.Add(MetadataReference.CreateFromFile(typeof(SyntaxNode).Assembly.Location))
                .Add(MetadataReference.CreateFromFile(typeof(CSharpSyntaxTree).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    private static CSharpCompilation GeneratorSource()
    {
        var files = Directory.GetFiles(TestPaths.GeneratorProject, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Select(p => (p, File.ReadAllText(p)))
            .ToArray();
        files.Length.ShouldBeGreaterThan(50);
        return Compile(files);
    }

    [Fact]
    public void Generator_folders_depend_one_way()
    {
        var compilation = GeneratorSource();
        // Every name must bind, or the walk would miss references; only the netstandard polyfill may clash with net10.
        compilation.GetDiagnostics().Where(d => d.Id is "CS0246" or "CS0103" or "CS0234").ShouldBeEmpty();
        DependencyRule.Violations(compilation).ShouldBeEmpty();
    }

    [Fact]
    public void Stages_reach_layer_kinds_only_through_their_own_interfaces()
    {
        var edges = DependencyRule.Edges(GeneratorSource());
        // The walk sees real references: the descriptors use every stage, the composition root uses Layers.
        edges.ShouldContain(("Layers", "Parsing"));
        edges.ShouldContain(("Layers", "Analysis"));
        edges.ShouldContain(("Layers", "Emit"));
        edges.ShouldContain(("", "Layers"));
        edges.Where(e => e.To == "Layers" && e.From != "").ShouldBeEmpty();
        edges.Where(e => e.From == "Model" && e.To is not ("Helpers" or "Diagnostics")).ShouldBeEmpty();
    }

    [Fact]
    public void A_model_type_naming_an_emitter_is_reported()
    {
        var violations = DependencyRule.Violations(Compile(
            ("Emit/Writer.cs", "namespace ConvGen.Generators.Emit; internal static class Writer { public static int Width => 4; }"),
            ("Model/Record.cs", "namespace ConvGen.Generators.Model; internal sealed record Record(int Width) { public static Record Default => new(ConvGen.Generators.Emit.Writer.Width); }")));

        violations.ShouldHaveSingleItem().ShouldBe("Record.cs(1): ConvGen.Generators.Model names ConvGen.Generators.Emit.Writer of ConvGen.Generators.Emit, a later folder");
    }

    [Fact]
    public void A_stage_naming_a_layer_descriptor_is_reported_even_in_a_using_or_a_cref()
    {
        var violations = DependencyRule.Violations(Compile(
            ("Layers/Conv.cs", "namespace ConvGen.Generators.Layers; internal sealed class Conv { }"),
            ("Analysis/Rules.cs", "using ConvGen.Generators.Layers;\nnamespace ConvGen.Generators.Analysis;\n/// <summary>Uses <see cref=\"Conv\"/>.</summary>\ninternal static class Rules { }")));

        violations.ShouldContain(v => v.StartsWith("Rules.cs(1): ConvGen.Generators.Analysis names ConvGen.Generators.Layers", System.StringComparison.Ordinal));
        violations.ShouldContain(v => v.StartsWith("Rules.cs(3): ConvGen.Generators.Analysis names ConvGen.Generators.Layers.Conv", System.StringComparison.Ordinal));
    }

    [Fact]
    public void References_down_the_order_and_an_unplaced_namespace()
    {
        var compilation = Compile(
            ("Model/Shape.cs", "namespace ConvGen.Generators.Model; internal readonly record struct Shape(int Length);"),
            ("Emit/Training/Plan.cs", "namespace ConvGen.Generators.Emit.Training; internal static class Plan { public static ConvGen.Generators.Model.Shape Of(int n) => new(n); }"),
            ("Caching/Cache.cs", "namespace ConvGen.Generators.Caching; internal static class Cache { public static object Shape => new ConvGen.Generators.Model.Shape(1); }"));

        DependencyRule.Violations(compilation).ShouldAllBe(v => v.Contains("'ConvGen.Generators.Caching' is not placed"));
        DependencyRule.Violations(compilation).ShouldNotBeEmpty();
    }
}
