using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary><c>[Flatten]</c>: [H,W,C] to [H*W*C]. The values stay where they are (NHWC is already flat), so it costs nothing in any pass.</summary>
internal sealed class FlattenLayer : LayerDescriptor
{
    public FlattenLayer()
        : base(LayerKind.Flatten)
    {
    }

    public override IReadOnlyList<string> TextNames { get; } = new[] { "flatten" };

    public override string DefaultName => "flatten";

    public override ActivationRole ActivationRole => ActivationRole.Transparent;

    public override bool IsIdentityAtInference => true;

    public override bool AliasesInputWhenTraining => true;

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var input = inputs[0];
        if (!input.IsSpatial && context.Previous is { } previous)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FlattenOfFlatInput, context.Layer.Location,
                context.Index, context.Name, input.ToString(), $"{previous.Index} {previous.Kind} '{previous.Name}'"));
        }
        // Every output is checked against SizeLimits, so a flattened input always fits an int.
        return context.Plan(input, Shape.Vector((int)input.Length));
    }

    public override string ConfigExpression(LayerPlan layer) => New("FlattenConfig");

    public override void WriteForwardTraining(TrainingStep step) =>
        step.Writer.WriteLine($"// Flatten '{step.Layer.Name}': same buffer {step.Shapes}");

    public override void WriteBackward(TrainingStep step) => step.Writer.WriteLine("// same values, new shape: nothing to do");
}
