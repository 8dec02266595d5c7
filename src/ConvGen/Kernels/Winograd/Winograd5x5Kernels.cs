using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// 5x5, stride 1 convolution of NHWC activations with HWIO weights by Winograd's F(2x2, 5x5): 36 multiplies
/// for the 100 of four outputs (2.78x fewer), the 6x6 input tiles of F(4x4, 3x3) (<see cref="Winograd5x5Transforms"/>).
/// The pipeline of <see cref="WinogradDriver"/> (filters into <c>U</c>, input tiles into <c>V</c>, a GEMM per
/// transform position, the output transform with the bias and a fused activation), whose bits do not depend on how a
/// picture is split over threads. The padding may be 0 to 4, so that the input gradient of any stride-1 5x5 layer (the
/// output gradient padded by 4 minus the forward's padding, convolved with the flipped, channel-swapped filters) runs
/// here too. Scratch is the Winograd kernels' one array per thread, kept between calls: no allocation once it has
/// grown to the largest layer.
/// </summary>
public static class Winograd5x5Kernels
{
    /// <summary>The largest padding: the input gradient of an unpadded layer.</summary>
    public const int MaxPad = 4;

    /// <summary>
    /// <c>output = fused(scale * conv5x5(input, weights) + bias)</c> over the rows of <paramref name="rows"/>:
    /// input <c>[batch, height, width, inputChannels]</c>, weights <c>[5, 5, inputChannels, outputChannels]</c>,
    /// output <c>[batch, height + 2 pad - 4, width + 2 pad - 4, outputChannels]</c>, <paramref name="pad"/> 0 to 4 on
    /// every side. <paramref name="bias"/> and <paramref name="scale"/> (a per-filter factor) may be empty;
    /// <paramref name="fused"/> must be Linear, Relu, LeakyRelu, Relu6, HardSigmoid or HardSwish.
    /// </summary>
    public static void Conv5x5(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default) =>
        Conv5x5(KernelPaths.Preferred, weights, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha, scale);

    internal static void Conv5x5(
        KernelPath path, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default)
    {
        var p = Check(bias, scale, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
        CheckLength(nameof(weights), weights.Length, 25L * inputChannels * outputChannels, exact: true);
        if (p.ScratchLength > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), $"Winograd5x5Kernels: {inputChannels} input channels and {outputChannels} filters need {p.ScratchLength} floats of transformed filters and tiles, more than an array holds.");
        }
        WinogradDriver.Convolve<Winograd5x5F2x2>(path, p, weights, scale, bias, input, output, rows, fused, alpha);
    }

    /// <summary>
    /// Floats of the transformed filters of a layer (<c>TransformFilters</c>): <c>U[position][C][F]</c>,
    /// each of the 36 positions' matrices followed by one cache line.
    /// </summary>
    public static long TransformedLength(int inputChannels, int outputChannels) =>
        WinogradDriver.TransformedLength<Winograd5x5F2x2>(inputChannels, outputChannels);

    /// <summary>
    /// Transforms filters <paramref name="firstFilter"/> to <paramref name="endFilter"/> (exclusive) of HWIO
    /// <paramref name="weights"/> <c>[5, 5, inputChannels, outputChannels]</c>, each scaled by <paramref name="scale"/>
    /// (may be empty), into <paramref name="transformed"/> (<see cref="TransformedLength"/> floats), which
    /// <c>Conv5x5Transformed</c> reads. Each filter is computed the same way whatever the range it is in,
    /// as long as the ranges start at multiples of 16, so ranges split over threads give the bits of one call.
    /// </summary>
    public static void TransformFilters(ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> transformed,
        int inputChannels, int outputChannels, int firstFilter, int endFilter) =>
        TransformFilters(KernelPaths.Preferred, weights, scale, transformed, inputChannels, outputChannels, firstFilter, endFilter);

    internal static void TransformFilters(KernelPath path, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> transformed,
        int inputChannels, int outputChannels, int firstFilter, int endFilter)
    {
        if (inputChannels < 1 || outputChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), $"Winograd5x5Kernels: {inputChannels} input channels and {outputChannels} filters: both must be at least 1.");
        }
        if (firstFilter < 0 || endFilter > outputChannels || firstFilter > endFilter || firstFilter % 16 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(firstFilter), $"Winograd5x5Kernels: filters {firstFilter} to {endFilter} are not a range of the {outputChannels} filters starting at a multiple of 16.");
        }
        CheckLength(nameof(weights), weights.Length, 25L * inputChannels * outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(transformed), transformed.Length, TransformedLength(inputChannels, outputChannels), exact: true);
        WinogradDriver.TransformFilters<Winograd5x5F2x2>(path, PlanOf(5, 5, inputChannels, outputChannels, 0), weights, scale, transformed, firstFilter, endFilter);
    }

    /// <summary>
    /// <c>Conv5x5</c> with filters transformed beforehand by <c>TransformFilters</c> (their scale included): the
    /// same bits as <c>Conv5x5</c> on the weights and scale they came from, without the per-call transform.
    /// </summary>
    public static void Conv5x5Transformed(
        ReadOnlySpan<float> transformed, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f) =>
        Conv5x5Transformed(KernelPaths.Preferred, transformed, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha);

    internal static void Conv5x5Transformed(
        KernelPath path, ReadOnlySpan<float> transformed, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f)
    {
        var p = Check(bias, default, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
        CheckLength(nameof(transformed), transformed.Length, TransformedLength(inputChannels, outputChannels), exact: true);
        WinogradDriver.ConvolveTransformed<Winograd5x5F2x2>(path, p, transformed, bias, input, output, rows, fused, alpha);
    }

    /// <summary>Floats of per-thread scratch a call needs (filters, and one block's V and M).</summary>
    internal static long ScratchLength(int height, int width, int inputChannels, int outputChannels, int pad) =>
        PlanOf(height, width, inputChannels, outputChannels, pad).ScratchLength;

    private static WinogradDriver.Plan PlanOf(int height, int width, int inputChannels, int outputChannels, int pad) =>
        new(2, 5, height, width, inputChannels, outputChannels, pad);

    /// <summary>The checks every convolution entry shares; the geometry of the call.</summary>
    private static WinogradDriver.Plan Check(ReadOnlySpan<float> bias, ReadOnlySpan<float> scale, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused)
    {
        if (pad is < 0 or > MaxPad)
        {
            throw new ArgumentOutOfRangeException(nameof(pad), $"Winograd5x5Kernels: pad {pad} is not between 0 and {MaxPad}.");
        }
        if (inputChannels < 1 || outputChannels < 1 || height + 2 * pad < 5 || width + 2 * pad < 5 || rows.Batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Winograd5x5Kernels: a {height}x{width}x{inputChannels} input with pad {pad} and {outputChannels} filters has no 5x5 output.");
        }
        if (fused is not (Activation.Linear or Activation.Relu or Activation.LeakyRelu or Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish))
        {
            throw new ArgumentException($"Winograd5x5Kernels fuses only Linear, Relu, LeakyRelu, Relu6, HardSigmoid and HardSwish, not {fused}: apply it afterwards.", nameof(fused));
        }
        var p = PlanOf(height, width, inputChannels, outputChannels, pad);
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(input), input.Length, (long)rows.Batch * height * width * inputChannels, exact: false);
        CheckLength(nameof(output), output.Length, (long)rows.Batch * p.OutHeight * p.OutWidth * outputChannels, exact: false);
        return p;
    }

    private static void CheckLength(string name, int actual, long expected, bool exact) =>
        WinogradKernels.CheckLength(name, actual, expected, exact, nameof(Winograd5x5Kernels));

    /// <summary>The GEMMs' vectors (see <see cref="Winograd5x5F2x2.GemmPath"/>).</summary>
    internal static KernelPath GemmPath(KernelPath path, int filters) => Winograd5x5F2x2.GemmPath(path, filters);
}
