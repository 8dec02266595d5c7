using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators.Tests.CodeFixes;

/// <summary>
/// Test-only bridge between the generator and Roslyn's code-fix harness, which takes diagnostics
/// from a <see cref="DiagnosticAnalyzer"/>. It runs the real <see cref="NetworkGenerator"/> on
/// the compilation and re-reports each generator diagnostic unchanged (ID, severity, message,
/// properties), with its location moved from the file path the generator reports to the syntax
/// tree the harness owns. The fix providers therefore see exactly what the IDE hands them for a
/// generator diagnostic (Roslyn offers code fixes for those since dotnet/roslyn#67953).
/// </summary>
// RS1036/RS1038/RS1041 guard analyzers that a compiler loads; this one only ever runs inside the
// test harness, in a test assembly that needs Workspaces and net10.0.
#pragma warning disable RS1036, RS1038, RS1041
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class GeneratorDiagnosticsAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1036, RS1038, RS1041
{
    // Same ID and severity as the real descriptor; the message is passed through as the only argument.
    private static readonly ImmutableDictionary<string, DiagnosticDescriptor> s_passThrough = DiagnosticDescriptors.All
        .ToImmutableDictionary(d => d.Id, d => new DiagnosticDescriptor(d.Id, d.Title, "{0}", d.Category, d.DefaultSeverity, isEnabledByDefault: true, helpLinkUri: d.HelpLinkUri));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = s_passThrough.Values.ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        // Per document, like the IDE's view of generator diagnostics: the harness only fixes local
        // diagnostics. Running the generator once per tree is fine for single-file tests.
        context.RegisterSemanticModelAction(Report);
    }

    private static void Report(SemanticModelAnalysisContext context)
    {
        var tree = context.SemanticModel.SyntaxTree;
        var driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: (CSharpParseOptions)tree.Options,
            optionsProvider: context.Options.AnalyzerConfigOptionsProvider);
        var result = driver.RunGenerators(context.SemanticModel.Compilation, context.CancellationToken).GetRunResult();
        foreach (var diagnostic in result.Diagnostics.Where(d => d.Location.GetLineSpan().Path == tree.FilePath))
        {
            context.ReportDiagnostic(Diagnostic.Create(s_passThrough[diagnostic.Id], Location.Create(tree, diagnostic.Location.SourceSpan),
                diagnostic.Properties, diagnostic.GetMessage(CultureInfo.InvariantCulture)));
        }
    }
}
