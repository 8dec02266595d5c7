using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>The output tile of a Winograd convolution: F(2x2, 3x3) reads 4x4 input tiles, F(4x4, 3x3) 6x6.</summary>
public enum WinogradTile
{
    /// <summary>2x2 outputs per tile: 16 multiplies where direct convolution spends 36 (2.25x fewer), errors near float rounding.</summary>
    F2x2 = 2,

    /// <summary>4x4 outputs per tile: 36 multiplies for 144 (4x fewer), with transform constants up to 8 that cost about a digit of accuracy.</summary>
    F4x4 = 4,
}

/// <summary>
/// 3x3, stride 1 convolution of NHWC activations with HWIO weights by Winograd's minimal filtering
/// (see <see cref="WinogradTransforms"/>), F(2x2, 3x3) or F(4x4, 3x3): the pipeline of <see cref="WinogradDriver"/>
/// (filters into <c>U</c>, input tiles into <c>V</c>, a GEMM per transform position, the output transform with the
/// bias and a fused activation), whose bits do not depend on how a picture is split over threads. Scratch is one
/// array per thread, kept between calls: no allocation once it has grown to the largest layer.
/// </summary>
public static class WinogradKernels
{
    [ThreadStatic] private static float[]? s_scratch;

    /// <summary>
    /// <c>output = fused(scale * conv3x3(input, weights) + bias)</c> over the rows of <paramref name="rows"/>:
    /// input <c>[batch, height, width, inputChannels]</c>, weights <c>[3, 3, inputChannels, outputChannels]</c>,
    /// output <c>[batch, height + 2 pad - 2, width + 2 pad - 2, outputChannels]</c>, <paramref name="pad"/> 0 or 1
    /// on every side. <paramref name="bias"/> and <paramref name="scale"/> (a per-filter factor, e.g. a folded
    /// BatchNorm's) may be empty; <paramref name="fused"/> must be Linear, Relu, LeakyRelu, Relu6, HardSigmoid or HardSwish.
    /// A <paramref name="skip"/> of the output's shape (a residual Add's other summand; empty: none) makes the store
    /// <c>fused((scale * conv3x3(input, weights) + bias) + skip)</c>: the bits of the call without it, linear, then the
    /// Add of <paramref name="skip"/> and the activation on their own.
    /// </summary>
    public static void Conv3x3(
        WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default,
        ReadOnlySpan<float> skip = default) =>
        Conv3x3(KernelPaths.Preferred, tile, weights, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha, scale, skip);

    internal static void Conv3x3(
        KernelPath path, WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default,
        ReadOnlySpan<float> skip = default)
    {
        var p = Check(tile, bias, scale, skip, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
        CheckLength(nameof(weights), weights.Length, 9L * inputChannels * outputChannels, exact: true);
        if (tile == WinogradTile.F2x2) WinogradDriver.Convolve<WinogradF2x2>(path, p, weights, scale, bias, input, output, rows, fused, alpha, skip);
        else WinogradDriver.Convolve<WinogradF4x4>(path, p, weights, scale, bias, input, output, rows, fused, alpha, skip);
    }

    /// <summary>
    /// Floats of the transformed filters of a layer (<c>TransformFilters</c>): <c>U[position][C][F]</c>,
    /// each position's matrix followed by one cache line.
    /// </summary>
    public static long TransformedLength(WinogradTile tile, int inputChannels, int outputChannels) => tile == WinogradTile.F2x2
        ? WinogradDriver.TransformedLength<WinogradF2x2>(inputChannels, outputChannels)
        : WinogradDriver.TransformedLength<WinogradF4x4>(inputChannels, outputChannels);

    /// <summary>
    /// Transforms filters <paramref name="firstFilter"/> to <paramref name="endFilter"/> (exclusive) of HWIO
    /// <paramref name="weights"/> <c>[3, 3, inputChannels, outputChannels]</c>, each scaled by <paramref name="scale"/>
    /// (may be empty), into <paramref name="transformed"/> (<see cref="TransformedLength"/> floats), which
    /// <c>Conv3x3Transformed</c> reads. Each filter is computed the same way whatever the range it is in,
    /// as long as the ranges start at multiples of 16, so ranges split over threads give the bits of one call.
    /// </summary>
    public static void TransformFilters(WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> transformed,
        int inputChannels, int outputChannels, int firstFilter, int endFilter) =>
        TransformFilters(KernelPaths.Preferred, tile, weights, scale, transformed, inputChannels, outputChannels, firstFilter, endFilter);

    internal static void TransformFilters(KernelPath path, WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> transformed,
        int inputChannels, int outputChannels, int firstFilter, int endFilter)
    {
        CheckTile(tile);
        if (inputChannels < 1 || outputChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), $"WinogradKernels: {inputChannels} input channels and {outputChannels} filters: both must be at least 1.");
        }
        if (firstFilter < 0 || endFilter > outputChannels || firstFilter > endFilter || firstFilter % 16 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(firstFilter), $"WinogradKernels: filters {firstFilter} to {endFilter} are not a range of the {outputChannels} filters starting at a multiple of 16.");
        }
        CheckLength(nameof(weights), weights.Length, 9L * inputChannels * outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(transformed), transformed.Length, TransformedLength(tile, inputChannels, outputChannels), exact: true);
        var p = PlanOf(tile, 3, 3, inputChannels, outputChannels, 0);
        if (tile == WinogradTile.F2x2) WinogradDriver.TransformFilters<WinogradF2x2>(path, p, weights, scale, transformed, firstFilter, endFilter);
        else WinogradDriver.TransformFilters<WinogradF4x4>(path, p, weights, scale, transformed, firstFilter, endFilter);
    }

    /// <summary>
    /// <c>Conv3x3</c> with filters transformed beforehand by <c>TransformFilters</c> (their scale
    /// included): the same bits as <c>Conv3x3</c> on the weights and scale they came from (and the same
    /// <paramref name="skip"/>), without the per-call transform.
    /// </summary>
    public static void Conv3x3Transformed(
        WinogradTile tile, ReadOnlySpan<float> transformed, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f,
        ReadOnlySpan<float> skip = default) =>
        Conv3x3Transformed(KernelPaths.Preferred, tile, transformed, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha, skip);

    internal static void Conv3x3Transformed(
        KernelPath path, WinogradTile tile, ReadOnlySpan<float> transformed, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> skip = default)
    {
        var p = Check(tile, bias, default, skip, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
        CheckLength(nameof(transformed), transformed.Length, TransformedLength(tile, inputChannels, outputChannels), exact: true);
        if (tile == WinogradTile.F2x2) WinogradDriver.ConvolveTransformed<WinogradF2x2>(path, p, transformed, bias, input, output, rows, fused, alpha, skip);
        else WinogradDriver.ConvolveTransformed<WinogradF4x4>(path, p, transformed, bias, input, output, rows, fused, alpha, skip);
    }

    /// <summary>Floats of per-thread scratch a call needs (filters, and one block's V and M).</summary>
    internal static long ScratchLength(WinogradTile tile, int height, int width, int inputChannels, int outputChannels, int pad) =>
        PlanOf(tile, height, width, inputChannels, outputChannels, pad).ScratchLength;

    private static WinogradDriver.Plan PlanOf(WinogradTile tile, int height, int width, int inputChannels, int outputChannels, int pad) =>
        new((int)tile, 3, height, width, inputChannels, outputChannels, pad);

    private static void CheckTile(WinogradTile tile)
    {
        if (tile is not (WinogradTile.F2x2 or WinogradTile.F4x4))
        {
            throw new ArgumentOutOfRangeException(nameof(tile), $"WinogradKernels: tile {(int)tile} is neither F2x2 nor F4x4.");
        }
    }

    /// <summary>The checks both convolution entries share; the geometry of the call.</summary>
    private static WinogradDriver.Plan Check(WinogradTile tile, ReadOnlySpan<float> bias, ReadOnlySpan<float> scale, ReadOnlySpan<float> skip, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused)
    {
        CheckTile(tile);
        if (pad is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pad), $"WinogradKernels: pad {pad} is neither 0 nor 1.");
        }
        if (inputChannels < 1 || outputChannels < 1 || height + 2 * pad < 3 || width + 2 * pad < 3 || rows.Batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"WinogradKernels: a {height}x{width}x{inputChannels} input with pad {pad} and {outputChannels} filters has no 3x3 output.");
        }
        if (fused is not (Activation.Linear or Activation.Relu or Activation.LeakyRelu or Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish))
        {
            throw new ArgumentException($"WinogradKernels fuses only Linear, Relu, LeakyRelu, Relu6, HardSigmoid and HardSwish, not {fused}: apply it afterwards.", nameof(fused));
        }
        var p = PlanOf(tile, height, width, inputChannels, outputChannels, pad);
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(input), input.Length, (long)rows.Batch * height * width * inputChannels, exact: false);
        CheckLength(nameof(output), output.Length, (long)rows.Batch * p.OutHeight * p.OutWidth * outputChannels, exact: false);
        if (!skip.IsEmpty) CheckLength(nameof(skip), skip.Length, (long)rows.Batch * p.OutHeight * p.OutWidth * outputChannels, exact: false);
        return p;
    }

    /// <summary>Refuses a span of the wrong length, naming the argument and <paramref name="kernel"/> (also the 5x5 kernel's check).</summary>
    internal static void CheckLength(string name, int actual, long expected, bool exact, string kernel = nameof(WinogradKernels))
    {
        if (exact ? actual != expected : actual < expected)
        {
            throw new ArgumentException($"{kernel}: {name} holds {actual} floats, expected {(exact ? "" : "at least ")}{expected}.", name);
        }
    }

    /// <summary>
    /// The calling thread's scratch, grown to <paramref name="length"/> floats and kept: one array per thread for every
    /// Winograd kernel (the 5x5 one too), since a thread runs one layer at a time.
    /// </summary>
    internal static Span<float> Scratch(long length)
    {
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"WinogradKernels: the transformed filters and a block of tiles need {length} floats, more than an array holds.");
        }
        var scratch = s_scratch;
        if (scratch is null || scratch.Length < length)
        {
            s_scratch = scratch = GC.AllocateUninitializedArray<float>((int)length);
        }
        return scratch.AsSpan(0, (int)length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Activate<TV, TO>(TV value, Activation fused, float alpha) where TV : unmanaged where TO : struct, IVectorOps<TV> => fused switch
    {
        Activation.Relu => TO.Relu(value),
        Activation.LeakyRelu => TO.LeakyRelu(value, alpha),
        Activation.Relu6 => TO.Clamp(value, 0f, 6f),
        Activation.HardSigmoid => DenseKernels.HardSigmoid<TV, TO>(value),
        Activation.HardSwish => TO.Multiply(value, DenseKernels.HardSigmoid<TV, TO>(value)),
        _ => value,
    };
}
