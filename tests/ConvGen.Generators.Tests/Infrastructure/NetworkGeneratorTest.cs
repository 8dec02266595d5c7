using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Microsoft.CodeAnalysis.Testing's generator test, configured for ConvGen: .NET 10 references
/// from Basic.Reference.Assemblies (the package's built-in net10.0 set is not served by the
/// feed), the ConvGen runtime, the latest language version, and compiler warnings checked too,
/// so a generator crash (CS8785, a warning) cannot pass unnoticed.
/// </summary>
internal sealed class NetworkGeneratorTest : CSharpSourceGeneratorTest<NetworkGenerator, DefaultVerifier>
{
    public NetworkGeneratorTest(string source)
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(TestReferences.All);
        TestState.Sources.Add(source);
        CompilerDiagnostics = CompilerDiagnostics.Warnings;
        // Test networks carry no XML docs; a user project without GenerateDocumentationFile has no CS1591 either.
        DisabledDiagnostics.Add("CS1591");
        // Generated text is the snapshot tests' business; here only diagnostics count (a warning
        // case does generate code, which must still compile without warnings: see CompilerDiagnostics).
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>
    /// Runs the test: exactly the expected diagnostics (ID, message, markup span). The same source
    /// also goes through a plain driver run, which must record no generator exception.
    /// </summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(source, "", expected);

    /// <summary>As <see cref="VerifyAsync(string, DiagnosticResult[])"/>, with global analyzer options (e.g. <c>build_property.ConvGenMaxParameters = 1000</c>), one per line.</summary>
    public static Task VerifyAsync(string source, string globalOptions, params DiagnosticResult[] expected)
    {
        GeneratorHarness.Run(StripMarkup(source)).ShouldNotHaveThrown();

        var test = new NetworkGeneratorTest(source);
        if (globalOptions.Length > 0)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalOptions));
        }
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>An expected ConvGen error at markup location <c>{|#index:...|}</c> with this exact message.</summary>
    public static DiagnosticResult Error(string id, int location, string message) => Expect(id, DiagnosticSeverity.Error, location, message);

    /// <summary>An expected ConvGen warning at markup location <c>{|#index:...|}</c> with this exact message.</summary>
    public static DiagnosticResult Warning(string id, int location, string message) => Expect(id, DiagnosticSeverity.Warning, location, message);

    /// <summary>An expected ConvGen information message at markup location <c>{|#index:...|}</c>.</summary>
    public static DiagnosticResult Info(string id, int location, string message) => Expect(id, DiagnosticSeverity.Info, location, message);

    private static DiagnosticResult Expect(string id, DiagnosticSeverity severity, int location, string message) =>
        new DiagnosticResult(id, severity).WithLocation(location).WithMessage(message);

    // Removes {|#0:...|} and {|ID:...|} span markup, leaving the source the user would write.
    private static string StripMarkup(string source) =>
        Regex.Replace(source, @"\{\|[^:|{}]+:|\|\}", "");
}
