using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Add("a", "b")]</c> / <c>add a b relu</c>: the residual sum of two earlier layers of the
/// same shape, then an optional activation. The gradient passes unchanged to both summands
/// (TrainingMembersEmitter routes the second one).
/// </summary>
internal sealed class AddLayer : LayerDescriptor
{
    public AddLayer()
        : base(LayerKind.Add)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "add" };

    public override LayerOptions Options => LayerOptions.Activation | LayerOptions.NamedSources;

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        arguments.Count == 2 ? blank with { Sources = new EquatableArray<string>(new[] { (string)arguments[0], (string)arguments[1] }) } : null;

    // ---- Analysis ----

    public override string DefaultName => "add";

    public override ActivationRole ActivationRole => ActivationRole.Fused;

    public override int NamedSources => 2;

    /// <summary>Both summands must have the same shape; the advice says how to make them match.</summary>
    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var a = inputs[0];
        var b = inputs[1];
        if (a != b)
        {
            string advice = a.Rank != b.Rank
                ? "sum two spatial maps or two vectors, not one of each"
                : a.Channels != b.Channels && (a.Height != b.Height || a.Width != b.Width)
                    ? "give the shortcut a 1x1 Conv2D with the block's filters and stride (a projection shortcut)"
                    : a.Channels != b.Channels
                        ? "give the shortcut a 1x1 Conv2D with the block's filter count (a projection shortcut)"
                        : "downsample the shortcut by the same stride, e.g. a 1x1 Conv2D or a pooling layer with that stride";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AddShapeMismatch, context.Layer.Location,
                context.Index, context.Name, context.Layer.Sources[0], a.ToText(), context.Layer.Sources[1], b.ToText(), advice));
            return null;
        }
        return context.Plan(a, a);
    }

    public override string Describe(LayerPlan l) => string.Join(" + ", l.SourceNames) + ActivationSuffix(l);

    public override long EstimateCodeBytes(LayerPlan plan) => 2_000;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) => New("AddConfig", Activation(l));

    public override bool SplitsRows => true;

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => AddEmitter.Emit(w, layer);

    // Training runs the inference entry (with activate: false but for a ReLU): Add has no training kernels of its own.
    public override void WriteForwardTraining(TrainingStep step)
    {
        step.CallKernel(MethodName(step.Layer), $"{step.SourceSlices}, {step.PreActivation}, batch{step.KeepPreActivation}");
        step.ApplyActivation();
    }

    public override void WriteBackward(TrainingStep step) => step.Writer.WriteLine("// a sum passes its gradient unchanged to both summands");
}
