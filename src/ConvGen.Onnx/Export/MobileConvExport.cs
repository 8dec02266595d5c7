using System;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Export;

/// <summary>
/// ONNX forms of DepthwiseConv2D (a grouped <c>Conv</c>, one group per input channel),
/// SeparableConv2D (that Conv, then a 1x1 <c>Conv</c>) and ZeroPadding2D (<c>Pad</c>, constant 0).
/// The depthwise weights <c>[kh][kw][C][m]</c> are rows of C x m output channels per tap, i.e. HWIO
/// with one input channel per group, so they become ONNX's <c>[C x m, 1, kh, kw]</c> by the Conv2D conversion.
/// </summary>
internal static class MobileConvExport
{
    /// <summary>The grouped Conv; its initializers are named after the parameter tensors (<paramref name="weightName"/>, <c>{layer}.bias</c>).</summary>
    public static string Depthwise(OnnxGraphBuilder builder, LayerInfo layer, string x, string output, string weightName, float[] hwim, float[]? bias,
        DepthwiseWindow window)
    {
        int channels = layer.InputShape.Channels;
        int outChannels = channels * window.Multiplier;
        string weight = builder.Initializer(weightName, WeightLayouts.HwioToOihw(hwim, window.KernelHeight, window.KernelWidth, 1, outChannels),
            outChannels, 1, window.KernelHeight, window.KernelWidth);
        string[] inputs = bias is null ? [x, weight] : [x, weight, builder.Initializer(layer.Name + ".bias", bias, outChannels)];
        return builder.Node("Conv", output, inputs, output,
            OnnxAttribute.FromInts("kernel_shape", window.KernelHeight, window.KernelWidth),
            OnnxAttribute.FromInts("strides", window.StrideHeight, window.StrideWidth),
            OnnxAttribute.FromInts("dilations", window.DilationHeight, window.DilationWidth),
            OnnxAttribute.FromInts("pads", window.PadTop, window.PadLeft, window.PadBottom, window.PadRight),
            OnnxAttribute.FromInt("group", channels));
    }

    /// <summary>The pointwise half of a SeparableConv2D: HWIO <c>[1,1,in,filters]</c> as OIHW <c>[filters,in,1,1]</c>.</summary>
    public static string Pointwise(OnnxGraphBuilder builder, string layerName, string x, string output, float[] hwio, float[]? bias, int inChannels, int filters)
    {
        string weight = builder.Initializer(layerName + ".pointwise_weight", WeightLayouts.HwioToOihw(hwio, 1, 1, inChannels, filters), filters, inChannels, 1, 1);
        string[] inputs = bias is null ? [x, weight] : [x, weight, builder.Initializer(layerName + ".bias", bias, filters)];
        return builder.Node("Conv", output, inputs, output, OnnxAttribute.FromInts("kernel_shape", 1, 1));
    }

    /// <summary>NCHW <c>Pad</c> (opset 13: pads as an int64 input, begins then ends per axis), zeros.</summary>
    public static string ZeroPadding(OnnxGraphBuilder builder, string x, string name, ZeroPaddingConfig config)
    {
        string pads = name + ".pads";
        builder.Graph.Initializers.Add(OnnxTensor.FromInt64s(pads, [0, 0, config.Top, config.Left, 0, 0, config.Bottom, config.Right], 8));
        return builder.Node("Pad", name, [x, pads], name); // mode "constant", value 0: the defaults
    }

    /// <summary>The depthwise window of either kind's configuration.</summary>
    internal readonly record struct DepthwiseWindow(int Multiplier, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
        int DilationHeight, int DilationWidth, int PadTop, int PadBottom, int PadLeft, int PadRight)
    {
        public static DepthwiseWindow Of(DepthwiseConvolutionConfig c) =>
            new(c.DepthMultiplier, c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth, c.DilationHeight, c.DilationWidth, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight);

        public static DepthwiseWindow Of(SeparableConvolutionConfig c) =>
            new(c.DepthMultiplier, c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth, c.DilationHeight, c.DilationWidth, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight);
    }
}
