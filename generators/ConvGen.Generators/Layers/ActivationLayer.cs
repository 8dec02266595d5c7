using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Activation(Activation.Relu)]</c> / <c>relu</c>: an activation on its own. In training the
/// value before it is its input, so backward is just the activation's derivative.
/// </summary>
internal sealed class ActivationLayer : LayerDescriptor
{
    public ActivationLayer()
        : base(LayerKind.Activation)
    {
    }

    public override IReadOnlyList<string> TextNames { get; } = new[] { "activation" };

    public override LayerOptions Options => LayerOptions.Activation | LayerOptions.ActivationLine;

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        arguments.Count == 1 ? blank with { Activation = (ActivationKind)(int)arguments[0] } : null;

    public override string DefaultName => "activation";

    public override ActivationRole ActivationRole => ActivationRole.Standalone;

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics) =>
        context.Plan(inputs[0], inputs[0]);

    public override string Describe(LayerPlan l) => LayerPlan.ActivationName(l.Activation);

    public override long EstimateCodeBytes(LayerPlan plan) => 2_000;

    public override string ConfigExpression(LayerPlan l) => New("ActivationConfig", Activation(l));

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => ActivationEmitter.Emit(w, layer);

    public override void WriteForwardTraining(TrainingStep step)
    {
        step.Writer.WriteLine($"// Activation '{step.Layer.Name}' {step.Shapes}");
        step.WriteActivation(step.Input, step.Output);
    }

    public override void WriteBackward(TrainingStep step) => step.Writer.WriteLine("// the activation's derivative above is the whole backward pass");
}
