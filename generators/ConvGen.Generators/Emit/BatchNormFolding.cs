using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Inference with BatchNorm folded into the convolution before it (see
/// Analysis/LayerGraph.FoldBatchNorms): each Forward folds the current parameters into the
/// workspace's <c>FoldedParameters</c> (a pass over the weights, small next to the convolution)
/// and runs a variant of the convolution kernel that reads them, with a bias; the BatchNorm
/// itself then costs nothing. Training keeps the two layers apart.
/// </summary>
internal static class BatchNormFolding
{
    public const string Buffer = "FoldedParameters";

    public static int Length(NetworkModel model) =>
        model.Layers.Where(l => l.FoldedOffset >= 0).Sum(l => l.WeightCount + l.Output.Channels);

    public static string KernelName(LayerPlan conv) => MethodName(conv) + "FoldedBatchNorm";

    /// <summary>The convolution's entry point on the folded tensors: the same body, other offsets, always a bias.</summary>
    public static void EmitKernel(IndentedTextWriter w, LayerPlan conv, Catalog.KernelCatalog catalog)
    {
        w.WriteLine();
        Conv2DEmitter.Emit(w, conv with
        {
            Weights = new WeightTensors(conv.FoldedOffset, conv.WeightCount, conv.FoldedOffset + conv.WeightCount, conv.Output.Channels),
            Activation = conv.FoldedActivation,
            Alpha = conv.FoldedAlpha,
        }, catalog, KernelName(conv), Comment(conv));
    }

    /// <summary>The comment above a folded entry point: what it reads, and the activation it took over.</summary>
    public static string Comment(LayerPlan conv) =>
        $"// layer {conv.Index} at inference with the BatchNorm after it folded in{(conv.FoldedActivation == ActivationKind.Linear ? "" : $" and the {LayerPlan.ActivationName(conv.FoldedActivation)} after that fused")}: reads the folded buffer, not the parameters";

    /// <summary>The folding of every pair, at the start of Forward (reading the parameters through the network's tensor views).</summary>
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
            w.WriteLine($"// fold '{bn.Name}' into '{conv.Name}'");
            w.WriteLine($"global::ConvGen.Kernels.BatchNormKernels.FoldIntoConvolution({View(conv.WeightOffset)}, {bias}, "
                + $"{View(b.GammaOffset)}, {View(b.BetaOffset)}, {View(b.MeanOffset)}, {View(b.VarianceOffset)}, {Literal.Float(b.Epsilon)}, "
                + $"{Folded}, {I(conv.FoldedOffset)}, {I(conv.WeightCount)}), {Folded}, {I(conv.FoldedOffset + conv.WeightCount)}, {I(c)}));");
        }
    }
}
