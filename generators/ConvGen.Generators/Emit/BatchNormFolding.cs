using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Inference with BatchNorm folded into the convolution before it (see
/// Analysis/LayerGraph.FoldBatchNorms). Each Forward turns the current BatchNorm tensors (and the
/// convolution's bias) into one scale and shift per filter in the workspace's
/// <c>FoldedParameters</c>, and the convolution's inference entry applies them to the register
/// tile before the store (a scaled <see cref="Catalog.Epilogue"/>), reading the weights as
/// trained. A small convolution (<see cref="LayerPlan.StoreFoldWeights"/>) instead runs its own
/// body on a copy of its weights and bias folded per call. Either way the BatchNorm itself costs
/// nothing; training keeps the two layers apart.
/// </summary>
internal static class BatchNormFolding
{
    public const string Buffer = "FoldedParameters";

    /// <summary>The parameters of an entry that folds in its store: the network's parameters (weights) and the folded scales and shifts.</summary>
    public const string Parameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> folded, ReadOnlySpan<float> input, Span<float> output, " + RowShares.Parameter;

    public static int Length(NetworkModel model) => model.Layers.Where(l => l.FoldedOffset >= 0).Sum(l => l.FoldedLength);

    public static string KernelName(LayerPlan conv) => MethodName(conv) + "FoldedBatchNorm";

    /// <summary>The convolution's entry point with the BatchNorm folded in: a scaled store, or the same body on the folded copy.</summary>
    public static void EmitKernel(IndentedTextWriter w, LayerPlan conv, Catalog.KernelCatalog catalog)
    {
        w.WriteLine();
        if (conv.FoldsInStore)
        {
            Conv2DEmitter.Emit(w, Fused(conv), catalog, KernelName(conv), Comment(conv), foldedOffset: conv.FoldedOffset);
        }
        else
        {
            Conv2DEmitter.Emit(w, OnCopy(conv), catalog, KernelName(conv), Comment(conv));
        }
    }

    /// <summary>The layer with the activation the folded kernel applies (the one after the BatchNorm, if it took it over).</summary>
    public static LayerPlan Fused(LayerPlan conv) => conv with { Activation = conv.FoldedActivation, Alpha = conv.FoldedAlpha };

    /// <summary>A small layer's folded entry: the same body at the folded copy's offsets, always with a bias.</summary>
    public static LayerPlan OnCopy(LayerPlan conv) => Fused(conv) with
    {
        Weights = new WeightTensors(conv.FoldedOffset, conv.WeightCount, conv.FoldedOffset + conv.WeightCount, conv.Output.Channels),
    };

    /// <summary>The comment above a folded entry point: what it reads, and the activation it took over.</summary>
    public static string Comment(LayerPlan conv) =>
        $"// layer {conv.Index} at inference with the BatchNorm after it folded in{(conv.FoldedActivation == ActivationKind.Linear ? "" : $" and the {LayerPlan.ActivationName(conv.FoldedActivation)} after that fused")}: "
        + (conv.FoldsInStore ? "scales and shifts the sums in registers" : "reads the folded buffer, not the parameters");

    /// <summary>A scaled entry's <c>bias</c> ref: the scales at <paramref name="offset"/> of the folded span, the shifts <paramref name="filters"/> further.</summary>
    public static string ScaleShiftRef(int offset, int filters) =>
        $"ref float bias = ref {(offset == 0 ? "MemoryMarshal.GetReference(folded)" : $"Unsafe.Add(ref MemoryMarshal.GetReference(folded), {I(offset)})")}; // the folded BatchNorm: scales [{filters}], then shifts [{filters}]";

    /// <summary>The scalar fallback's BatchNorm: the scales and shifts over <paramref name="output"/> after a convolution without bias.</summary>
    public static void WriteScaleShiftPass(IndentedTextWriter w, string output, int offset, int filters) =>
        w.WriteLine($"BatchNormKernels.ScaleShift({output}, folded.Slice({I(offset)}, {I(filters)}), folded.Slice({I(offset + filters)}, {I(filters)}));");

    /// <summary>The folded tensors of every pair, at the start of Forward (reading the parameters through the network's tensor views).</summary>
    public static void WriteFold(IndentedTextWriter w, NetworkModel model)
    {
        const string Folded = "new global::System.Span<float>(workspace." + Buffer;
        foreach (var bn in model.Layers.Where(l => l.FoldedInto >= 0 && l.BatchNorm is not null))
        {
            var conv = model.Layers[bn.FoldedInto];
            var b = bn.BatchNorm!;
            int c = conv.Output.Channels;
            string View(int offset) => NetworkClassEmitter.ParameterView(model, offset);
            string bias = conv.UseBias ? View(conv.BiasOffset) : "default";
            string statistics = $"{View(b.GammaOffset)}, {View(b.BetaOffset)}, {View(b.MeanOffset)}, {View(b.VarianceOffset)}, {Literal.Float(b.Epsilon)}";
            w.WriteLine($"// fold '{bn.Name}' into '{conv.Name}'");
            if (conv.FoldsInStore)
            {
                w.WriteLine($"global::ConvGen.Kernels.BatchNormKernels.FoldIntoScaleShift({bias}, {statistics}, "
                    + $"{Folded}, {I(conv.FoldedOffset)}, {I(c)}), {Folded}, {I(conv.FoldedOffset + c)}, {I(c)}));");
            }
            else
            {
                w.WriteLine($"global::ConvGen.Kernels.BatchNormKernels.FoldIntoConvolution({View(conv.WeightOffset)}, {bias}, {statistics}, "
                    + $"{Folded}, {I(conv.FoldedOffset)}, {I(conv.WeightCount)}), {Folded}, {I(conv.FoldedOffset + conv.WeightCount)}, {I(c)}));");
            }
        }
    }
}
