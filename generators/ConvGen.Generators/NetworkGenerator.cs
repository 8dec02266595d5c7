using System.Linq;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Layers;
using ConvGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators;

/// <summary>
/// Turns each <c>[Network]</c> class into shape-specialised code. One trigger, pure steps:
/// Parse (attributes → equatable spec) → Analysis (inference + rules) → two outputs: diagnostics,
/// and source from a location-free model, so a change that only moves or re-words a diagnostic
/// does not re-emit code. The size limits (MSBuild properties) join the diagnostics branch, and
/// the model branch only to withhold a network over the code budget (CG0306), so changing a limit
/// re-checks sizes without re-emitting anything.
/// This is the composition root: it hands each stage its view of the layer descriptors
/// (<see cref="LayerCatalog"/>), so that Parsing, Analysis and Emit never name Layers/.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
    public static class Steps
    {
        /// <summary>Attributes read into an equatable spec.</summary>
        public const string Parse = "Parse";
        /// <summary>Shapes inferred and rules checked.</summary>
        public const string Shapes = "Shapes";
        /// <summary>Diagnostics only.</summary>
        public const string Diagnostics = "Diagnostics";
        /// <summary>The location-free emit model.</summary>
        public const string Model = "Model";
        /// <summary>The size limits read from the analyzer options.</summary>
        public const string Options = "Options";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var analysed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                // Records too, so that a [Network] record gets a diagnostic instead of being ignored.
                static (node, _) => node is ClassDeclarationSyntax || node.IsKind(SyntaxKind.RecordDeclaration),
                static (ctx, ct) => NetworkParser.Parse(ctx, LayerCatalog.Syntax, ct))
            .WithTrackingName(Steps.Parse)
            .Select(static (parsed, _) => ShapeInference.Analyse(parsed, LayerCatalog.Rules))
            .WithTrackingName(Steps.Shapes);

        var budget = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => SizeBudgetReader.Read(options.GlobalOptions))
            .WithTrackingName(Steps.Options);
        // An unreadable limit is reported once per compilation, not once per network.
        context.RegisterSourceOutput(budget, static (spc, b) =>
        {
            foreach (var problem in b.SettingProblems)
            {
                spc.ReportDiagnostic(problem.ToDiagnostic());
            }
        });

        var diagnostics = analysed
            .Combine(budget)
            .Select(static (pair, _) => pair.Left.Diagnostics
                .Concat(SizeBudgetCheck.Check(pair.Left.Sizes, pair.Right))
                .Concat(CodeBudget.Check(pair.Left.Sizes, pair.Right) is { } tooLarge ? new[] { tooLarge } : Enumerable.Empty<Diagnostics.DiagnosticInfo>())
                .ToEquatableArray())
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        // The code budget (CG0306) decides before anything is emitted; a changed limit that does
        // not change the decision yields an equal model, so nothing is emitted again.
        var allowed = analysed
            .Combine(budget)
            .Select(static (pair, _) => CodeBudget.Allows(pair.Left.Sizes, pair.Right) ? pair.Left.Model : null)
            .Where(static m => m is not null);
        // Hint names must be unique ignoring case across all networks (Roslyn compares them that
        // way), so each model is paired with every network's name; only adding, removing or
        // renaming a network changes that list.
        var fullNames = allowed
            .Select(static (m, _) => m!.FullName)
            .Collect()
            .Select(static (names, _) => names.ToEquatableArray());
        var models = allowed
            .Combine(fullNames)
            .Select(static (pair, _) => pair.Left! with { HintName = HintNames.For(pair.Left!.FullName, pair.Right) })
            .WithTrackingName(Steps.Model);
        context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(model.HintName, NetworkEmitter.Emit(model, LayerCatalog.Emitters)));
    }
}
