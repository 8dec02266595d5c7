using System.Collections.Immutable;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Layers;
using ConvGen.Generators.ProgramChecks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators;

/// <summary>
/// Checks the training program around the networks (CG0210–CG0219): the loss against the last
/// activation, buffer lengths, settings, monitored metrics, augmentation factors, layer indices
/// and data sets whose shapes are compile-time facts, each reported where the value is written.
/// Like <see cref="NetworkGenerator"/>, a composition root: it hands ProgramChecks the layer
/// descriptors' parsing and rules views, so a network's shapes come from the generator's own stages.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProgramAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.LossDoesNotFitActivation, DiagnosticDescriptors.ClassificationLossOnSpatialOutput,
        DiagnosticDescriptors.BufferLengthMismatch, DiagnosticDescriptors.SettingOutOfRange, DiagnosticDescriptors.ImplausibleLearningRate,
        DiagnosticDescriptors.UnknownMonitor, DiagnosticDescriptors.AugmentationFactorOutOfRange, DiagnosticDescriptors.ShapeOfAnotherNetwork,
        DiagnosticDescriptors.LayerIndexOutOfRange, DiagnosticDescriptors.DatasetDoesNotFitNetwork);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // A project without the ConvGen runtime has nothing to check.
            if (start.Compilation.GetTypeByMetadataName("ConvGen.INetwork") is null)
            {
                return;
            }
            var checker = new ProgramChecker(new NetworkFactsReader(start.Compilation, LayerCatalog.Syntax, LayerCatalog.Rules));
            start.RegisterOperationAction(checker.Invocation, OperationKind.Invocation);
            start.RegisterOperationAction(checker.ObjectCreation, OperationKind.ObjectCreation);
        });
    }
}
