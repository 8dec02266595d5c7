using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The pipeline must do no work for edits that do not change a network, and must not re-emit
/// code for edits that only move a network's diagnostics. Every tracked step is named in
/// <see cref="NetworkGenerator.Steps"/>; each test reads the reasons Roslyn records per output.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] s_stepNames = typeof(NetworkGenerator.Steps)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private const string BrokenNet = """
        using ConvGen;

        namespace Samples;

        [Network(Input = "4x4x1")]
        [Flatten]
        [Conv2D(4, 3)]
        public sealed partial class BrokenNet;
        """;

    [Fact]
    public void Every_pipeline_step_is_tracked()
    {
        s_stepNames.ShouldBe(new[] { "Parse", "Shapes", "Diagnostics", "Model", "Options" }, ignoreOrder: true);
        var run = GeneratorHarness.Run(NetworkSources.LectureNet);
        s_stepNames.ShouldBeSubsetOf(run.Result.TrackedSteps.Keys);
    }

    [Fact]
    public void Rerun_on_a_cloned_compilation_is_all_cached()
    {
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, BrokenNet);

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.Clone());

        ShouldAllBeCachedOrUnchanged(second.Result, s_stepNames);
        ShouldNotReemit(second.Result);
    }

    [Fact]
    public void Adding_an_unrelated_file_is_all_cached()
    {
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, BrokenNet);
        var tree = CSharpSyntaxTree.ParseText(NetworkSources.Unrelated, GeneratorHarness.ParseOptions, path: "Unrelated.cs");

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.AddSyntaxTrees(tree));

        ShouldAllBeCachedOrUnchanged(second.Result, s_stepNames);
        ShouldNotReemit(second.Result);
    }

    [Fact]
    public void Editing_an_unrelated_file_is_all_cached()
    {
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, NetworkSources.Unrelated);
        var unrelated = first.InputCompilation.SyntaxTrees.Single(t => t.ToString().Contains("class Unrelated"));
        var edited = unrelated.WithChangedText(unrelated.GetText().Replace(unrelated.ToString().IndexOf("42"), 2, "43"));

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.ReplaceSyntaxTree(unrelated, edited));

        ShouldAllBeCachedOrUnchanged(second.Result, s_stepNames);
        ShouldNotReemit(second.Result);
    }

    // Lines above the networks shift every location: the spec and the diagnostics change, the
    // location-free model does not, so no source is produced again.
    [Fact]
    public void Moving_networks_changes_diagnostics_but_does_not_reemit_source()
    {
        string original = NetworkSources.LectureNet + "\n" + BrokenNet.Replace("using ConvGen;", "").Replace("namespace Samples;", "");
        var first = GeneratorHarness.Run(original);
        var tree = first.InputCompilation.SyntaxTrees.Single();
        var firstDiagnostic = first.GeneratorProblems.ShouldHaveSingleItem();
        var moved = tree.WithChangedText(tree.GetText().Replace(0, 0, "// a comment and a blank line above everything\n\n"));

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.ReplaceSyntaxTree(tree, moved));

        Reasons(second.Result, NetworkGenerator.Steps.Parse).ShouldAllBe(r => r == IncrementalStepRunReason.Modified);
        Reasons(second.Result, NetworkGenerator.Steps.Diagnostics).ShouldContain(IncrementalStepRunReason.Modified);
        ShouldAllBeCachedOrUnchanged(second.Result, NetworkGenerator.Steps.Model);
        ShouldNotReemit(second.Result, fromStep: NetworkGenerator.Steps.Model);
        OutputReasons(second.Result, fromStep: NetworkGenerator.Steps.Diagnostics).ShouldContain(IncrementalStepRunReason.Modified);

        var secondDiagnostic = second.GeneratorProblems.ShouldHaveSingleItem();
        secondDiagnostic.Id.ShouldBe(firstDiagnostic.Id);
        secondDiagnostic.Location.GetLineSpan().StartLinePosition.Line
            .ShouldBe(firstDiagnostic.Location.GetLineSpan().StartLinePosition.Line + 2);
        second.Result.GeneratedSources.ShouldHaveSingleItem().SourceText.ToString()
            .ShouldBe(first.Result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Changing_a_layer_reemits_only_that_network()
    {
        const string SmallNet = """
            using ConvGen;

            namespace Samples;

            [Network(Input = "4x4x1")]
            [Flatten]
            [Dense(3)]
            public sealed partial class SmallNet;
            """;
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, SmallNet);
        var tree = first.InputCompilation.SyntaxTrees.Single(t => t.ToString().Contains("SmallNet"));
        var edited = tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf("Dense(3)"), "Dense(3)".Length, "Dense(5)"));

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.ReplaceSyntaxTree(tree, edited));

        var reasons = Reasons(second.Result, NetworkGenerator.Steps.Model).ToList();
        reasons.Count(r => r == IncrementalStepRunReason.Modified).ShouldBe(1, string.Join(", ", reasons));
        reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged).ShouldBe(1, string.Join(", ", reasons));
        second.Source("Samples.SmallNet.g.cs").ShouldContain("public const int OutputLength = 5;");
    }

    // As the user types a value that is still wrong, only the message changes: the diagnostics
    // branch runs again, the model branch (and every other network's source) stays cached.
    [Fact]
    public void Editing_a_value_that_stays_invalid_changes_only_diagnostics()
    {
        const string DropoutNet = """
            using ConvGen;

            namespace Samples;

            [Network(Input = "4x4x1")]
            [Flatten]
            [Dropout(1.5)]
            [Dense(2)]
            public sealed partial class DropoutNet;
            """;
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, DropoutNet);
        first.GeneratorProblems.ShouldHaveSingleItem().GetMessage().ShouldContain("rate 1.5 is outside [0, 1)");
        var tree = first.InputCompilation.SyntaxTrees.Single(t => t.ToString().Contains("DropoutNet"));
        var edited = tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf("1.5"), 3, "1.6"));

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.ReplaceSyntaxTree(tree, edited));

        Reasons(second.Result, NetworkGenerator.Steps.Diagnostics).ShouldContain(IncrementalStepRunReason.Modified);
        OutputReasons(second.Result, fromStep: NetworkGenerator.Steps.Diagnostics).ShouldContain(IncrementalStepRunReason.Modified);
        ShouldAllBeCachedOrUnchanged(second.Result, NetworkGenerator.Steps.Model);
        ShouldNotReemit(second.Result, fromStep: NetworkGenerator.Steps.Model);
        second.GeneratorProblems.ShouldHaveSingleItem().GetMessage().ShouldContain("rate 1.6 is outside [0, 1)");
        second.Result.GeneratedSources.ShouldHaveSingleItem().HintName.ShouldBe("Samples.LectureNet.g.cs");
    }

    // The size limits join the diagnostics branch only: a new limit re-checks sizes and may add a
    // warning, but parsing, inference and emitted source are all reused.
    [Fact]
    public void Changing_a_size_limit_changes_only_diagnostics()
    {
        var first = GeneratorHarness.Run(NetworkSources.LectureNet);
        first.GeneratorProblems.ShouldBeEmpty();
        var tighter = TestAnalyzerConfigOptionsProvider.With(("ConvGenMaxParameters", "1000"));

        var second = GeneratorHarness.Run(first.Driver.WithUpdatedAnalyzerConfigOptions(tighter), first.InputCompilation);

        ShouldAllBeCachedOrUnchanged(second.Result, NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.Shapes, NetworkGenerator.Steps.Model);
        Reasons(second.Result, NetworkGenerator.Steps.Options).ShouldAllBe(r => r == IncrementalStepRunReason.Modified);
        Reasons(second.Result, NetworkGenerator.Steps.Diagnostics).ShouldAllBe(r => r == IncrementalStepRunReason.Modified);
        ShouldNotReemit(second.Result, fromStep: NetworkGenerator.Steps.Model);
        second.GeneratorProblems.ShouldHaveSingleItem().Id.ShouldBe(DiagnosticDescriptors.ParameterBudgetExceededId);
    }

    // Only members that could clash with generated ones are part of the spec, so adding an
    // ordinary method to the network class leaves the parse output equal.
    [Fact]
    public void Adding_an_ordinary_member_to_the_network_class_is_unchanged_after_parsing()
    {
        const string OtherPart = """
            namespace Samples;

            public sealed partial class LectureNet
            {
            }
            """;
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, OtherPart);
        var tree = first.InputCompilation.SyntaxTrees.Single(t => !t.ToString().Contains("[Network"));
        var edited = tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf('{') + 1, 0, "\n    public int Epochs => 10;\n"));

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.ReplaceSyntaxTree(tree, edited));

        ShouldAllBeCachedOrUnchanged(second.Result, s_stepNames);
        ShouldNotReemit(second.Result);
    }

    // The parse step reads other files too (other partial declarations, containing types); an
    // edit there must reach a network whose own file did not change.
    [Fact]
    public void Editing_another_partial_declaration_reaches_the_network()
    {
        const string OtherPart = """
            namespace Samples;

            public sealed partial class LectureNet
            {
            }
            """;
        var first = GeneratorHarness.Run(NetworkSources.LectureNet, OtherPart);
        first.GeneratorProblems.ShouldBeEmpty();
        var tree = first.InputCompilation.SyntaxTrees.Single(t => !t.ToString().Contains("[Network"));
        var edited = tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf("public sealed"), 0, "[ConvGen.Dense(2)]\n"));

        var second = GeneratorHarness.Run(first.Driver, first.InputCompilation.ReplaceSyntaxTree(tree, edited));

        second.GeneratorProblems.ShouldHaveSingleItem().Id.ShouldBe(DiagnosticDescriptors.LayerAttributeOnOtherDeclarationId);
        second.Result.GeneratedSources.ShouldBeEmpty();
    }

    // NetEscapades.EnumGenerators' check: cached outputs hold only equatable data, never Roslyn
    // objects (which compare by reference and keep compilations alive).
    [Fact]
    public void Step_outputs_hold_no_Roslyn_objects()
    {
        var run = GeneratorHarness.Run(NetworkSources.LectureNet, NetworkSources.LectureNetText.Replace("LectureNet;", "LectureNetText;"), BrokenNet);

        foreach (var name in s_stepNames)
        {
            var outputs = run.Result.TrackedSteps[name].SelectMany(step => step.Outputs).ToList();
            outputs.ShouldNotBeEmpty(name);
            foreach (var (value, _) in outputs)
            {
                RoslynObjectWalker.FindRoslynObjects(value, name).ShouldBeEmpty();
            }
        }
    }

    [Fact]
    public void Roslyn_object_walker_finds_a_hidden_location()
    {
        // Guards the guard: a walker that sees nothing would make the test above pass vacuously.
        var holder = new List<object> { new DiagnosticInfo("CG0001", null, default), Location.None };

        RoslynObjectWalker.FindRoslynObjects(holder).ShouldHaveSingleItem().ShouldContain("Location");
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps[stepName].SelectMany(step => step.Outputs).Select(output => output.Reason);

    private static void ShouldAllBeCachedOrUnchanged(GeneratorRunResult result, params string[] stepNames)
    {
        foreach (var name in stepNames)
        {
            var reasons = Reasons(result, name).ToList();
            reasons.ShouldNotBeEmpty(name);
            reasons.ShouldAllBe(r => r == IncrementalStepRunReason.Cached || r == IncrementalStepRunReason.Unchanged,
                $"step {name}: {string.Join(", ", reasons)}");
        }
    }

    /// <summary>The outputs (source and diagnostics) fed by <paramref name="fromStep"/>, or all of them.</summary>
    private static List<IncrementalStepRunReason> OutputReasons(GeneratorRunResult result, string? fromStep = null) =>
        result.TrackedOutputSteps.SelectMany(pair => pair.Value)
            .Where(step => fromStep is null || step.Inputs.Any(input => input.Source.Name == fromStep))
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToList();

    private static void ShouldNotReemit(GeneratorRunResult result, string? fromStep = null)
    {
        var reasons = OutputReasons(result, fromStep);
        reasons.ShouldNotBeEmpty();
        reasons.ShouldAllBe(r => r == IncrementalStepRunReason.Cached || r == IncrementalStepRunReason.Unchanged,
            $"outputs{(fromStep is null ? "" : " of " + fromStep)}: {string.Join(", ", reasons)}");
    }
}
