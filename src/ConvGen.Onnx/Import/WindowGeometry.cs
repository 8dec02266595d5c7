using System;

namespace ConvGen.Onnx.Import;

/// <summary>Sliding-window arithmetic shared by Conv and the pools (NN-512's formula).</summary>
public static class WindowGeometry
{
    /// <summary><c>floor((in + before + after − ((k−1)·d + 1)) / s) + 1</c>; zero or less means the window does not fit.</summary>
    public static int OutputLength(int input, int kernel, int stride, int dilation, int padBefore, int padAfter)
    {
        int effective = (kernel - 1) * dilation + 1;
        int span = input + padBefore + padAfter - effective;
        return span < 0 ? 0 : span / stride + 1;
    }

    /// <summary>
    /// TensorFlow / ConvGen "same" padding (ONNX <c>SAME_UPPER</c>): output = ceil(in/s), the odd
    /// extra row or column goes after. <c>SAME_LOWER</c> puts it before.
    /// </summary>
    public static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation, bool extraBefore = false)
    {
        int effective = (kernel - 1) * dilation + 1;
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + effective - input, 0);
        int small = total / 2;
        return extraBefore ? (total - small, small) : (small, total - small);
    }

    /// <summary>
    /// One axis of a Keras <c>Conv2DTranspose</c> as ConvGen sizes it: the output length, and the
    /// rows of the full result <c>(input − 1)·s + (k − 1)·d + 1</c> cut before and after (after is
    /// negative when the output padding adds rows). <paramref name="outputPadding"/> −1 is Keras's
    /// None: valid gives <c>in·s + max(extent − s, 0)</c>, same <c>in·s</c>; otherwise
    /// <c>full − 2·pad + outputPadding</c> with pad 0 (valid) or <c>extent / 2</c> (same).
    /// The same rule as the generator's, so an imported layer declares exactly the geometry it had.
    /// </summary>
    public static (long Output, long Before, long After) TransposedAxis(int input, int kernel, int stride, int dilation, Padding padding, int outputPadding)
    {
        long extent = (long)(kernel - 1) * dilation + 1;
        long full = (long)(input - 1) * stride + extent;
        long output = outputPadding < 0
            ? padding == Padding.Valid ? (long)input * stride + Math.Max(extent - stride, 0) : (long)input * stride
            : full - 2 * (padding == Padding.Same ? extent / 2 : 0) + outputPadding;
        long before = padding == Padding.Valid ? 0 : Math.Max(full - output, 0) / 2;
        return (output, before, full - output - before);
    }
}
