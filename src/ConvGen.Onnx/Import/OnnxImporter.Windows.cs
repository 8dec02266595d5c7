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

    /// <summary>
    /// Reads and range-checks the window attributes. Every value is checked as the int64 the file
    /// holds before it becomes an int, so 2^32 cannot turn into a stride of 0, and the window
    /// arithmetic stays far from int overflow (inputs, kernels, strides, dilations and pads are
    /// all at most <see cref="MaxDimension"/>, the dilated window extent too).
    /// </summary>
    private WindowAttributes ReadWindow(OnnxNode node, TensorShape input, int kernelHeight, int kernelWidth, bool allowDilation)
    {
        long[]? kernel = IntsAttribute(node, "kernel_shape", 2, 1, MaxDimension);
        if (kernel is not null && (kernel[0] != kernelHeight || kernel[1] != kernelWidth))
        {
            throw Unsupported($"attribute 'kernel_shape' = [{Join(kernel)}] does not match the {kernelHeight}x{kernelWidth} weights");
        }
        if (kernelHeight > MaxDimension || kernelWidth > MaxDimension)
        {
            throw Unsupported($"kernel {kernelHeight}x{kernelWidth} exceeds {MaxDimension}");
        }
        long[] strides = IntsAttribute(node, "strides", 2, 1, MaxDimension) ?? [1, 1];
        long[] dilations = IntsAttribute(node, "dilations", 2, 1, MaxDimension) ?? [1, 1];
        (int sh, int sw, int dh, int dw) = ((int)strides[0], (int)strides[1], (int)dilations[0], (int)dilations[1]);
        if (!allowDilation && (dh != 1 || dw != 1))
        {
            throw Unsupported($"attribute 'dilations' = [{Join(dilations)}]: pooling with dilation is not supported");
        }
        if (FlagAttribute(node, "ceil_mode"))
        {
            throw Unsupported("ceil_mode=1 is not supported (ConvGen rounds output sizes down)");
        }
        if (sh != sw || dh != dw)
        {
            throw Unsupported($"strides {sh}x{sw} / dilations {dh}x{dw} differ per axis; the ConvGen DSL has one Stride and one Dilation");
        }
        long extentHeight = (kernelHeight - 1L) * dh + 1, extentWidth = (kernelWidth - 1L) * dw + 1;
        if (extentHeight > MaxDimension || extentWidth > MaxDimension)
        {
            throw Unsupported($"the dilated {kernelHeight}x{kernelWidth} window (dilation {dh}) spans {extentHeight}x{extentWidth}, more than {MaxDimension}");
        }

        int top, bottom, left, right;
        string autoPad = StringAttribute(node, "auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
        {
            throw Unsupported($"attribute 'auto_pad' = '{SourceText.Escape(autoPad)}' is unknown; expected NOTSET, VALID, SAME_UPPER or SAME_LOWER");
        }
        long[]? pads = IntsAttribute(node, "pads", 4, 0, MaxDimension);
        if (pads is not null && autoPad != "NOTSET")
        {
            throw Unsupported($"both auto_pad={autoPad} and pads [{Join(pads)}] are given; ONNX allows only one");
        }
        switch (autoPad)
        {
            case "NOTSET":
                pads ??= [0, 0, 0, 0];
                // ONNX order: all the "begin" pads, then all the "end" pads.
                (top, left, bottom, right) = ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
                break;
            case "VALID":
                (top, bottom, left, right) = (0, 0, 0, 0);
                break;
            default:
                bool lower = autoPad == "SAME_LOWER";
                (top, bottom) = WindowGeometry.SamePadding(input.Height, kernelHeight, sh, dh, lower);
                (left, right) = WindowGeometry.SamePadding(input.Width, kernelWidth, sw, dw, lower);
                break;
        }
        int outHeight = WindowGeometry.OutputLength(input.Height, kernelHeight, sh, dh, top, bottom);
        int outWidth = WindowGeometry.OutputLength(input.Width, kernelWidth, sw, dw, left, right);
        if (outHeight <= 0 || outWidth <= 0)
        {
            throw Unsupported($"the {kernelHeight}x{kernelWidth} window does not fit the input {input} with pads t{top} b{bottom} l{left} r{right}");
        }
        return new WindowAttributes(kernelHeight, kernelWidth, sh, sw, dh, dw, top, bottom, left, right, outHeight, outWidth);
    }
}
