using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The one place that decides whether a 5x5 convolution runs as Winograd's F(2x2, 5x5) (the runtime's
/// <c>ConvGen.Kernels.Winograd5x5Kernels</c>, 2.78x fewer multiplies) instead of the direct body. The entry keeps
/// its signature and its scalar fallback; after that it calls the kernel with its rows (a picture split over
/// threads gives the bits of one thread) and returns. Inference's entry reads the filters transformed before the
/// layers (<see cref="PreparedWeights"/>, once for a frozen workspace); called without them, the kernel transforms
/// them on every call. The same entry serves inference, training's forward and, through the gather convolution
/// of <see cref="Training.ConvBackwardEmitter"/> (the output gradient padded by 4 minus the padding, the filters
/// flipped and channel-swapped), the input gradient, which has its own rule (<see cref="Training.Winograd5x5InputGradientPlan"/>).
/// </summary>
internal static class Winograd5x5Plan
{
    /// <summary>Input channels from which F(2x2, 5x5) can pay: the depth of each position's GEMM (fashion's first layer, 1 channel, gives it nothing to reuse).</summary>
    public const int MinInputChannels = 32;

    /// <summary>Filters from which F(2x2, 5x5) can pay: the GEMM's register tiles are strips of 64 filters on 512-bit vectors (32 run on 256-bit strips, at half the rate).</summary>
    public const int MinFilters = 64;

    /// <summary>Output pixels from which the per-call filter transform (36 x C x F values) pays at batch 1.</summary>
    public const int MinPixels = 14 * 14;

    /// <summary>
    /// The rule. A Conv2D 5x5, stride 1, dilation 1, the same padding of 0 to 4 on every side, at least <see cref="MinInputChannels"/> input channels and <see cref="MinFilters"/>
    /// filters, at least <see cref="MinPixels"/> output pixels, and its transformed filters within
    /// <see cref="WinogradPlan.MaxFilterValues"/>. Measured one layer at a time, one thread, AVX-512, the best of 15 calls
    /// (200 at batch 1) in alternating runs on a loaded machine (2026-12-06), direct time / F(2x2, 5x5) time, pad 2:
    /// at batch 64, 32 -> 64 channels 1.30-1.44x at 14x14 (fashion's conv2), 1.30x at 7x7, 1.28x at 28x28; 64 -> 64
    /// 1.50x at 14x14 and 1.14x at 7x7; but 64 -> 32 (fashion's conv2 input gradient) 0.86-0.98x, 32 -> 32 at 28x28
    /// 0.84x and 16 -> 32 at 14x14 0.55-0.88x. At batch 1 (inference), 14x14 still paid (32 -> 64 1.18x, 64 -> 64
    /// 1.23x), 7x7 did not (0.81x and 1.02x: the filter transform is then as long as the convolution).
    /// </summary>
    public static bool Applies(LayerPlan l) =>
        l.Kind == LayerKind.Conv2D && l.KernelHeight == 5 && l.KernelWidth == 5 && l.StrideHeight == 1 && l.StrideWidth == 1
        && l.DilationHeight == 1 && l.DilationWidth == 1 && l.PadTop is >= 0 and <= 4
        && l.PadBottom == l.PadTop && l.PadLeft == l.PadTop && l.PadRight == l.PadTop
        && l.Input.Channels >= MinInputChannels && l.Output.Channels >= MinFilters
        && (long)l.Output.Height * l.Output.Width >= MinPixels
        && 36L * l.Input.Channels * l.Output.Channels <= WinogradPlan.MaxFilterValues;

    /// <summary>Marks a prepared layer as F(2x2, 5x5) in <see cref="PreparedWeights.Layer.Tile"/>.</summary>
    public const string Tile = "F2x2 5x5";

    /// <summary>Floats of a layer's transformed filters, as <c>Winograd5x5Kernels.TransformedLength</c> counts them (each of the 36 positions' matrices and a cache line).</summary>
    public static long TransformedLength(int inputChannels, int outputChannels) => 36 * ((long)inputChannels * outputChannels + 16);

    /// <summary>The call, after the entry's scalar fallback: the fused activation (if any, unless <c>activate</c> is false) in the store.</summary>
    /// <param name="prepared">The entry takes <see cref="PreparedWeights.Parameter"/>: the transformed filters, when its caller has them.</param>
    public static void WriteCall(IndentedTextWriter w, LayerPlan l, Conv2DEmitter.Entry entry, bool optional, bool prepared, int foldedOffset = -1)
    {
        var fused = IsFused(l.Activation) ? l.Activation : ActivationKind.Linear;
        string activation = fused == ActivationKind.Linear ? RuntimeActivation(fused)
            : optional ? $"activate ? {RuntimeActivation(fused)} : {RuntimeActivation(ActivationKind.Linear)}" : RuntimeActivation(fused);
        int filters = l.Output.Channels;
        // A BatchNorm folded in the store (foldedOffset >= 0): its scales go to the filters before their transform and its shifts are the bias.
        string bias = foldedOffset >= 0 ? $"folded.Slice({I(foldedOffset + filters)}, {I(filters)})"
            : l.UseBias ? $"{entry.Weights}.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
        string scale = foldedOffset >= 0 ? $", folded.Slice({I(foldedOffset)}, {I(filters)})" : "";
        if (prepared)
        {
            // The filters transformed before the layers (PreparedWeights), else here on every call.
            w.WriteLine($"if (!prepared.IsEmpty) Winograd5x5Kernels.Conv5x5Transformed(prepared, {bias}, {entry.Input}, {entry.Output}, {entry.Rows}, "
                + $"{I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(filters)}, {I(l.PadTop)}, {activation}, {Literal.Float(l.Alpha)});");
        }
        w.WriteLine($"{(prepared ? "else " : "")}Winograd5x5Kernels.Conv5x5({entry.Weights}.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {bias}, {entry.Input}, {entry.Output}, {entry.Rows}, "
            + $"{I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(filters)}, {I(l.PadTop)}, {activation}, {Literal.Float(l.Alpha)}{scale});");
    }
}
