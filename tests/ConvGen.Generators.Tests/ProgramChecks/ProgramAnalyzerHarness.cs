using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators.Tests.ProgramChecks;

/// <summary>
/// Compiles a training program as a user's build does: the generator first, then
/// <see cref="ProgramAnalyzer"/> over the program and the generated code together.
/// </summary>
internal static class ProgramAnalyzerHarness
{
    public static ImmutableArray<MetadataReference> References { get; } = TestReferences.All.AddRange(new[]
    {
        MetadataReference.CreateFromFile(typeof(global::ConvGen.Data.ImageFolder).Assembly.Location),
    });

    /// <summary>The program and the networks it uses: the analyzer's diagnostics and the compiler's errors.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Analyzer, ImmutableArray<Diagnostic> Errors)> RunAsync(string program, params string[] networks)
    {
        var trees = new[] { CSharpSyntaxTree.ParseText(program, GeneratorHarness.ParseOptions, path: "Program.cs") }
            .Concat(networks.Select((n, i) => CSharpSyntaxTree.ParseText(n, GeneratorHarness.ParseOptions, path: $"Networks{i}.cs")));
        var compilation = CSharpCompilation.Create("UserProgram", trees, References,
            GeneratorHarness.CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication));
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        run.ShouldNotHaveThrown();
        var output = run.OutputCompilation;
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        var analyzer = await output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ProgramAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        return (analyzer, errors);
    }
}
