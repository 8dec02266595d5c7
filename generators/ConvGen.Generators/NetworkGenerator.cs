using System.Linq;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using ConvGen.Generators.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators;

/// <summary>
/// Turns each <c>[Network]</c> class into shape-specialised code. One trigger, pure steps:
/// Parse (attributes → equatable spec) → Shapes (inference + rules) → two outputs: diagnostics,
/// and source from a location-free model, so a change that only moves or re-words a diagnostic
/// does not re-emit code. The size limits (MSBuild properties) join only the diagnostics branch,
/// per network, so changing a limit re-checks sizes without re-emitting anything.
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
                static (ctx, ct) => NetworkParser.Parse(ctx, ct))
            .WithTrackingName(Steps.Parse)
            .Select(static (parsed, _) => ShapeInference.Analyse(parsed))
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
            .Select(static (pair, _) => pair.Left.Diagnostics.Concat(SizeBudgetCheck.Check(pair.Left.Sizes, pair.Right)).ToEquatableArray())
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var models = analysed
            .Select(static (a, _) => a.Model)
            .Where(static m => m is not null)
            .WithTrackingName(Steps.Model);
        // Hint names must be unique ignoring case across all networks (Roslyn compares them that
        // way), so each model is paired with every network's name; only adding, removing or
        // renaming a network changes that list.
        var fullNames = models
            .Select(static (m, _) => m!.FullName)
            .Collect()
            .Select(static (names, _) => names.ToEquatableArray());
        context.RegisterSourceOutput(models.Combine(fullNames), static (spc, pair) =>
        {
            var model = pair.Left!;
            spc.AddSource(HintNames.For(model.FullName, pair.Right), NetworkEmitter.Emit(model));
        });
    }
}
