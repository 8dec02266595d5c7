using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// One depthwise convolution's geometry (NHWC input, weights <c>[kh][kw][channels][multiplier]</c>
/// as Keras lays them out, output channel <c>c * multiplier + j</c>), as the generated entry points
/// pass it: every value a constant of the layer.
/// </summary>
/// <param name="InputHeight">Input rows.</param>
/// <param name="InputWidth">Input columns.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Multiplier">Output channels per input channel.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputWidth">Output columns.</param>
/// <param name="KernelHeight">Window rows.</param>
/// <param name="KernelWidth">Window columns.</param>
/// <param name="StrideHeight">Step between output rows.</param>
/// <param name="StrideWidth">Step between output columns.</param>
/// <param name="DilationHeight">Spacing of the window's rows.</param>
/// <param name="DilationWidth">Spacing of the window's columns.</param>
/// <param name="PadTop">Zero rows above the input.</param>
/// <param name="PadLeft">Zero columns left of the input.</param>
public readonly record struct DepthwiseGeometry(
    int InputHeight, int InputWidth, int Channels, int Multiplier, int OutputHeight, int OutputWidth,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth, int PadTop, int PadLeft)
{
    /// <summary>Output channels: <c>Channels * Multiplier</c>.</summary>
    public int OutputChannels => Channels * Multiplier;

    /// <summary>Floats in one input sample.</summary>
    public int InputLength => InputHeight * InputWidth * Channels;

    /// <summary>Floats in one output sample.</summary>
    public int OutputLength => OutputHeight * OutputWidth * OutputChannels;

    /// <summary>Weights: one row of <see cref="OutputChannels"/> per tap.</summary>
    public int WeightLength => KernelHeight * KernelWidth * OutputChannels;
}

/// <summary>
/// Depthwise convolution (each input channel convolved with its own <c>multiplier</c> filters):
/// forward, weight and bias gradients, input gradient. Generated networks run their own
/// shape-specialised depthwise kernels and call these only where Vector256 is not accelerated
/// (and reference tests call them directly). The work per tap is one multiply-add per
/// output channel over whole rows of channels, so every loop runs vectorised over the channels
/// (TensorPrimitives: 512- or 256-bit vectors as the CPU has them); the kernel is memory-bound,
/// and a pixel's row of channels stays in L1 while its taps are summed and its activation runs.
/// A multiplier above 1 first repeats each input channel <c>multiplier</c> times (one sample at
/// a time, in a pooled buffer), so the same channel-aligned loops serve it.
/// </summary>
public static class DepthwiseKernels
{
    /// <summary>
    /// <c>output[n, oy, ox, o] = activation(bias[o] + sum over taps of input[n, iy, ix, o / m] * weights[ky, kx, o])</c>.
    /// <paramref name="bias"/> may be empty; <paramref name="activation"/> runs on each output pixel's channels while they are in cache.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output, int batch,
        in DepthwiseGeometry g, Activation activation, float alpha)
    {
        Check(g, batch, input.Length, output.Length, weights.Length);
        int channels = g.OutputChannels;
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, channels);
        float[]? expanded = g.Multiplier > 1 ? ArrayPool<float>.Shared.Rent(g.InputHeight * g.InputWidth * channels) : null;
        try
        {
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> x = Repeated(input.Slice(n * g.InputLength, g.InputLength), g, expanded);
                Span<float> y = output.Slice(n * g.OutputLength, g.OutputLength);
                for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    Span<float> pixel = y.Slice((oy * g.OutputWidth + ox) * channels, channels);
                    if (bias.IsEmpty) pixel.Clear();
                    else bias.CopyTo(pixel);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InputHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InputWidth) continue;
                            TensorPrimitives.MultiplyAdd(x.Slice((iy * g.InputWidth + ix) * channels, channels),
                                weights.Slice((ky * g.KernelWidth + kx) * channels, channels), pixel, pixel);
                        }
                    }
                    ActivationKernels.Apply(activation, alpha, pixel, channels);
                }
            }
        }
        finally
        {
            if (expanded is not null) ArrayPool<float>.Shared.Return(expanded);
        }
    }

    /// <summary>
    /// <c>weightGradient[ky, kx, o] += sum over samples and output pixels of input[n, iy, ix, o / m] * outputGradient[n, oy, ox, o]</c>;
    /// <c>biasGradient[o] += sum of outputGradient[n, oy, ox, o]</c> unless empty.
    /// </summary>
    public static void WeightGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, int batch,
        in DepthwiseGeometry g)
    {
        Check(g, batch, input.Length, outputGradient.Length, weightGradient.Length);
        int channels = g.OutputChannels;
        if (!biasGradient.IsEmpty) CheckLength(nameof(biasGradient), biasGradient.Length, channels);
        float[]? expanded = g.Multiplier > 1 ? ArrayPool<float>.Shared.Rent(g.InputHeight * g.InputWidth * channels) : null;
        try
        {
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> x = Repeated(input.Slice(n * g.InputLength, g.InputLength), g, expanded);
                ReadOnlySpan<float> dy = outputGradient.Slice(n * g.OutputLength, g.OutputLength);
                VectorMath.AddRowsInPlace(biasGradient, dy);
                for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    ReadOnlySpan<float> pixel = dy.Slice((oy * g.OutputWidth + ox) * channels, channels);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InputHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InputWidth) continue;
                            Span<float> tap = weightGradient.Slice((ky * g.KernelWidth + kx) * channels, channels);
                            TensorPrimitives.MultiplyAdd(x.Slice((iy * g.InputWidth + ix) * channels, channels), pixel, tap, tap);
                        }
                    }
                }
            }
        }
        finally
        {
            if (expanded is not null) ArrayPool<float>.Shared.Return(expanded);
        }
    }

    /// <summary><c>inputGradient[n, iy, ix, c] = sum over the windows covering it, and over j &lt; m, of weights[ky, kx, c * m + j] * outputGradient[n, oy, ox, c * m + j]</c> (overwrites).</summary>
    public static void InputGradient(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, in DepthwiseGeometry g)
    {
        Check(g, batch, inputGradient.Length, outputGradient.Length, weights.Length);
        int channels = g.OutputChannels;
        int expandedLength = g.InputHeight * g.InputWidth * channels;
        float[]? expanded = g.Multiplier > 1 ? ArrayPool<float>.Shared.Rent(expandedLength) : null;
        try
        {
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> dy = outputGradient.Slice(n * g.OutputLength, g.OutputLength);
                Span<float> dx = inputGradient.Slice(n * g.InputLength, g.InputLength);
                // With a multiplier, the gradient of the repeated input first; each channel then sums its m copies.
                Span<float> target = expanded is null ? dx : expanded.AsSpan(0, expandedLength);
                target.Clear();
                for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    ReadOnlySpan<float> pixel = dy.Slice((oy * g.OutputWidth + ox) * channels, channels);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InputHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InputWidth) continue;
                            Span<float> cell = target.Slice((iy * g.InputWidth + ix) * channels, channels);
                            TensorPrimitives.MultiplyAdd(pixel, weights.Slice((ky * g.KernelWidth + kx) * channels, channels), cell, cell);
                        }
                    }
                }
                if (expanded is not null)
                {
                    int m = g.Multiplier;
                    for (int i = 0; i < dx.Length; i++)
                    {
                        dx[i] = TensorPrimitives.Sum(target.Slice(i * m, m));
                    }
                }
            }
        }
        finally
        {
            if (expanded is not null) ArrayPool<float>.Shared.Return(expanded);
        }
    }

    /// <summary>The sample itself (multiplier 1), or each of its channels repeated <c>m</c> times into <paramref name="expanded"/>.</summary>
    private static ReadOnlySpan<float> Repeated(ReadOnlySpan<float> sample, in DepthwiseGeometry g, float[]? expanded)
    {
        if (expanded is null)
        {
            return sample;
        }
        int m = g.Multiplier;
        Span<float> target = expanded.AsSpan(0, sample.Length * m);
        for (int i = 0; i < sample.Length; i++)
        {
            target.Slice(i * m, m).Fill(sample[i]);
        }
        return target;
    }

    private static void Check(in DepthwiseGeometry g, int batch, int inputLength, int outputLength, int weightLength)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "the batch size is negative");
        if (g.Multiplier <= 0 || g.Channels <= 0) throw new ArgumentException($"depthwise geometry {g} has no channels", nameof(g));
        CheckLength("weights", weightLength, g.WeightLength);
        if (inputLength < (long)batch * g.InputLength) throw new ArgumentException($"the input holds {inputLength} floats, a batch of {batch} needs {(long)batch * g.InputLength}", "input");
        if (outputLength < (long)batch * g.OutputLength) throw new ArgumentException($"the output holds {outputLength} floats, a batch of {batch} needs {(long)batch * g.OutputLength}", "output");
    }

    private static void CheckLength(string name, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} holds {actual} floats, expected {expected}", name);
        }
    }
}
