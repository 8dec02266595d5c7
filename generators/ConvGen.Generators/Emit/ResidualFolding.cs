using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Inference with a residual Add folded into the convolution that computes one of its summands (see
/// Analysis/LayerGraph.FoldResidualAdds). The convolution's residual entry takes the Add's other
/// summand as <c>skip</c> and its store adds it, at the same offset, to the value the convolution
/// would have stored (<c>scale * sum + shift</c> with a BatchNorm folded in, else the sum), then applies
/// the Add's activation and writes the Add's buffer: the same operations in the same order as the
/// separate Add, so the same bits, without the pass over both tensors or the barrier before it.
/// Training keeps the Add (it calls the Add's own entry).
/// </summary>
internal static class ResidualFolding
{
    /// <summary>
    /// Whether <paramref name="conv"/> runs a body that can store a residual sum: a direct or
    /// picture-plan body at every width, or the 3x3 Winograd kernels (their output transform adds the
    /// skip; the 5x5 one and the pixel-lane tiles store otherwise), with its BatchNorm, if any, applied
    /// in the store. A small convolution whose
    /// BatchNorm is folded into a copy of its weights (<see cref="LayerPlan.StoreFoldWeights"/>) shares
    /// its body with training; a residual body of its own (ResidualNet's 8-filter block) costs the
    /// file more than the Add it spares saves a network of that size.
    /// </summary>
    public static bool Supports(LayerPlan conv)
    {
        var shape = WindowShape.Of(conv);
        return (conv.FoldedOffset < 0 || conv.FoldsInStore) && !Winograd5x5Plan.Applies(conv)
            && (WinogradPlan.For(conv, splitsRows: true) is not null
                || (!PixelLanes.Applies(shape, VectorWidth.V256) && !PixelLanes.Applies(shape, VectorWidth.V512)));
    }

    /// <summary>The residual entry: the BatchNorm-folded entry's name (or the layer's) with <c>Residual</c>.</summary>
    public static string KernelName(LayerPlan conv) => (conv.FoldedOffset >= 0 ? BatchNormFolding.KernelName(conv) : MethodName(conv)) + "Residual";

    /// <summary>The convolution's residual entry, in place of its BatchNorm-folded entry (which nothing else would call).</summary>
    public static void EmitKernel(IndentedTextWriter w, LayerPlan conv, Catalog.KernelCatalog catalog)
    {
        w.WriteLine();
        Conv2DEmitter.Emit(w, BatchNormFolding.Fused(conv), catalog, KernelName(conv), Comment(conv), foldedOffset: conv.FoldedOffset, residual: true);
    }

    /// <summary>The comment above a residual entry: what it folds in and what it stores.</summary>
    public static string Comment(LayerPlan conv) =>
        $"// layer {conv.Index} at inference{(conv.FoldedOffset >= 0 ? " with the BatchNorm after it folded in" : "")} and layer {conv.ResidualAdd}'s Add"
        + $"{(conv.FoldedActivation == ActivationKind.Linear ? "" : $" and {LayerPlan.ActivationName(conv.FoldedActivation)}")}: "
        + (WinogradPlan.For(conv, splitsRows: true) is null ? "stores activation(value + skip) from the tile in registers" : "stores activation(value + skip) from the Winograd output transform");
}
