using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>
/// Thousands of random networks (seeded, so every run sees the same ones), one compilation per
/// batch of 250. Against <see cref="FuzzOracle"/>, for every network: an invalid one gets at least
/// one error in its own file (ConvGen's, or the compiler's for broken C#); a valid one gets no
/// ConvGen error and generated code; the generator never throws. The generated code of a sample
/// of valid networks covering every emit path the batch reached (<see cref="FuzzFeatures"/>) is
/// compiled and must have no errors and no warnings. Compiling all of them would cost about a
/// quarter of a second of CPU per network, minutes for the whole run.
/// </summary>
public sealed class RandomisedNetworkTests
{
    private const int Seed = 20_240_611;
    private const int Batches = 12;
    private const int NetworksPerBatch = 250;
    private const int CompiledPerBatch = 12;

    public static TheoryData<int> BatchNumbers()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Batches; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BatchNumbers))]
    public void Every_invalid_network_is_reported_and_valid_ones_compile(int batch)
    {
        // One factory per batch, seeded from the batch: batches are independent and reproducible alone.
        var factory = new FuzzNetworkFactory(Seed + batch);
        var networks = Enumerable.Range(0, NetworksPerBatch).Select(i => factory.Next(batch * NetworksPerBatch + i)).ToList();
        var trees = networks.Select(n => CSharpSyntaxTree.ParseText(FuzzSource.Write(n), GeneratorHarness.ParseOptions, path: n.FileName)).ToList();
        var compilation = CSharpCompilation.Create("Fuzz", trees, TestReferences.All, GeneratorHarness.CompilationOptions);

        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        run.ShouldNotHaveThrown();
        var generatorErrors = ByFile(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        var generatedFiles = run.Result.GeneratedSources.Select(s => s.HintName).ToHashSet();
        var failures = new List<string>();
        var valid = new List<FuzzNetwork>();
        foreach (var network in networks)
        {
            var ownErrors = generatorErrors.GetValueOrDefault(network.FileName, new List<Diagnostic>());
            string? failure;
            if (FuzzOracle.HasError(network, out string reason))
            {
                // Broken C# is the compiler's to report; only then is it fine for ConvGen to stay silent.
                bool compilerError = ownErrors.Count == 0 && CompilerErrors(run.InputCompilation, trees[networks.IndexOf(network)]).Any();
                failure = ownErrors.Count > 0 || compilerError ? null : $"invalid ({reason}) but no error was reported";
            }
            else
            {
                valid.Add(network);
                failure = ownErrors.Count > 0 ? "valid but ConvGen reported " + string.Join(" | ", ownErrors)
                    : !generatedFiles.Contains(network.GeneratedFileName) ? "valid but no code was generated"
                    : null;
            }
            if (failure is not null)
            {
                failures.Add($"{network.ClassName}: {failure}\n{FuzzSource.Write(network)}");
            }
        }
        failures.ShouldBeEmpty(Report(batch, failures));
        // The mix must stay useful: plenty of both kinds in every batch.
        valid.Count.ShouldBeInRange(NetworksPerBatch / 5, NetworksPerBatch * 4 / 5, $"valid networks in batch {batch}");

        foreach (var network in FuzzFeatures.CoveringSample(valid, CompiledPerBatch))
        {
            var problems = run.OutputCompilation.SyntaxTrees
                .Where(t => Path.GetFileName(t.FilePath) is var name && (name == network.FileName || name == network.GeneratedFileName))
                .SelectMany(t => run.OutputCompilation.GetSemanticModel(t).GetDiagnostics())
                // CS1591: the random classes carry no XML docs, which is the user's business, not ConvGen's.
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591")
                .ToList();
            problems.ShouldBeEmpty($"{network.ClassName} does not compile cleanly:\n{FuzzSource.Write(network)}");
        }
    }

    private static IEnumerable<Diagnostic> CompilerErrors(Compilation compilation, SyntaxTree tree) =>
        compilation.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    private static Dictionary<string, List<Diagnostic>> ByFile(IEnumerable<Diagnostic> diagnostics) => diagnostics
        .GroupBy(d => Path.GetFileName(d.Location.GetLineSpan().Path) ?? "")
        .ToDictionary(g => g.Key, g => g.ToList());

    private static string Report(int batch, List<string> failures)
    {
        var text = new StringBuilder($"batch {batch} (seed {Seed + batch}): {failures.Count} networks disagree with the oracle; the first ones:\n");
        foreach (var failure in failures.Take(5))
        {
            text.AppendLine(failure);
        }
        return text.ToString();
    }
}
