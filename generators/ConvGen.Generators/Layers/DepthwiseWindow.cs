using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;

namespace ConvGen.Generators.Layers;

/// <summary>The depthwise multiplier as written (<c>DepthMultiplier</c>, <c>multiplier=</c>) and as planned.</summary>
internal sealed record DepthwiseData(int Multiplier) : KindData;

/// <summary>
/// What DepthwiseConv2D and SeparableConv2D share: the <c>DepthMultiplier</c> option in both
/// forms, and the depthwise window's checks and shape (as Conv2D's, with channels x multiplier out).
/// </summary>
internal static class DepthwiseWindow
{
    public const string Option = "DepthMultiplier";

    public static int Multiplier(LayerSpec spec) => (spec.KindOptions as DepthwiseData)?.Multiplier ?? 1;

    public static LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) =>
        name == Option && value is int multiplier ? spec with { KindOptions = new DepthwiseData(multiplier) } : null;

    public static bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec)
    {
        if (key is not ("multiplier" or "depth_multiplier"))
        {
            return null;
        }
        if (!value.TryInt(0, "depth multiplier", out int multiplier))
        {
            return false;
        }
        spec = spec with { KindOptions = new DepthwiseData(multiplier) };
        return true;
    }

    /// <summary>
    /// The window and the depthwise output <c>[oh, ow, channels x multiplier]</c>, or null after
    /// reporting (non-positive sizes, a window that does not fit, bad explicit pads, too many channels).
    /// </summary>
    public static (Window Window, Shape Output)? Infer(LayerContext context, Shape input, int multiplier, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositive(context, "depth multiplier", multiplier, diagnostics)
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
        long channels = (long)input.Channels * multiplier;
        if (!SizeLimits.Fits(channels))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"{input.Channels} channels x depth multiplier {multiplier}", channels, "channels",
                "use a smaller depth multiplier"));
            return null;
        }
        var window = WindowChecks.Compute(input, layer, layer.Stride, layer.Stride, layer.Dilation, layer.Padding);
        var output = Shape.Spatial(window.OutHeight, window.OutWidth, (int)channels);
        var same = WindowChecks.Compute(input, layer, layer.Stride, layer.Stride, layer.Dilation, PaddingKind.Same);
        if (!window.Fits)
        {
            string smaller = layer.Dilation > 1 ? "a smaller kernel or dilation" : "a smaller kernel";
            bool sameHelps = same.Fits && layer.Pads is null;
            diagnostics.Add(WindowTooLarge(context, input, output, sameHelps, sameHelps ? $"use {context.SamePadding} or {smaller}" : "use " + smaller));
            return null;
        }
        Windows.Coverage(context, input, window, output, Shape.Spatial(same.OutHeight, same.OutWidth, (int)channels), remainderIsExpected: false, diagnostics);
        return (window, output);
    }

    /// <summary>Taps x output channels: the depthwise weights, checked against the size limit.</summary>
    public static long? Weights(LayerContext context, Shape output, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        long weights = (long)layer.KernelHeight * layer.KernelWidth * output.Channels;
        if (SizeLimits.Fits(weights))
        {
            return weights;
        }
        diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"depthwise weights [{layer.KernelHeight},{layer.KernelWidth},{output.Channels}]", weights, "values",
            "use a smaller kernel or depth multiplier"));
        return null;
    }
}
