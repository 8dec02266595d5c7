using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block in docs/**/*.md and README.md is compiled together with the
/// ConvGen generator and the runtime libraries it may use (ConvGen, ConvGen.Imaging,
/// ConvGen.Onnx), as a user's console program would be. A block must compile without errors and
/// without generator warnings, unless its fence names the generator diagnostics it is meant to
/// show (<c>```csharp expect-CG0101</c>): then exactly those must be reported. Failures name the
/// Markdown file and line.
/// </summary>
public sealed class DocSnippetTests
{
    private static readonly IReadOnlyList<DocSnippet> s_snippets = DocSnippet.All(TestPaths.RepositoryRoot);

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var snippet in s_snippets)
        {
            data.Add(snippet.Where);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles_with_the_generator(string where)
    {
        var snippet = s_snippets.Single(s => s.Where == where);

        var problems = SnippetCompiler.Problems(snippet);

        problems.ShouldBeEmpty($"{where}:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void Docs_have_snippets_in_every_guide_and_the_readme()
    {
        // Guards the extraction itself: a parser that silently found nothing would pass every theory.
        var files = s_snippets.Select(s => s.File).ToHashSet();
        files.ShouldContain("README.md");
        files.ShouldContain("docs/dsl.md");
        files.ShouldContain("docs/training.md");
        files.ShouldContain("docs/diagnostics/CG0101.md");
        s_snippets.ShouldContain(s => s.ExpectedIds.Contains("CG0101"));
    }

    [Fact]
    public void A_broken_snippet_is_reported_with_its_file_and_line()
    {
        var page = "# Page\n\ntext\n\n```csharp\nvar net = MissingNet.Create(seed: 1);\n```\n";
        var snippet = DocSnippet.Read("docs/page.md", page).Single();

        var problems = SnippetCompiler.Problems(snippet);

        problems.ShouldContain(p => p.StartsWith("docs/page.md(6,") && p.Contains("CS0103") && p.Contains("MissingNet"));
    }

    [Fact]
    public void An_expected_diagnostic_that_is_not_reported_fails()
    {
        var page = "```csharp expect-CG0102\n[Network(Input = \"8x8x1\")]\n[Flatten]\n[Dense(2)]\npublic sealed partial class FineNet;\n```\n";
        var snippet = DocSnippet.Read("docs/page.md", page).Single();

        SnippetCompiler.Problems(snippet).ShouldContain(p => p.Contains("expected CG0102"));
    }

    [Fact]
    public void Statements_after_a_declaration_and_a_prelude_compile_in_source_order_of_kinds()
    {
        var page = "<!-- prelude\nfloat[] image = new float[8 * 8];\n-->\n```csharp\n[Network(Input = \"8x8x1\")]\n[Flatten]\n[Dense(2, Activation = Activation.Softmax)]\npublic sealed partial class TinyNet;\n\nvar net = TinyNet.Create(seed: 1);\nvar output = new float[2];\nnet.Predict(image, output);\n```\n";
        var snippet = DocSnippet.Read("docs/page.md", page).Single();

        snippet.Prelude.ShouldBe("float[] image = new float[8 * 8];");
        snippet.PreludeLine.ShouldBe(2);
        SnippetCompiler.Problems(snippet).ShouldBeEmpty();
    }
}

/// <summary>Compiles one snippet and lists what is wrong with it, each entry as <c>file(line,column): ID: message</c>.</summary>
internal static class SnippetCompiler
{
    private static readonly ImmutableArray<MetadataReference> s_references = TestReferences.All.AddRange(new[]
    {
        MetadataReference.CreateFromFile(typeof(global::ConvGen.Data.ImageFolder).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::ConvGen.Onnx.Import.OnnxImporter).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::SkiaSharp.SKBitmap).Assembly.Location),
        // Tensor<T> (docs/data.md): a package ConvGen depends on, not part of the shared framework.
        MetadataReference.CreateFromFile(typeof(global::System.Numerics.Tensors.Tensor).Assembly.Location),
    });

    public static List<string> Problems(DocSnippet snippet)
    {
        var (source, hasStatements, syntaxErrors) = SnippetProgram.Assemble(snippet, GeneratorHarness.ParseOptions);
        if (syntaxErrors.Count > 0)
        {
            return syntaxErrors.ToList();
        }
        var compilation = CSharpCompilation.Create(
            "DocSnippet",
            new[]
            {
                CSharpSyntaxTree.ParseText(SnippetProgram.GlobalUsingsSource, GeneratorHarness.ParseOptions, path: "GlobalUsings.cs"),
                CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Snippet.cs"),
            },
            s_references,
            GeneratorHarness.CompilationOptions.WithOutputKind(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new TestAnalyzerConfigOptionsProvider(snippet.BuildProperties)), compilation);
        run.ShouldNotHaveThrown();

        var problems = new List<string>();
        // The program analyzer runs as in a user's build, over the snippet and the generated code:
        // a correct snippet must get none of its diagnostics (no false positive).
        var programDiagnostics = run.OutputCompilation
            .WithAnalyzers(ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new ProgramAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var reported = run.GeneratorDiagnostics.Concat(programDiagnostics).Select(d => d.Id).ToHashSet();
        foreach (string id in snippet.ExpectedIds.Where(id => !reported.Contains(id)))
        {
            problems.Add($"{snippet.Where}: expected {id} (the fence says expect-{id}) but the generator and the program analyzer reported {(reported.Count == 0 ? "nothing" : string.Join(", ", reported))}");
        }
        problems.AddRange(run.GeneratorProblems.Where(d => !snippet.ExpectedIds.Contains(d.Id)).Select(Format));
        problems.AddRange(programDiagnostics.Where(d => !snippet.ExpectedIds.Contains(d.Id)).Select(Format));
        problems.AddRange(run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("CG", System.StringComparison.Ordinal))
            .Select(Format));
        return problems;
    }

    private static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        string where = span.IsValid ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "(no location)";
        return $"{where}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }
}
