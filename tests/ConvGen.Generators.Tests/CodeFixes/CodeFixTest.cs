using System.Threading;
using System.Threading.Tasks;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ConvGen.Generators.Tests.CodeFixes;

/// <summary>
/// Roslyn's code-fix harness with ConvGen's references (as <see cref="NetworkGeneratorTest"/>),
/// fed by <see cref="GeneratorDiagnosticsAnalyzer"/>. The harness applies the fix, compares the
/// text, re-runs the generator on the fixed code (whose remaining diagnostics must be exactly
/// those expected), and checks that fix-all gives the same result.
/// </summary>
internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<GeneratorDiagnosticsAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    private CodeFixTest(string source, string fixedSource)
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(TestReferences.All);
        TestState.Sources.Add(source);
        FixedState.Sources.Add(fixedSource);
        // Expectations are written as {|CG0102:...|} markup; the message is DiagnosticTests' business.
        TestBehaviors |= TestBehaviors.SkipSuppressionCheck;
    }

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>Applies <typeparamref name="TCodeFix"/> to every marked diagnostic of <paramref name="source"/> and expects <paramref name="fixedSource"/>.</summary>
    public static Task VerifyAsync(string source, string fixedSource) =>
        new CodeFixTest<TCodeFix>(source, fixedSource).RunAsync(CancellationToken.None);

    /// <summary>Expects the marked diagnostics and no fix offered for them.</summary>
    public static Task VerifyNoFixAsync(string source) =>
        new CodeFixTest<TCodeFix>(source, source).RunAsync(CancellationToken.None);
}
