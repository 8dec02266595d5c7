using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// The geometry of a transposed convolution (Conv2DTranspose), as generated code passes it in
/// constants. Output row <c>y</c> reads input row <c>i = (y + PadTop - ty * DilationHeight) / StrideHeight</c>
/// for each kernel row <c>ty</c> where that division is exact and <c>i</c> lies in the input; columns likewise.
/// </summary>
public readonly record struct TransposedConvolutionShape(
    int InputHeight, int InputWidth, int Channels,
    int OutputHeight, int OutputWidth, int Filters,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft)
{
    /// <summary>Floats per input sample.</summary>
    public int InputLength => InputHeight * InputWidth * Channels;

    /// <summary>Floats per output sample.</summary>
    public int OutputLength => OutputHeight * OutputWidth * Filters;

    /// <summary>The input index kernel tap <paramref name="tap"/> brings to output index <paramref name="o"/>, or -1 when none.</summary>
    internal static int Source(int o, int tap, int pad, int stride, int dilation, int length)
    {
        int at = o + pad - tap * dilation;
        if (at < 0 || at % stride != 0)
        {
            return -1;
        }
        int i = at / stride;
        return i < length ? i : -1;
    }
}

/// <summary>
/// Conv2DTranspose forward and backward, weights <c>[kh][kw][filters][in]</c> (Keras). Each pass is
/// a gather: an output cell (forward), an input-gradient cell (backward) and a weight-gradient row
/// are each written by the one iteration that owns them, so no scatter and no atomics.
/// </summary>
public static class TransposedConvolutionKernels
{
    /// <summary>
    /// <c>output[y, x, f] = bias[f] + sum over reaching taps of input[i, j, :] . W[ty][tx][f][:]</c>;
    /// <paramref name="bias"/> empty means none.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, int batch, in TransposedConvolutionShape shape)
    {
        var s = shape;
        Check(weights.Length >= s.KernelHeight * s.KernelWidth * s.Filters * s.Channels && (bias.IsEmpty || bias.Length >= s.Filters)
            && input.Length >= batch * s.InputLength && output.Length >= batch * s.OutputLength, "Forward");
        int weightTap = s.Filters * s.Channels;
        for (int n = 0; n < batch; n++)
        for (int y = 0; y < s.OutputHeight; y++)
        for (int x = 0; x < s.OutputWidth; x++)
        {
            var cell = output.Slice(((n * s.OutputHeight + y) * s.OutputWidth + x) * s.Filters, s.Filters);
            if (bias.IsEmpty)
            {
                cell.Clear();
            }
            else
            {
                bias.Slice(0, s.Filters).CopyTo(cell);
            }
            for (int ty = 0; ty < s.KernelHeight; ty++)
            {
                int i = TransposedConvolutionShape.Source(y, ty, s.PadTop, s.StrideHeight, s.DilationHeight, s.InputHeight);
                if (i < 0)
                {
                    continue;
                }
                for (int tx = 0; tx < s.KernelWidth; tx++)
                {
                    int j = TransposedConvolutionShape.Source(x, tx, s.PadLeft, s.StrideWidth, s.DilationWidth, s.InputWidth);
                    if (j < 0)
                    {
                        continue;
                    }
                    var pixel = input.Slice(((n * s.InputHeight + i) * s.InputWidth + j) * s.Channels, s.Channels);
                    var tap = weights.Slice((ty * s.KernelWidth + tx) * weightTap, weightTap);
                    for (int f = 0; f < s.Filters; f++)
                    {
                        cell[f] += TensorPrimitives.Dot(pixel, tap.Slice(f * s.Channels, s.Channels));
                    }
                }
            }
        }
    }

    /// <summary>
    /// dLoss/d(input): a plain strided convolution of the output gradient,
    /// <c>dInput[i, j, :] = sum over taps of dOutput[i * sh + ty * dh - padTop, ...][f] * W[ty][tx][f][:]</c>.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> gradient, Span<float> inputGradient, int batch, in TransposedConvolutionShape shape)
    {
        var s = shape;
        Check(weights.Length >= s.KernelHeight * s.KernelWidth * s.Filters * s.Channels
            && gradient.Length >= batch * s.OutputLength && inputGradient.Length >= batch * s.InputLength, "InputGradient");
        int weightTap = s.Filters * s.Channels;
        for (int n = 0; n < batch; n++)
        for (int i = 0; i < s.InputHeight; i++)
        for (int j = 0; j < s.InputWidth; j++)
        {
            var cell = inputGradient.Slice(((n * s.InputHeight + i) * s.InputWidth + j) * s.Channels, s.Channels);
            cell.Clear();
            for (int ty = 0; ty < s.KernelHeight; ty++)
            {
                int y = i * s.StrideHeight + ty * s.DilationHeight - s.PadTop;
                if (y < 0 || y >= s.OutputHeight)
                {
                    continue;
                }
                for (int tx = 0; tx < s.KernelWidth; tx++)
                {
                    int x = j * s.StrideWidth + tx * s.DilationWidth - s.PadLeft;
                    if (x < 0 || x >= s.OutputWidth)
                    {
                        continue;
                    }
                    var outputGradient = gradient.Slice(((n * s.OutputHeight + y) * s.OutputWidth + x) * s.Filters, s.Filters);
                    var tap = weights.Slice((ty * s.KernelWidth + tx) * weightTap, weightTap);
                    for (int f = 0; f < s.Filters; f++)
                    {
                        TensorPrimitives.MultiplyAdd(tap.Slice(f * s.Channels, s.Channels), outputGradient[f], cell, cell);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds dLoss/dW (<c>dW[ty][tx][f][:] += dOutput[y, x, f] * input[i, j, :]</c> over every pair a tap connects)
    /// and, when <paramref name="biasGradient"/> is not empty, dLoss/d(bias) (every output pixel's gradient).
    /// </summary>
    public static void WeightGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> gradient, Span<float> weightGradient, Span<float> biasGradient, int batch, in TransposedConvolutionShape shape)
    {
        var s = shape;
        Check(weightGradient.Length >= s.KernelHeight * s.KernelWidth * s.Filters * s.Channels && (biasGradient.IsEmpty || biasGradient.Length >= s.Filters)
            && gradient.Length >= batch * s.OutputLength && input.Length >= batch * s.InputLength, "WeightGradient");
        int weightTap = s.Filters * s.Channels;
        for (int ty = 0; ty < s.KernelHeight; ty++)
        for (int tx = 0; tx < s.KernelWidth; tx++)
        {
            var tap = weightGradient.Slice((ty * s.KernelWidth + tx) * weightTap, weightTap);
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < s.InputHeight; i++)
            {
                int y = i * s.StrideHeight + ty * s.DilationHeight - s.PadTop;
                if (y < 0 || y >= s.OutputHeight)
                {
                    continue;
                }
                for (int j = 0; j < s.InputWidth; j++)
                {
                    int x = j * s.StrideWidth + tx * s.DilationWidth - s.PadLeft;
                    if (x < 0 || x >= s.OutputWidth)
                    {
                        continue;
                    }
                    var pixel = input.Slice(((n * s.InputHeight + i) * s.InputWidth + j) * s.Channels, s.Channels);
                    var outputGradient = gradient.Slice(((n * s.OutputHeight + y) * s.OutputWidth + x) * s.Filters, s.Filters);
                    for (int f = 0; f < s.Filters; f++)
                    {
                        var row = tap.Slice(f * s.Channels, s.Channels);
                        TensorPrimitives.MultiplyAdd(pixel, outputGradient[f], row, row);
                    }
                }
            }
        }
        if (!biasGradient.IsEmpty)
        {
            var b = biasGradient.Slice(0, s.Filters);
            for (int p = 0; p < batch * s.OutputHeight * s.OutputWidth; p++)
            {
                TensorPrimitives.Add(b, gradient.Slice(p * s.Filters, s.Filters), b);
            }
        }
    }

    private static void Check(bool ok, string pass)
    {
        if (!ok)
        {
            throw new ArgumentException($"TransposedConvolution.{pass}: a buffer is smaller than the shape it was called with.");
        }
    }
}
