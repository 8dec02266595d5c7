using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The one place that decides whether a convolution runs as Winograd's minimal filtering (the
/// runtime's <c>ConvGen.Kernels.WinogradKernels</c>, 4x or 2.25x fewer multiplies) instead of the
/// direct body, and with which tile. The entry point keeps its signature and its scalar fallback;
/// after that it calls the kernel with its share of the rows (a picture split over threads gives
/// the same bits as one thread) and returns. The same entry serves training's forward, which then
/// runs the same arithmetic; the gradients keep their direct kernels.
/// </summary>
internal static class WinogradPlan
{
    /// <summary>Channels (input and output) from which Winograd can pay: 32 channels at 56x56 ran 20% slower than direct (the GEMM's 4-vector strips need 64 filters on 512-bit vectors).</summary>
    public const int MinChannels = 64;

    /// <summary>Output pixels from which F(4x4, 3x3) pays for its per-call filter transform (36 x C x F values written and streamed).</summary>
    public const int MinPixelsF4x4 = 28 * 28;

    /// <summary>Output pixels from which F(2x2, 3x3) pays for its (16 x C x F) filter transform.</summary>
    public const int MinPixelsF2x2 = 14 * 14;

    /// <summary>
    /// Most transformed filter values (positions x C x F) a layer may have: 64 MB of per-thread scratch, four times
    /// ResNet-18's largest (conv256's 4 MB for F(2x2) is the largest it takes); a wider layer stays direct rather than
    /// asking every thread for a scratch array of hundreds of megabytes.
    /// </summary>
    public const long MaxFilterValues = 16L << 20;

    /// <summary>
    /// The rule. Only a Conv2D whose own entry splits rows (<paramref name="splitsRows"/>), 3x3, stride 1, dilation 1, the
    /// same padding of 0 or 1 on every side, both channel counts at least <see cref="MinChannels"/>. The filters are
    /// transformed on every call (a cache could go stale when the parameters change), a cost that grows with C x F
    /// while the multiplies saved grow with the pixels too. Measured on ResNet-18's shapes at batch 1, one thread, in
    /// alternating runs on a loaded machine (benchmarks/RESULTS.md, 2026-12-05): F(4x4) ran conv64 at 56x56 and conv128
    /// at 28x28 2.0x faster than direct (F(2x2) only 1.2-1.3x); at 14x14 F(2x2) ran conv256 1.4-1.5x faster and F(4x4)
    /// 1.2x slower; at 7x7 conv512 both were 2x and more slower (16 MB of transformed filters per call), and 32 channels
    /// at 56x56 ran 20% slower.
    /// Null: the direct body.
    /// </summary>
    public static string? For(LayerPlan l, bool splitsRows)
    {
        if (!splitsRows || l.Kind != LayerKind.Conv2D || l.KernelHeight != 3 || l.KernelWidth != 3 || l.StrideHeight != 1 || l.StrideWidth != 1
            || l.DilationHeight != 1 || l.DilationWidth != 1 || l.PadTop is not (0 or 1)
            || l.PadBottom != l.PadTop || l.PadLeft != l.PadTop || l.PadRight != l.PadTop
            || l.Input.Channels < MinChannels || l.Output.Channels < MinChannels)
        {
            return null;
        }
        long pixels = (long)l.Output.Height * l.Output.Width;
        long pairs = (long)l.Input.Channels * l.Output.Channels;
        return pixels >= MinPixelsF4x4 && 36 * pairs <= MaxFilterValues ? "F4x4"
            : pixels >= MinPixelsF2x2 && 16 * pairs <= MaxFilterValues ? "F2x2"
            : null;
    }

    /// <summary>Floats of a layer's transformed filters, as <c>WinogradKernels.TransformedLength</c> counts them (each position's matrix and a cache line).</summary>
    public static long TransformedLength(string tile, int inputChannels, int outputChannels)
    {
        int alpha = tile == "F4x4" ? 6 : 4;
        return alpha * alpha * ((long)inputChannels * outputChannels + 16);
    }

    /// <summary>
    /// Most floats of one picture's transformed input tiles the threads of a split workspace share (4 MB): a Winograd layer
    /// split by filters (a picture over threads, 64-filter blocks) transforms its tiles once into that buffer, each thread
    /// a share, instead of every thread all of them. ResNet-18's such layers at 224x224 take under 1 MB (conv128's F(4x4)
    /// 0.9 MB, conv256's F(2x2) 0.8 MB); a larger picture's layer has each thread transform its tiles a block at a time.
    /// </summary>
    public const long MaxSharedTileValues = 1L << 20;

    /// <summary>
    /// Floats of the workspace's shared tiles (<c>InferenceWorkspace.SharedTiles</c>): the largest picture's transformed
    /// input tiles, <c>positions x (tiles x C + 16)</c> as the kernels lay them out, of the inference layers that run as
    /// Winograd (3x3 or 5x5) and can divide their filters (a multiple of 64, at least two blocks), within
    /// <see cref="MaxSharedTileValues"/>; 0 for none.
    /// </summary>
    public static int SharedTilesLength(NetworkModel model)
    {
        long largest = 0;
        foreach (var l in model.Layers)
        {
            if (l.Kind != LayerKind.Conv2D || l.FoldedInto >= 0 || l.IsIdentityAtInference || l.Output.Channels % 64 != 0 || l.Output.Channels < 128)
            {
                continue;
            }
            string? tile = For(l, splitsRows: true);
            int m = Winograd5x5Plan.Applies(l) ? 2 : tile == "F4x4" ? 4 : tile == "F2x2" ? 2 : 0;
            if (m == 0)
            {
                continue;
            }
            int alpha = Winograd5x5Plan.Applies(l) ? 6 : m + 2;
            long tiles = (long)((l.Output.Height + m - 1) / m) * ((l.Output.Width + m - 1) / m);
            long length = alpha * alpha * (tiles * l.Input.Channels + 16);
            if (length <= MaxSharedTileValues)
            {
                largest = System.Math.Max(largest, length);
            }
        }
        return (int)largest;
    }

    /// <summary>The call, after the entry's scalar fallback: the fused activation (if any, unless <c>activate</c> is false) in the store.</summary>
    /// <param name="prepared">The entry takes <see cref="PreparedWeights.Parameter"/>: the transformed filters, when its caller has them.</param>
    /// <param name="residual">The entry takes <c>skip</c>, a residual Add's other summand, which the store adds before the activation (<see cref="ResidualFolding"/>).</param>
    public static void WriteCall(IndentedTextWriter w, LayerPlan l, string tile, Conv2DEmitter.Entry entry, bool optional, bool prepared, int foldedOffset = -1, bool residual = false)
    {
        string skip = residual ? ", skip: skip" : "";
        var fused = IsFused(l.Activation) ? l.Activation : ActivationKind.Linear;
        string activation = fused == ActivationKind.Linear ? RuntimeActivation(fused)
            : optional ? $"activate ? {RuntimeActivation(fused)} : {RuntimeActivation(ActivationKind.Linear)}" : RuntimeActivation(fused);
        int filters = l.Output.Channels;
        // A BatchNorm folded in the store (foldedOffset >= 0): its scales go to the filters before
        // their transform and its shifts (which include the bias) are the bias.
        string bias = foldedOffset >= 0 ? $"folded.Slice({I(foldedOffset + filters)}, {I(filters)})"
            : l.UseBias ? $"{entry.Weights}.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
        string scale = foldedOffset >= 0 ? $", folded.Slice({I(foldedOffset)}, {I(filters)})" : "";
        if (prepared)
        {
            // The filters transformed before the layers (PreparedWeights), else here on every call.
            w.WriteLine($"if (!prepared.IsEmpty) WinogradKernels.Conv3x3Transformed(WinogradTile.{tile}, prepared, {bias}, {entry.Input}, {entry.Output}, {entry.Rows}, "
                + $"{I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(filters)}, {I(l.PadTop)}, {activation}, {Literal.Float(l.Alpha)}{skip});");
        }
        w.WriteLine($"{(prepared ? "else " : "")}WinogradKernels.Conv3x3(WinogradTile.{tile}, {entry.Weights}.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {bias}, {entry.Input}, {entry.Output}, {entry.Rows}, "
            + $"{I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(filters)}, {I(l.PadTop)}, {activation}, {Literal.Float(l.Alpha)}{scale}{skip});");
    }
}
