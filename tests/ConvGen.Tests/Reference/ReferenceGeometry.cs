using System;

namespace ConvGen.Tests.Reference;

/// <summary>
/// Output size and leading padding of a sliding window along one axis, written from the
/// TensorFlow / Keras definition: valid keeps only windows that fit; same produces
/// <c>ceil(input / stride)</c> outputs and puts the odd padding cell after the input.
/// </summary>
public static class ReferenceGeometry
{
    public static (int Output, int PadBefore) Axis(int input, int kernel, int stride, int dilation, bool same)
    {
        int span = (kernel - 1) * dilation + 1;
        if (!same)
        {
            if (input < span)
            {
                throw new ArgumentException($"a window spanning {span} does not fit an input of {input} without padding");
            }
            return ((input - span) / stride + 1, 0);
        }
        int output = (input + stride - 1) / stride;
        int totalPadding = Math.Max((output - 1) * stride + span - input, 0);
        return (output, totalPadding / 2);
    }

    /// <summary>Output size and leading padding along one axis with explicit padding on both sides.</summary>
    public static (int Output, int PadBefore) Padded(int input, int kernel, int stride, int dilation, int before, int after)
    {
        int span = (kernel - 1) * dilation + 1;
        return ((input + before + after - span) / stride + 1, before);
    }

    /// <summary>The two axes' (output, leading pad), explicit when <paramref name="pads"/> is given.</summary>
    public static ((int Output, int PadBefore) Rows, (int Output, int PadBefore) Columns) Window(
        int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int dilation, bool same, Pads? pads) =>
        pads is { } p
            ? (Padded(height, kernelHeight, strideHeight, dilation, p.Top, p.Bottom), Padded(width, kernelWidth, strideWidth, dilation, p.Left, p.Right))
            : (Axis(height, kernelHeight, strideHeight, dilation, same), Axis(width, kernelWidth, strideWidth, dilation, same));
}

/// <summary>Explicit padding per side, as <c>PadTop</c> ... declare it.</summary>
public sealed record Pads(int Top, int Bottom, int Left, int Right)
{
    public string Options => $", PadTop = {Top}, PadBottom = {Bottom}, PadLeft = {Left}, PadRight = {Right}";

    public override string ToString() => $"p{Top}{Bottom}{Left}{Right}";
}
