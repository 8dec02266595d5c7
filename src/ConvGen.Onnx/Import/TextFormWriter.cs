using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Onnx.Import;

/// <summary>
/// The same declaration as <see cref="DeclarationWriter"/> in ConvGen's compact text form (one
/// layer per line, <c>kind positional... key=value... flags</c>), for <c>[Network("""...""")]</c>
/// or an AdditionalFiles file. Uses the text equivalents fixed for the transfer-learning DSL:
/// <c>batchnorm eps= momentum=</c>, <c>add a b relu</c>, <c>input=name</c>,
/// <c>pads=top,bottom,left,right</c>. Shapes follow each line as <c># [H,W,C]</c> comments.
/// </summary>
public static class TextFormWriter
{
    /// <summary>The network as text form.</summary>
    public static string Render(ImportedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var lines = new List<(string Text, string Shape)>
        {
            ($"input {network.InputShape.Height}x{network.InputShape.Width}x{network.InputShape.Channels}", network.InputShape.ToString()),
        };
        string previous = OnnxImporter.NetworkInputName;
        foreach (ImportedLayer layer in network.Layers)
        {
            lines.Add((Line(layer, previous), layer.OutputShape.ToString()));
            previous = layer.Name;
        }
        int width = lines.Max(l => l.Text.Length) + 2;
        var text = new StringBuilder();
        foreach (var (line, shape) in lines)
        {
            text.Append(line.PadRight(width)).Append("# ").AppendLine(shape);
        }
        return text.ToString();
    }

    private static string Line(ImportedLayer layer, string previous)
    {
        var parts = new List<string>();
        switch (layer.Kind)
        {
            case ImportedLayerKind.Conv2D:
                parts.AddRange(["conv2d", I(layer.Units), Kernel(layer)]);
                Window(layer, parts, defaultStride: 1);
                if (!layer.UseBias)
                {
                    parts.Add("bias=false");
                }
                break;
            case ImportedLayerKind.MaxPool2D or ImportedLayerKind.AvgPool2D:
                parts.AddRange([layer.Kind == ImportedLayerKind.MaxPool2D ? "maxpool2d" : "avgpool2d", Kernel(layer)]);
                Window(layer, parts, defaultStride: layer.KernelHeight);
                break;
            case ImportedLayerKind.BatchNorm:
                parts.AddRange(["batchnorm", "eps=" + D(layer.Epsilon), "momentum=" + D(layer.Momentum)]);
                break;
            case ImportedLayerKind.Add:
                parts.AddRange(["add", layer.Inputs[0], layer.Inputs[1]]);
                break;
            case ImportedLayerKind.Multiply:
                parts.AddRange(["multiply", layer.Inputs[0], layer.Inputs[1]]);
                break;
            case ImportedLayerKind.Dense:
                parts.AddRange(["dense", I(layer.Units)]);
                if (!layer.UseBias)
                {
                    parts.Add("bias=false");
                }
                break;
            case ImportedLayerKind.Activation:
                parts.Add("activation");
                break;
            case ImportedLayerKind.GlobalAvgPool2D or ImportedLayerKind.GlobalMaxPool2D:
                parts.Add(layer.Kind == ImportedLayerKind.GlobalAvgPool2D ? "globalavgpool2d" : "globalmaxpool2d");
                if (layer.KeepDims)
                {
                    parts.Add("keepdims=true");
                }
                break;
            case ImportedLayerKind.Reshape:
                parts.AddRange(["reshape", layer.OutputShape.Rank == 1
                    ? I(layer.OutputShape.Channels)
                    : $"{I(layer.OutputShape.Height)}x{I(layer.OutputShape.Width)}x{I(layer.OutputShape.Channels)}"]);
                break;
            case ImportedLayerKind.GroupNormalization:
                parts.AddRange(["groupnorm", I(layer.Units), "eps=" + D(layer.Epsilon)]);
                break;
            case ImportedLayerKind.LayerNormalization:
                parts.AddRange(["layernorm", "eps=" + D(layer.Epsilon)]);
                break;
            case ImportedLayerKind.Flatten: parts.Add("flatten"); break;
            case ImportedLayerKind.DepthwiseConv2D:
                parts.AddRange(["depthwiseconv2d", Kernel(layer)]);
                if (layer.DepthMultiplier != 1)
                {
                    parts.Add("multiplier=" + I(layer.DepthMultiplier));
                }
                Window(layer, parts, defaultStride: 1);
                break;
            case ImportedLayerKind.Conv2DTranspose:
                parts.AddRange(["conv2dtranspose", I(layer.Units), Kernel(layer)]);
                if (layer.StrideHeight != 1)
                {
                    parts.Add("stride=" + I(layer.StrideHeight));
                }
                if (layer.DilationHeight != 1)
                {
                    parts.Add("dilation=" + I(layer.DilationHeight));
                }
                if (layer.TransposedPadding == Padding.Same)
                {
                    parts.Add("same");
                }
                if (layer.OutputPadding >= 0)
                {
                    parts.Add("output_padding=" + I(layer.OutputPadding));
                }
                if (!layer.UseBias)
                {
                    parts.Add("bias=false");
                }
                break;
            case ImportedLayerKind.ZeroPadding2D:
                parts.AddRange(["zeropadding2d", I(layer.PadTop), I(layer.PadBottom), I(layer.PadLeft), I(layer.PadRight)]);
                break;
            case ImportedLayerKind.UpSampling2D:
                parts.AddRange(["upsampling2d", layer.StrideHeight == layer.StrideWidth ? I(layer.StrideHeight) : $"{I(layer.StrideHeight)}x{I(layer.StrideWidth)}"]);
                if (layer.Interpolation == UpSamplingInterpolation.Bilinear)
                {
                    parts.Add("interpolation=bilinear");
                }
                break;
            case ImportedLayerKind.Concatenate:
                parts.Add("concatenate");
                parts.AddRange(layer.Inputs);
                break;
            case ImportedLayerKind.Cropping2D:
                parts.Add("cropping2d");
                parts.AddRange(DeclarationWriter.Cropping(layer).Select(I));
                break;
        }
        if (layer.Activation != Activation.Linear || layer.Kind == ImportedLayerKind.Activation)
        {
            parts.Add(layer.Activation == Activation.LeakyRelu ? "leaky_relu" : layer.Activation.ToString().ToLowerInvariant());
        }
        if (!double.IsNaN(layer.Alpha))
        {
            parts.Add("alpha=" + D(layer.Alpha));
        }
        if (layer.Kind is not (ImportedLayerKind.Add or ImportedLayerKind.Multiply or ImportedLayerKind.Concatenate) && layer.Inputs[0] != previous)
        {
            parts.Add("input=" + layer.Inputs[0]);
        }
        parts.Add("name=" + layer.Name);
        return string.Join(" ", parts);
    }

    private static void Window(ImportedLayer layer, List<string> parts, int defaultStride)
    {
        if (layer.StrideHeight != defaultStride)
        {
            parts.Add("stride=" + I(layer.StrideHeight));
        }
        if (layer.DilationHeight != 1)
        {
            parts.Add("dilation=" + I(layer.DilationHeight));
        }
        if (!layer.HasPadding)
        {
            return;
        }
        var (top, bottom) = WindowGeometry.SamePadding(layer.InputShape.Height, layer.KernelHeight, layer.StrideHeight, layer.DilationHeight);
        var (left, right) = WindowGeometry.SamePadding(layer.InputShape.Width, layer.KernelWidth, layer.StrideWidth, layer.DilationWidth);
        parts.Add((top, bottom, left, right) == (layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight)
            ? "same"
            : $"pads={I(layer.PadTop)},{I(layer.PadBottom)},{I(layer.PadLeft)},{I(layer.PadRight)}");
    }

    private static string Kernel(ImportedLayer layer) =>
        layer.KernelHeight == layer.KernelWidth ? I(layer.KernelHeight) : $"{I(layer.KernelHeight)}x{I(layer.KernelWidth)}";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);
}
