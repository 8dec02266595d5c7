using System.Collections.Generic;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>Kernel, stride, dilation and padding attributes shared by Conv, MaxPool and AveragePool.</summary>
public sealed partial class OnnxImporter
{
    private sealed record WindowAttributes(
        int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
        int PadTop, int PadBottom, int PadLeft, int PadRight, int OutHeight, int OutWidth)
    {
        public bool HasPadding => PadTop != 0 || PadBottom != 0 || PadLeft != 0 || PadRight != 0;

        public ImportedLayer ToLayer(string name, ImportedLayerKind kind, Value input, int channels, string source) =>
            new(name, kind, [input.Layer], input.Shape, TensorShape.Spatial(OutHeight, OutWidth, channels), [source])
            {
                KernelHeight = KernelHeight,
                KernelWidth = KernelWidth,
                StrideHeight = StrideHeight,
                StrideWidth = StrideWidth,
                DilationHeight = DilationHeight,
                DilationWidth = DilationWidth,
                PadTop = PadTop,
                PadBottom = PadBottom,
                PadLeft = PadLeft,
                PadRight = PadRight,
            };
    }

    private WindowAttributes ReadWindow(OnnxNode node, TensorShape input, int kernelHeight, int kernelWidth, bool allowDilation)
    {
        IReadOnlyList<long>? kernel = node.Ints("kernel_shape");
        if (kernel is { Count: not 2 } || (kernel is not null && (kernel[0] != kernelHeight || kernel[1] != kernelWidth)))
        {
            throw Unsupported($"kernel_shape [{string.Join(",", kernel!)}] must be 2-D and match the weights {kernelHeight}x{kernelWidth}");
        }
        (int sh, int sw) = Pair(node, "strides");
        (int dh, int dw) = Pair(node, "dilations");
        if (!allowDilation && (dh != 1 || dw != 1))
        {
            throw Unsupported("pooling with dilation is not supported");
        }
        if (node.Int("ceil_mode", 0) != 0)
        {
            throw Unsupported("ceil_mode=1 is not supported (ConvGen rounds output sizes down)");
        }
        if (sh != sw || dh != dw)
        {
            throw Unsupported($"strides {sh}x{sw} / dilations {dh}x{dw} differ per axis; the ConvGen DSL has one Stride and one Dilation");
        }

        int top, bottom, left, right;
        string autoPad = node.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                IReadOnlyList<long> pads = node.Ints("pads") ?? [0, 0, 0, 0];
                if (pads.Count != 4)
                {
                    throw Unsupported($"pads has {pads.Count} values; expected 4 (top, left, bottom, right)");
                }
                // ONNX order: all the "begin" pads, then all the "end" pads.
                (top, left, bottom, right) = ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
                break;
            case "VALID":
                (top, bottom, left, right) = (0, 0, 0, 0);
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                bool lower = autoPad == "SAME_LOWER";
                (top, bottom) = WindowGeometry.SamePadding(input.Height, kernelHeight, sh, dh, lower);
                (left, right) = WindowGeometry.SamePadding(input.Width, kernelWidth, sw, dw, lower);
                break;
            default:
                throw Unsupported($"auto_pad={autoPad} is unknown");
        }
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
        {
            throw Unsupported("negative pads are not supported");
        }
        int outHeight = WindowGeometry.OutputLength(input.Height, kernelHeight, sh, dh, top, bottom);
        int outWidth = WindowGeometry.OutputLength(input.Width, kernelWidth, sw, dw, left, right);
        if (outHeight <= 0 || outWidth <= 0)
        {
            throw Unsupported($"the {kernelHeight}x{kernelWidth} window does not fit the input {input} with pads t{top} b{bottom} l{left} r{right}");
        }
        return new WindowAttributes(kernelHeight, kernelWidth, sh, sw, dh, dw, top, bottom, left, right, outHeight, outWidth);
    }

    private static (int, int) Pair(OnnxNode node, string name)
    {
        IReadOnlyList<long>? values = node.Ints(name);
        if (values is null)
        {
            return (1, 1);
        }
        if (values.Count != 2)
        {
            throw Unsupported($"{name} has {values.Count} values; only 2-D windows are supported");
        }
        return ((int)values[0], (int)values[1]);
    }
}
