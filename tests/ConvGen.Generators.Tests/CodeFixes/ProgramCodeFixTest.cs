using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Generators.Tests.ProgramChecks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ConvGen.Generators.Tests.CodeFixes;

/// <summary>
/// Roslyn's code-fix harness for <see cref="ProgramAnalyzer"/>'s diagnostics: a training program
/// (top-level statements) next to <see cref="CatalogueNetworks"/>, with the real generator run so
/// the networks' members exist. The harness applies the fix, compares the text, and re-runs the
/// analyzer on the fixed program, which must then be free of the diagnostic.
/// </summary>
internal sealed class ProgramCodeFixTest<TCodeFix> : CSharpCodeFixTest<ProgramAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    private ProgramCodeFixTest(string program, string fixedProgram)
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(ProgramAnalyzerHarness.References);
        TestState.OutputKind = OutputKind.ConsoleApplication;
        TestState.Sources.Add(("Program.cs", CatalogueNetworks.Usings + program));
        TestState.Sources.Add(("Networks.cs", CatalogueNetworks.Source));
        FixedState.Sources.Add(("Program.cs", CatalogueNetworks.Usings + fixedProgram));
        FixedState.Sources.Add(("Networks.cs", CatalogueNetworks.Source));
        // The generated networks are SnapshotTests' business, the messages MistakeCatalogueTests'.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck | TestBehaviors.SkipSuppressionCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(NetworkGenerator) };

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>Applies <typeparamref name="TCodeFix"/> to every marked diagnostic of <paramref name="program"/> and expects <paramref name="fixedProgram"/>.</summary>
    public static Task VerifyAsync(string program, string fixedProgram) =>
        new ProgramCodeFixTest<TCodeFix>(program, fixedProgram).RunAsync(CancellationToken.None);

    /// <summary>Expects the marked diagnostics and no fix offered for them.</summary>
    public static Task VerifyNoFixAsync(string program) =>
        new ProgramCodeFixTest<TCodeFix>(program, program).RunAsync(CancellationToken.None);
}
