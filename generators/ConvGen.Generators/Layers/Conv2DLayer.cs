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

/// <summary>
/// <c>[Conv2D(filters, kernel)]</c> / <c>conv2d 32 3</c>: a 2-D convolution, HWIO weights, with
/// stride, dilation, same / valid / explicit padding, an optional bias and a fused activation.
/// A BatchNorm right after a linear convolution folds into it at inference.
/// </summary>
internal sealed class Conv2DLayer : WeightedLayer
{
    public Conv2DLayer()
        : base(LayerKind.Conv2D)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "conv2d", "conv" };

    public override LayerOptions Options => LayerOptions.Window | LayerOptions.Dilation | LayerOptions.Activation | LayerOptions.Bias;

    /// <summary><c>(filters, kernel)</c> or <c>(filters, kernelHeight, kernelWidth)</c>.</summary>
    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count is 2 or 3
        ? blank with { Size = (int)arguments[0], KernelHeight = (int)arguments[1], KernelWidth = (int)arguments[arguments.Count - 1] }
        : null;

    public override string? ArgumentName(int position) => position == 0 ? "filters" : null;

    public override int TextNumberCount => 2;

    public override string TextUsage(string head) => "conv2d FILTERS KERNEL, e.g. 'conv2d 32 3' or 'conv2d 32 3x5'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryInt(0, "filter count", out int filters) || !numbers.TryWindow(1, out int height, out int width))
        {
            return false;
        }
        spec = spec with { Size = filters, KernelHeight = height, KernelWidth = width };
        return true;
    }

    // ---- Analysis ----

    public override string DefaultName => "conv2d";

    public override bool AbsorbsFollowingBatchNorm => true;

    public override bool StoresResidualSum(LayerPlan plan) => ResidualFolding.Supports(plan);

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositive(context, "filters", layer.Size, diagnostics)
            | !RequirePositiveWindow(context, "kernel", layer.KernelHeight, layer.KernelWidth, diagnostics)
            | !RequirePositive(context, "stride", layer.Stride, diagnostics)
            | !RequirePositive(context, "dilation", layer.Dilation, diagnostics))
        {
            return null;
        }
        if (!WindowFits(context, layer.Dilation, diagnostics) || !WindowChecks.PaddingIsValid(context, layer.Dilation, diagnostics))
        {
            return null;
        }
        var window = WindowChecks.Compute(input, layer, layer.Stride, layer.Stride, layer.Dilation, layer.Padding);
        var output = Shape.Spatial(window.OutHeight, window.OutWidth, layer.Size);
        var same = WindowChecks.Compute(input, layer, layer.Stride, layer.Stride, layer.Dilation, PaddingKind.Same);
        if (!window.Fits)
        {
            string smaller = layer.Dilation > 1 ? "a smaller kernel or dilation" : "a smaller kernel";
            // With explicit pads, same padding is not an option (CG0016), so it is neither advised nor offered as a fix.
            bool sameHelps = same.Fits && layer.Pads is null;
            diagnostics.Add(WindowTooLarge(context, input, output, sameHelps,
                sameHelps ? $"use {context.SamePadding} or {smaller}" : "use " + smaller));
            return null;
        }
        Windows.Coverage(context, input, window, output, Shape.Spatial(same.OutHeight, same.OutWidth, layer.Size), remainderIsExpected: false, diagnostics);
        long weights = (long)layer.KernelHeight * layer.KernelWidth * input.Channels * layer.Size;
        if (!SizeLimits.Fits(weights))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject,
                $"weights [{layer.KernelHeight},{layer.KernelWidth},{input.Channels},{layer.Size}]", weights, "values", "use a smaller kernel or fewer filters"));
            return null;
        }
        return Windows.Plan(context, input, output, window) with { Weights = TakeWeights(parameters, (int)weights, layer.UseBias ? layer.Size : 0) };
    }

    public override string Describe(LayerPlan l) => $"{l.Output.Channels}@{Windows.Describe(l)}{ActivationSuffix(l)}{BiasSuffix(l)}";

    public override string ParameterText(LayerPlan l) =>
        WeightText(l, $"weights [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{l.Output.Channels}]");

    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem)
    {
        int taps = l.KernelHeight * l.KernelWidth;
        return WeightAndBias(l, stem, new[] { l.KernelHeight, l.KernelWidth, l.Input.Channels, l.Output.Channels }, "HWIO",
            taps * l.Input.Channels, taps * l.Output.Channels);
    }

    /// <summary>
    /// The forward kernel: up to 8 input channels are unrolled (more are a loop), times the unrolled
    /// taps and output block; plus the weight gradient, which writes out rows of its register tiles.
    /// </summary>
    public override long EstimateCodeBytes(LayerPlan l) =>
        12_000 + Windows.UnrolledTaps(l) * (l.Input.Channels <= 8 ? l.Input.Channels : 1) * (Windows.VectorLanes(l) * 45 + Windows.ScalarChannels(l) * 240)
        + WeightGradientBytes(l);

    /// <summary>Bytes per multiply-add line the weight gradient writes, with its share of the tile's loads and stores.</summary>
    private const long WeightGradientLineBytes = 100;

    /// <summary>The weight gradient for each vector width it is written for: the multiply-adds its tiling writes out.</summary>
    private static long WeightGradientBytes(LayerPlan l)
    {
        if (Winograd5x5WeightGradientPlan.Applies(l))
        {
            return 0; // a call to the runtime's kernel
        }
        if ((long)l.KernelHeight * l.KernelWidth * l.Input.Channels > SizeEstimateRowLimit)
        {
            // Far past any tiling's literal rows: the rows are a loop, a few tiles written.
            return 64 * WeightGradientLineBytes;
        }
        long lines = 0;
        foreach (var width in ChannelBlocks.WidthsFor(l.Output.Channels, narrowTails: true))
        {
            lines += new ConvWeightGradientKernel(WindowShape.Of(l), width).WrittenMultiplyAdds();
        }
        return lines * WeightGradientLineBytes;
    }

    /// <summary>Rows (taps x input channels) beyond which the estimate does not walk the tiling.</summary>
    private const long SizeEstimateRowLimit = 1 << 20;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) =>
        New("ConvolutionConfig", $"{I(l.Output.Channels)}, {Window(l)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {Pads(l)}, {Activation(l)}, {Bool(l.UseBias)}");

    public override bool SplitsRows => true;

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog)
    {
        Conv2DEmitter.Emit(w, layer, catalog);
        if (layer.ResidualAdd >= 0)
        {
            ResidualFolding.EmitKernel(w, layer, catalog);
        }
        else if (layer.FoldedOffset >= 0)
        {
            BatchNormFolding.EmitKernel(w, layer, catalog);
        }
    }

    protected override void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? name) => Conv2DEmitter.Emit(w, l, catalog, name);

    protected override void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => ConvBackwardEmitter.EmitWeightGradient(w, l, catalog);

    protected override void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => ConvBackwardEmitter.EmitInputGradient(w, l, catalog);

    /// <summary>The input gradient runs on the kernel transposed once per call into this scratch.</summary>
    protected override string InputGradientScratch(LayerPlan l) => $"workspace.Layer{l.Index}KernelTransposed, ";

    public override void AddTrainingBuffers(LayerPlan l, TrainingBufferPlan buffers)
    {
        if (l.Source >= 0)
        {
            buffers.ScratchFields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}KernelTransposed", l.WeightCount,
                $"{l.Name} kernel as [kh][kw][filters][in] for the input gradient"));
        }
    }
}
