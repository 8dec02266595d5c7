using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="NetworkGenerator"/> directly on an in-memory compilation, with step tracking on,
/// and hands back everything tests assert on: generated sources, generator diagnostics, the
/// compilation including the generated code, and the driver for incremental re-runs.
/// </summary>
internal static class GeneratorHarness
{
    // Documentation comments are parsed so that malformed XML docs in generated code surface as
    // warnings, as they would in a user project with GenerateDocumentationFile.
    public static CSharpParseOptions ParseOptions { get; } = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithDocumentationMode(DocumentationMode.Diagnose);

    // The strictest settings a user project can have: every warning wave, nullable on.
    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable)
        .WithWarningLevel(9999);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserAssembly",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Network{i}.cs")),
            TestReferences.All,
            CompilationOptions);

    /// <param name="options">Global analyzer options, e.g. the size limits; none by default.</param>
    public static GeneratorDriver CreateDriver(AnalyzerConfigOptionsProvider? options = null) => CSharpGeneratorDriver.Create(
        new[] { new NetworkGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        optionsProvider: options,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    public static GeneratorRun Run(AnalyzerConfigOptionsProvider options, params string[] sources) => Run(CreateDriver(options), CreateCompilation(sources));

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        return new GeneratorRun(driver, compilation, output, driverDiagnostics);
    }
}

/// <summary>One generator run and its results.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation InputCompilation, Compilation OutputCompilation, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Generator warnings and errors (information such as CG0105 left out).</summary>
    public ImmutableArray<Diagnostic> GeneratorProblems => Result.Diagnostics
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToImmutableArray();

    /// <summary>The single generated file's text; fails when there is not exactly one.</summary>
    public string SingleSource => Result.GeneratedSources.ShouldHaveSingleItem().SourceText.ToString();

    public string Source(string hintName) =>
        Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Warnings and errors of the user's code compiled together with the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationProblems => OutputCompilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToImmutableArray();

    /// <summary>
    /// A generator that throws is reported by the driver as CS8784/CS8785 and its output is
    /// dropped silently; every test asserts this never happens.
    /// </summary>
    public void ShouldNotHaveThrown()
    {
        Result.Exception.ShouldBeNull();
        DriverDiagnostics.ShouldNotContain(d => d.Id == "CS8784" || d.Id == "CS8785",
            string.Join(Environment.NewLine, DriverDiagnostics));
    }
}
