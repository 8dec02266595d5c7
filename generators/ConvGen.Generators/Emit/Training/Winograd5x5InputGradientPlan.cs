using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// The one place that decides whether a 5x5 convolution's input gradient runs as Winograd's F(2x2, 5x5) (the
/// runtime's <c>ConvGen.Kernels.Winograd5x5Kernels</c>, the forward's kernel) instead of the generated direct gather.
/// The input gradient of a stride-1 layer is the gather convolution of <see cref="ConvBackwardEmitter"/>: the output
/// gradient, padded by 4 minus the layer's padding, convolved with the filters flipped and channel-swapped (copied
/// into the workspace's <c>KernelTransposed</c> on each call). Its filters change every training step, so the call
/// transforms them itself, once per call over its whole share of the batch (36 x C x F values against the 25 x C x F
/// the copy already moves), not once per sample.
/// </summary>
internal static class Winograd5x5InputGradientPlan
{
    /// <summary>Channels on each side from which it can pay: the layer's filters (the depth of each position's GEMM) and
    /// its input channels (the GEMM's columns, two strips of 16 on 256-bit vectors at 32). 16 paid on AVX2 too, but the
    /// forward's 16 -> 32 ran slower than direct on AVX-512 and the gradient's was not measured there.</summary>
    public const int MinChannels = 32;

    /// <summary>Input pixels (the gradient's outputs) a sample from which it pays: 7x7 did (64 -> 64); smaller maps were not measured.</summary>
    public const int MinPixels = 7 * 7;

    /// <summary>
    /// The rule, on the forward layer <paramref name="l"/>: a Conv2D 5x5, stride 1, dilation 1, the same padding of 0 to 4
    /// on every side (the gather's is 4 minus it), at least <see cref="MinChannels"/> input channels and filters, at least
    /// <see cref="MinPixels"/> input pixels, and the gather's transformed filters within <see cref="WinogradPlan.MaxFilterValues"/>.
    /// Measured one layer at a time, one thread, AVX2 (Zen 3), batch 64, the generated entry (the filters' flip and
    /// transform included) against the direct gather's, the median of 5 alternating rounds of the best of 10-20 calls on
    /// a loaded machine (2026-12-06), direct time / F(2x2, 5x5) time: fashion's conv2 (14x14, 32 -> 64, pad 2; the
    /// gather 64 -> 32) 2.09-2.14x; 18x18 unpadded 32 -> 64 1.94x; 14x14 32 -> 32 1.72x; 28x28 32 -> 32 1.67x; 7x7
    /// 64 -> 64 1.48-1.58x; and, left direct by the channel bound, 14x14 16 -> 32 1.33x and 32 -> 16 1.35x. The whole
    /// fashion training step (benchmarks' throughput, batch 64, 6 alternating runs each, medians): one thread 609 -> 675
    /// images/s (the 3 steadiest pairs 1.08x), two threads 480 -> 609. Measured on AVX-512 earlier (fashion's conv2
    /// through the forward's kernel, when the GEMM's strips were 64 filters): neutral, 0.98-1.04x.
    /// </summary>
    public static bool Applies(LayerPlan l) =>
        l.Kind == LayerKind.Conv2D && l.KernelHeight == 5 && l.KernelWidth == 5 && l.StrideHeight == 1 && l.StrideWidth == 1
        && l.DilationHeight == 1 && l.DilationWidth == 1 && l.PadTop is >= 0 and <= 4
        && l.PadBottom == l.PadTop && l.PadLeft == l.PadTop && l.PadRight == l.PadTop
        && l.Input.Channels >= MinChannels && l.Output.Channels >= MinChannels
        && (long)l.Input.Height * l.Input.Width >= MinPixels
        && 36L * l.Input.Channels * l.Output.Channels <= WinogradPlan.MaxFilterValues;
}
