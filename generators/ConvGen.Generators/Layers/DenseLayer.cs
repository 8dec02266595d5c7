using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary><c>[Dense(units)]</c> / <c>dense 64 relu</c>: fully connected, IO weights, on a flat input (or a 1x1 map, kept 1x1), with an optional bias and a fused activation.</summary>
internal sealed class DenseLayer : WeightedLayer
{
    public DenseLayer()
        : base(LayerKind.Dense)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "dense" };

    public override LayerOptions Options => LayerOptions.Activation | LayerOptions.Bias;

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        arguments.Count == 1 ? blank with { Size = (int)arguments[0] } : null;

    public override string? ArgumentName(int position) => position == 0 ? "units" : null;

    public override int TextNumberCount => 1;

    public override string TextUsage(string head) => "dense UNITS, e.g. 'dense 64 relu'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryInt(0, "unit count", out int units))
        {
            return false;
        }
        spec = spec with { Size = units };
        return true;
    }

    // ---- Analysis ----

    public override string DefaultName => "dense";

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        if (!RequirePositive(context, "units", layer.Size, diagnostics))
        {
            return null;
        }
        // A 1x1 map is a vector in NHWC; Keras applies Dense on the last axis, so [1,1,C] gives [1,1,units] (a squeeze-and-excitation branch keeps rank).
        bool onePixel = input.IsSpatial && input.Height == 1 && input.Width == 1;
        if (input.IsSpatial && !onePixel)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DenseNeedsFlatInput, layer.Location,
                context.Index, context.Name, input.ToText(), context.IsTextForm ? "a 'flatten' line" : "[Flatten]", input.Length));
            return null;
        }
        long weights = input.Length * layer.Size;
        if (!SizeLimits.Fits(weights))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"weights [{input.Length},{layer.Size}]", weights, "values",
                "use fewer units, or downsample (pooling, strides) before Flatten"));
            return null;
        }
        return context.Plan(input, onePixel ? Shape.Spatial(1, 1, layer.Size) : Shape.Vector(layer.Size)) with { Weights = TakeWeights(parameters, (int)weights, layer.UseBias ? layer.Size : 0) };
    }

    public override string Describe(LayerPlan l) => $"{l.Output.Channels}{ActivationSuffix(l)}{BiasSuffix(l)}";

    public override string ParameterText(LayerPlan l) => WeightText(l, $"weights [{l.Input.Length},{l.Output.Channels}]");

    public override string FewerParametersAdvice => "use fewer units, or downsample before Flatten (pooling or a stride) so that it has fewer inputs";

    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem) =>
        WeightAndBias(l, stem, new[] { l.Input.Channels, l.Output.Channels }, "IO", l.Input.Channels, l.Output.Channels);

    /// <summary>One call into the runtime's GEMM per pass, whatever the size.</summary>
    public override long EstimateCodeBytes(LayerPlan plan) => 3_500;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) => New("DenseConfig", $"{I(l.Output.Channels)}, {Activation(l)}, {Bool(l.UseBias)}");

    protected override void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? name) => DenseEmitter.Emit(w, l, name);

    /// <summary>No generated kernel: the runtime makes a Dense weight gradient through the chunks (<see cref="WeightGradientStatement"/>).</summary>
    protected override bool HasWeightGradientKernel => false;

    protected override void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
    }

    /// <summary>
    /// <c>chunks.DenseWeightGradient(x, inputs, dz, units, weights at, bias at or -1)</c>: the runtime's
    /// register-tiled GEMM, a block of rows at a time for a large matrix, so that a thread's chunks
    /// cost one pass over the gradient, not one each.
    /// </summary>
    protected override string WeightGradientStatement(TrainingStep step)
    {
        var l = step.Layer;
        return $"{TrainingStep.Chunks}.DenseWeightGradient({step.Input}, {I(l.Input.Channels)}, gradient, {I(l.Output.Channels)}, {I(l.WeightOffset)}, {(l.UseBias ? I(l.BiasOffset) : "-1")});";
    }

    protected override void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => DenseBackwardEmitter.EmitInputGradient(w, l);

    /// <summary>The Dropout's mask and the ReLU's output the input gradient goes through as it is stored (LayerPlan.GradientMask).</summary>
    protected override string InputGradientGates(TrainingStep step)
    {
        var l = step.Layer;
        return (l.GradientMask >= 0 ? $", workspace.Layer{I(l.GradientMask)}Mask" : "")
            + (l.GradientRelu >= 0 ? $", {step.Buffers.Output[l.GradientRelu]}" : "");
    }
}
