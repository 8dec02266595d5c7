using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// The one place that decides whether a 5x5 convolution's weight gradient runs as Winograd's F(2x2, 5x5) (the
/// runtime's <c>ConvGen.Kernels.Winograd5x5WeightGradientKernels</c>: 36 multiplies per tile and channel pair for the
/// direct body's 100) instead of the generated direct body. The entry keeps its signature (<c>GradientChunks</c> runs
/// it chunk by chunk); a call sums its chunk's tiles in a fixed order, so the bits do not depend on the thread count.
/// </summary>
internal static class Winograd5x5WeightGradientPlan
{
    /// <summary>Input channels from which it pays: the rows of each position's GEMM (16 -> 32 ran 0.91-0.98x, a 1-channel first layer 0.32x).</summary>
    public const int MinInputChannels = 32;

    /// <summary>Filters from which it pays: the columns of each position's GEMM, in strips of 32 or 64.</summary>
    public const int MinFilters = 32;

    /// <summary>Input channels plus filters from which the tile transforms (per tile, C + F vectors of 36 values) pay: 64 -> 32 and 32 -> 64 did, 32 -> 32 not (1.00-1.07x).</summary>
    public const int MinChannels = 96;

    /// <summary>Output pixels a sample from which it pays: 7x7 did (64 -> 64 1.21-1.32x); smaller maps were not measured.</summary>
    public const int MinPixels = 7 * 7;

    /// <summary>
    /// The rule. A Conv2D 5x5, stride 1, dilation 1, the same padding of 0 to 4 on every side, at least
    /// <see cref="MinInputChannels"/> input channels, <see cref="MinFilters"/> filters and <see cref="MinChannels"/> of
    /// both, at least <see cref="MinPixels"/> output pixels, and its transformed gradient (36 x C x F values) within
    /// <see cref="WinogradPlan.MaxFilterValues"/>. Measured one layer at a time in one process, alternating, one thread,
    /// AVX-512, a chunk of 8 samples (batch 64 is 8 chunks), the best of 3 x 40 calls, three runs on a loaded machine
    /// (2026-12-06), the generated direct weight gradient's time / F(2x2, 5x5)'s: 14x14, 32 -> 64, pad 2 (fashion's
    /// conv2) 1.61-1.81x; 14x14 unpadded 32 -> 64 1.38-1.57x; 7x7 64 -> 64 1.21-1.32x; 14x14 64 -> 32 1.11-1.16x;
    /// 28x28 32 -> 32 1.00-1.07x; 14x14 16 -> 32 0.91-0.98x; 28x28 1 -> 32 (fashion's conv1) 0.32-0.34x;
    /// 14x14 8 -> 16 unpadded 0.22x.
    /// </summary>
    public static bool Applies(LayerPlan l) =>
        l.Kind == LayerKind.Conv2D && l.KernelHeight == 5 && l.KernelWidth == 5 && l.StrideHeight == 1 && l.StrideWidth == 1
        && l.DilationHeight == 1 && l.DilationWidth == 1 && l.PadTop is >= 0 and <= 4
        && l.PadBottom == l.PadTop && l.PadLeft == l.PadTop && l.PadRight == l.PadTop
        && l.Input.Channels >= MinInputChannels && l.Output.Channels >= MinFilters && l.Input.Channels + l.Output.Channels >= MinChannels
        && (long)l.Output.Height * l.Output.Width >= MinPixels
        && 36L * l.Input.Channels * l.Output.Channels <= WinogradPlan.MaxFilterValues;

    /// <summary>The entry's body: the kernel on the chunk's samples, into the layer's weight (and bias) gradient.</summary>
    public static void WriteCall(IndentedTextWriter w, LayerPlan l)
    {
        string bias = l.UseBias ? $"gradients.Slice({I(l.BiasOffset)}, {I(l.Output.Channels)})" : "default";
        w.WriteLine($"Winograd5x5WeightGradientKernels.WeightGradient5x5(input, outputGradient, gradients.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {bias}, batch, "
            + $"{I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(l.Output.Channels)}, {I(l.PadTop)});");
    }
}
