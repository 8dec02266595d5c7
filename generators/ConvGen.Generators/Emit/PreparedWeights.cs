using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The weights a network's layers read in another form than the parameters: the picture plan's
/// packed channel-block slices (<see cref="PicturePlan"/>, <c>ConvGen.Kernels.PictureWeights</c>) and
/// Winograd layers' transformed filters (<see cref="WinogradPlan"/>, <c>WinogradKernels.TransformFilters</c>;
/// <see cref="Winograd5x5Plan"/>, <c>Winograd5x5Kernels.TransformFilters</c>).
/// The workspace holds them in one region whose size is known here; the network's
/// <c>PrepareWeights</c> derives them before the layers of an unfrozen workspace's call, its rows'
/// threads taking disjoint blocks of filters (each value is computed the same way whoever computes it,
/// so the bits do not depend on the thread count), and once for a frozen workspace
/// (<c>InferenceWorkspace.FreezeWeights</c>). An entry point called without them (training's forward,
/// another entry) derives its own once per call.
/// </summary>
internal static class PreparedWeights
{
    public const string Buffer = "PreparedWeights";

    /// <summary>The last parameter of an entry point that reads prepared weights: empty when the caller has none.</summary>
    public const string Parameter = ", ReadOnlySpan<float> prepared = default";

    /// <summary>Filters per unit of a Winograd filter transform (a multiple of every vector's lanes, see <c>TransformFilters</c>).</summary>
    private const int FilterUnit = 16;

    /// <summary>One layer's prepared weights: where they sit in the region, and what they are.</summary>
    /// <param name="Plan">The layer as its inference entry computes it (with a folded BatchNorm's activation).</param>
    /// <param name="Tile">The Winograd tile (<see cref="Winograd5x5Plan.Tile"/> for F(2x2, 5x5)), or null: the picture plan's packed slices.</param>
    /// <param name="FoldedOffset">The folded BatchNorm's scales in <c>FoldedParameters</c> (a Winograd layer scales its filters), or -1.</param>
    internal sealed record Layer(LayerPlan Plan, int Offset, int Length, string? Tile, int FoldedOffset);

    /// <summary>The layers whose inference entry reads prepared weights, in order, each at its offset.</summary>
    public static List<Layer> For(NetworkModel model)
    {
        var found = new List<Layer>();
        int offset = 0;
        foreach (var l in model.Layers)
        {
            if (l.Kind != LayerKind.Conv2D || l.FoldedInto >= 0 || l.IsIdentityAtInference || (l.FoldedOffset >= 0 && !l.FoldsInStore))
            {
                continue;
            }
            var plan = l.FoldedOffset >= 0 ? BatchNormFolding.Fused(l) : l;
            bool winograd5x5 = Winograd5x5Plan.Applies(plan);
            string? tile = winograd5x5 ? Winograd5x5Plan.Tile : WinogradPlan.For(plan, splitsRows: true);
            long length = winograd5x5 ? Winograd5x5Plan.TransformedLength(plan.Input.Channels, plan.Output.Channels)
                : tile is not null ? WinogradPlan.TransformedLength(tile, plan.Input.Channels, plan.Output.Channels)
                : PictureWidths(WindowShape.Of(plan)).Any() ? plan.WeightCount : 0;
            if (length > 0)
            {
                found.Add(new Layer(plan, offset, (int)length, tile, l.FoldedOffset));
                offset += (int)length;
            }
        }
        return found;
    }

    public static int Length(NetworkModel model) => For(model).Sum(l => l.Length);

    /// <summary>The vector widths whose forward body of <paramref name="shape"/> runs the picture plan.</summary>
    public static IEnumerable<VectorWidth> PictureWidths(WindowShape shape) =>
        (PixelLanes.Has512(shape) ? new[] { VectorWidth.V512, VectorWidth.V256 } : new[] { VectorWidth.V256 })
        .Where(width => new ConvForwardKernel(shape, width).Plan is not null);

    /// <summary>
    /// The kernel class's <c>PrepareWeights</c>: every prepared layer's weights into <c>prepared</c>, each
    /// thread of <c>rows</c> taking every <c>rows.Parts</c>-th block of each layer's filters.
    /// </summary>
    public static void WriteMethod(IndentedTextWriter w, NetworkModel model)
    {
        var layers = For(model);
        if (layers.Count == 0)
        {
            return;
        }
        bool folds = BatchNormFolding.Length(model) > 0;
        w.WriteLine();
        w.WriteLine("// The weights the layers read packed or transformed, derived from the parameters (see InferenceWorkspace.FreezeWeights); rows.Parts threads share each layer's filters.");
        using (OpenEntryPoint(w, $"public static void PrepareWeights(ReadOnlySpan<float> parameters, {(folds ? "ReadOnlySpan<float> folded, " : "")}Span<float> prepared, {RowShares.Parameter})"))
        {
            foreach (var layer in layers)
            {
                var l = layer.Plan;
                string weights = $"parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)})";
                string target = $"prepared.Slice({I(layer.Offset)}, {I(layer.Length)})";
                if (layer.Tile is string tile)
                {
                    int filters = l.Output.Channels;
                    string scale = layer.FoldedOffset >= 0 ? $"folded.Slice({I(layer.FoldedOffset)}, {I(filters)})" : "default";
                    w.WriteLine($"// layer {l.Index} '{l.Name}': Winograd {(tile == Winograd5x5Plan.Tile ? "F(2x2, 5x5)" : tile)} filters{(layer.FoldedOffset >= 0 ? ", the folded BatchNorm's scales included" : "")}");
                    string transform = tile == Winograd5x5Plan.Tile ? "Winograd5x5Kernels.TransformFilters(" : $"WinogradKernels.TransformFilters(WinogradTile.{tile}, ";
                    w.WriteLine($"for (int f = {I(FilterUnit)} * rows.Part; f < {I(filters)}; f += {I(FilterUnit)} * rows.Parts) "
                        + $"{transform}{weights}, {scale}, {target}, {I(l.Input.Channels)}, {I(filters)}, f, Math.Min(f + {I(FilterUnit)}, {I(filters)}));");
                }
                else
                {
                    w.WriteLine($"// layer {l.Index} '{l.Name}': the picture plan's channel blocks");
                    WritePack(w, WindowShape.Of(l), weights, target, split: true);
                }
            }
        }
    }

    /// <summary>
    /// Packs the picture plan's channel blocks of HWIO <paramref name="weights"/> into <paramref name="packed"/>
    /// for the vector width the CPU runs; with <paramref name="split"/>, only <c>rows</c>' share of the blocks.
    /// </summary>
    public static void WritePack(IndentedTextWriter w, WindowShape shape, string weights, string packed, bool split)
    {
        var widths = PictureWidths(shape).ToList();
        bool both = PixelLanes.Has512(shape);
        foreach (var width in widths)
        {
            string? condition = !both ? null : width == VectorWidth.V512 ? "Vector512.IsHardwareAccelerated" : widths.Count == 2 ? "" : "!Vector512.IsHardwareAccelerated";
            using (condition is null ? null : (IDisposable?)w.WriteBlock(condition == "" ? "else" : $"if ({condition})"))
            {
                var kernel = new ConvForwardKernel(shape, width);
                int inputBlock = kernel.Plan!.Value.InputChannelBlock;
                string Pack(string first, int channels) =>
                    $"PictureWeights.Pack({weights}, {packed}, {I(shape.Taps)}, {I(shape.Input.Channels)}, {I(shape.Output.Channels)}, {I(inputBlock)}, {first}, {I(channels)});";
                foreach (var block in kernel.Blocks)
                {
                    int end = block.Start + block.Repeat * block.Width;
                    if (block.IsLoop)
                    {
                        w.WriteLine(split
                            ? $"for (int cb = {Arithmetic.Sum($"{I(block.Width)} * rows.Part", I(block.Start))}; cb < {I(end)}; cb += {I(block.Width)} * rows.Parts) {Pack("cb", block.Width)}"
                            : $"for (int cb = {I(block.Start)}; cb < {I(end)}; cb += {I(block.Width)}) {Pack("cb", block.Width)}");
                    }
                    else
                    {
                        w.WriteLine($"{(split ? "if (rows.Lead) " : "")}{Pack(I(block.Start), block.Width)}");
                    }
                }
            }
        }
    }
}
