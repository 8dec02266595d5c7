using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[MaxPool2D(size)]</c> and <c>[AvgPool2D(size)]</c> / <c>maxpool2d 2</c>: one descriptor
/// for both windowed pools. Stride 0 (the default) means the window size, per axis, as in Keras.
/// </summary>
internal sealed class PoolLayer : PoolingLayer
{
    private PoolLayer(LayerKind kind, bool max, string defaultName, params string[] textNames)
        : base(kind, max, defaultName, textNames)
    {
    }

    public static PoolLayer Max { get; } = new(LayerKind.MaxPool2D, max: true, "max_pooling2d", "maxpool2d", "maxpool", "max_pooling2d");

    public static PoolLayer Average { get; } = new(LayerKind.AvgPool2D, max: false, "average_pooling2d", "avgpool2d", "avgpool", "average_pooling2d");

    // ---- Parsing ----

    public override LayerOptions Options => LayerOptions.Window;

    /// <summary><c>(size)</c> or <c>(height, width)</c>.</summary>
    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count is 1 or 2
        ? blank with { KernelHeight = (int)arguments[0], KernelWidth = (int)arguments[arguments.Count - 1] }
        : null;

    public override int TextNumberCount => 1;

    public override string TextUsage(string head) => $"{head} SIZE, e.g. '{head} 2' or '{head} 2x3'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryWindow(0, out int height, out int width))
        {
            return false;
        }
        spec = spec with { KernelHeight = height, KernelWidth = width };
        return true;
    }

    // ---- Analysis ----

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositiveWindow(context, "pool", layer.KernelHeight, layer.KernelWidth, diagnostics)
            | !RequireNonNegative(context, "stride", layer.Stride, diagnostics))
        {
            return null;
        }
        if (!WindowFits(context, 1, diagnostics) || !WindowChecks.PaddingIsValid(context, 1, diagnostics))
        {
            return null;
        }
        int strideH = layer.Stride == 0 ? layer.KernelHeight : layer.Stride;
        int strideW = layer.Stride == 0 ? layer.KernelWidth : layer.Stride;
        var window = WindowChecks.Compute(input, layer, strideH, strideW, 1, layer.Padding);
        var output = Shape.Spatial(window.OutHeight, window.OutWidth, input.Channels);
        var same = WindowChecks.Compute(input, layer, strideH, strideW, 1, PaddingKind.Same);
        if (!window.Fits)
        {
            bool sameHelps = same.Fits && layer.Pads is null;
            diagnostics.Add(WindowTooLarge(context, input, output, sameHelps,
                (sameHelps ? $"use {context.SamePadding}, a" : "use a") + " smaller pool size, or remove an earlier downsampling layer"));
            return null;
        }
        Windows.Coverage(context, input, window, output, Shape.Spatial(same.OutHeight, same.OutWidth, input.Channels), remainderIsExpected: true, diagnostics);
        return Windows.Plan(context, input, output, window);
    }

    public override string Describe(LayerPlan l) => Windows.Describe(l);

    /// <summary>Unrolled taps times the channel block (vectors and scalars alike cost a line).</summary>
    public override long EstimateCodeBytes(LayerPlan l) =>
        3_000 + Windows.UnrolledTaps(l) * (Windows.VectorLanes(l) / ChannelBlock.Lanes + Windows.ScalarChannels(l)) * 130;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) => New("PoolConfig", $"{Window(l)}, {Pads(l)}");

    public override bool SplitsRows => true;

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => PoolEmitter.EmitWindow(w, layer);
}
