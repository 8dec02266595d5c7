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
}
