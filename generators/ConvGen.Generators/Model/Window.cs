using System;

namespace ConvGen.Generators.Model;

/// <summary>Geometry of a sliding window over an HxW plane: output size and padding on each side.</summary>
internal readonly record struct Window(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int OutHeight, int OutWidth, int PadTop, int PadBottom, int PadLeft, int PadRight)
{
    /// <summary>Placeholder for layers without a window.</summary>
    public static readonly Window None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public bool Fits => OutHeight > 0 && OutWidth > 0;

    public static Window Compute(Shape input, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int dilationHeight, int dilationWidth, PaddingKind padding)
    {
        var (outH, top, bottom) = Axis(input.Height, kernelHeight, strideHeight, dilationHeight, padding);
        var (outW, left, right) = Axis(input.Width, kernelWidth, strideWidth, dilationWidth, padding);
        return new Window(kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, outH, outW, top, bottom, left, right);
    }

    /// <summary>A window with the padding given per side (ONNX <c>pads</c>, ConvGen <c>PadTop</c> ...).</summary>
    public static Window Explicit(Shape input, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int dilationHeight, int dilationWidth, ExplicitPadding pads)
    {
        int outH = ExplicitAxis(input.Height, kernelHeight, strideHeight, dilationHeight, pads.Top, pads.Bottom);
        int outW = ExplicitAxis(input.Width, kernelWidth, strideWidth, dilationWidth, pads.Left, pads.Right);
        return new Window(kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, outH, outW,
            pads.Top, pads.Bottom, pads.Left, pads.Right);
    }

    /// <summary><c>floor((in + before + after - effective) / stride) + 1</c>, or a non-positive count when the window does not fit.</summary>
    public static int ExplicitAxis(int input, int kernel, int stride, int dilation, int before, int after)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        long padded = (long)input + before + after;
        long output = padded >= effective ? (padded - effective) / stride + 1 : padded - effective + 1;
        return (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, output));
    }

    /// <summary>Output length and (before, after) padding along one axis.</summary>
    public static (int Output, int PadBefore, int PadAfter) Axis(int input, int kernel, int stride, int dilation, PaddingKind padding)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        if (padding == PaddingKind.Valid)
        {
            long output = input >= effective ? (input - effective) / stride + 1 : input - effective + 1;
            return ((int)Math.Max(int.MinValue, output), 0, 0);
        }
        long same = ((long)input + stride - 1) / stride; // long: a huge stride must not overflow the rounding
        long total = Math.Max((same - 1) * stride + effective - input, 0);
        long before = total / 2;
        // A padded window must still overlap the input somewhere; with a kernel far wider than
        // the input, same padding would produce outputs that read only padding.
        if (effective > input + total)
        {
            return (0, (int)before, (int)(total - before));
        }
        return ((int)same, (int)before, (int)(total - before));
    }
}
