using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// The network as a graph: which earlier layers each layer reads (<c>Input = "name"</c>, the two
/// summands of <c>Add</c>, else the previous layer). Declaration order stays the execution order,
/// so a layer may only read layers declared before it, and every output but the last must be
/// read by someone (an unread layer is almost always a mistyped name).
/// </summary>
internal static class LayerGraph
{
    /// <summary>The name that reads the network input, unless a layer took it.</summary>
    public const string NetworkInputName = "input";

    /// <summary>Per layer, the indices it reads (-1: the network input); null after reporting an unknown name.</summary>
    public static int[][]? ResolveSources(EquatableArray<LayerSpec> layers, string[] names, List<DiagnosticInfo> diagnostics, LayerTable<ILayerRules> rules)
    {
        var indexOf = new Dictionary<string, int>();
        for (int i = 0; i < names.Length; i++)
        {
            if (!indexOf.ContainsKey(names[i]))
            {
                indexOf[names[i]] = i;
            }
        }
        var sources = new int[layers.Count][];
        bool ok = true;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Sources.Count == 0)
            {
                sources[i] = new[] { i - 1 };
                continue;
            }
            int named = rules[layer.Kind].NamedSources;
            if (named > 0 && !rules[layer.Kind].NamesMoreSources && layer.Sources.Count != named)
            {
                // The parser keeps an Input written on such a layer as one source too many.
                string count = named == 2 ? "two" : named.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string list = string.Join(" and ", layer.Sources.Take(named).Select(n => $"'{n}'"));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownInputLayer, layer.Location, i, layer.Kind, names[i], layer.Sources[layer.Sources.Count - 1],
                    $"{layer.Kind} reads exactly the {count} layers named in its arguments ({list}) and takes no Input"));
                ok = false;
                continue;
            }
            sources[i] = new int[layer.Sources.Count];
            for (int k = 0; k < layer.Sources.Count; k++)
            {
                string name = layer.Sources[k];
                if (indexOf.TryGetValue(name, out int index) && index < i)
                {
                    sources[i][k] = index;
                    continue;
                }
                if (!indexOf.ContainsKey(name) && name == NetworkInputName)
                {
                    sources[i][k] = -1;
                    continue;
                }
                string why = !indexOf.TryGetValue(name, out index)
                    ? "no layer has that name" + EarlierNames(names, i)
                    : index == i ? "that is this layer itself" : $"'{name}' is layer {index}, declared after this one";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownInputLayer, layer.Location, i, layer.Kind, names[i], name, why));
                ok = false;
            }
        }
        return ok ? sources : null;
    }

    private static string EarlierNames(string[] names, int index)
    {
        if (index == 0)
        {
            return $" (it is the first layer: only '{NetworkInputName}', the network input, comes before it)";
        }
        var earlier = names.Take(index).ToList();
        const int Shown = 12;
        string list = string.Join(", ", earlier.Skip(System.Math.Max(0, earlier.Count - Shown)).Select(n => $"'{n}'"));
        return $" (layers before it: {(earlier.Count > Shown ? "..., " : "")}{list}, and '{NetworkInputName}' for the network input)";
    }

    /// <summary>CG0108 for every layer but the last whose output nobody reads.</summary>
    public static bool CheckEveryOutputUsed(EquatableArray<LayerSpec> layers, string[] names, List<LayerPlan> plans, List<DiagnosticInfo> diagnostics)
    {
        var used = new bool[plans.Count];
        foreach (var plan in plans)
        {
            foreach (int source in plan.Sources)
            {
                if (source >= 0)
                {
                    used[source] = true;
                }
            }
        }
        bool ok = true;
        for (int i = 0; i < plans.Count - 1; i++)
        {
            if (!used[i])
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayerOutput, layers[i].Location, i, layers[i].Kind, names[i], plans[i].Output.ToText()));
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>
    /// At inference a BatchNorm is an affine map per channel, so after a linear convolution that
    /// only it reads, the convolution applies it to its sums (<c>scale * sum + shift</c>, with
    /// <c>scale = gamma / sqrt(var + eps)</c>, <c>shift = (b - mean) * scale + beta</c>; see Emit/BatchNormFolding),
    /// or a small convolution runs on weights and bias scaled per call (<see cref="LayerPlan.StoreFoldWeights"/>).
    /// Marks both layers and lays out the folded tensors. A fusable Activation layer that alone
    /// reads the BatchNorm (MobileNet's Relu6 / HardSwish) is folded too: the folded kernel applies it.
    /// </summary>
    public static void FoldBatchNorms(List<LayerPlan> plans, LayerTable<ILayerRules> rules)
    {
        int offset = 0;
        for (int i = 1; i < plans.Count; i++)
        {
            var bn = plans[i];
            int source = bn.Source;
            if (bn.BatchNorm is null || source != i - 1)
            {
                continue;
            }
            var conv = plans[source];
            bool onlyReader = plans.Count(p => p.Sources.Contains(source)) == 1;
            if (!rules[conv.Kind].AbsorbsFollowingBatchNorm || conv.Activation != ActivationKind.Linear || !onlyReader)
            {
                continue;
            }
            plans[source] = conv with { FoldedOffset = offset };
            plans[i] = bn with { FoldedInto = source };
            offset += conv.FoldedLength;
            // An Activation that alone reads the BatchNorm runs in the folded kernel's store, as a convolution's own activation does.
            if (i + 1 < plans.Count && plans[i + 1] is { Source: var reader } activation && reader == i
                && rules[activation.Kind].ActivationRole == ActivationRole.Standalone && LayerPlan.IsFusable(activation.Activation)
                && plans.Count(p => p.Sources.Contains(i)) == 1)
            {
                plans[source] = plans[source] with { FoldedActivation = activation.Activation, FoldedAlpha = activation.Alpha };
                plans[i + 1] = activation with { FoldedInto = source };
            }
        }
    }

    /// <summary>
    /// At inference an Add of a convolution's output (or of the BatchNorm folded into it) and a
    /// tensor computed before that convolution runs is stored by the convolution itself: its
    /// epilogue adds the other summand, read at the same offset, to the value it would have stored
    /// and applies the Add's activation, writing the Add's buffer (see Emit/ResidualFolding). The
    /// Add then costs no pass and no barrier. Taken when the summand is read by the Add alone, is
    /// linear, and its convolution runs a direct, picture-plan or 3x3 Winograd body (not the 5x5
    /// Winograd, not pixels in the lanes: the kind's <see cref="ILayerRules.StoresResidualSum"/>). Of two candidates, the later
    /// convolution (the other summand is computed by then). Training keeps the Add.
    /// </summary>
    public static void FoldResidualAdds(List<LayerPlan> plans, LayerTable<ILayerRules> rules)
    {
        for (int i = 0; i < plans.Count; i++)
        {
            var add = plans[i];
            if (add.Kind != LayerKind.Add || add.Sources.Count != 2 || !LayerPlan.IsFusable(add.Activation))
            {
                continue;
            }
            int chosen = -1;
            foreach (int k in new[] { 0, 1 })
            {
                int summand = add.Sources[k], other = add.Sources[1 - k];
                int conv = summand < 0 ? -1 : ResidualConvolution(plans, summand);
                if (conv > other && conv > chosen && plans[conv].Output == add.Output && OnlyReader(plans, summand)
                    && rules[plans[conv].Kind].StoresResidualSum(plans[conv]))
                {
                    chosen = conv;
                }
            }
            if (chosen >= 0)
            {
                plans[chosen] = plans[chosen] with { ResidualAdd = i, FoldedActivation = add.Activation, FoldedAlpha = add.Alpha };
                plans[i] = add with { FoldedInto = chosen };
            }
        }
    }

    /// <summary>The convolution whose store computes <paramref name="summand"/>: itself if linear and not folding a BatchNorm, the BatchNorm's convolution if folded without an activation; -1 otherwise.</summary>
    private static int ResidualConvolution(List<LayerPlan> plans, int summand)
    {
        var plan = plans[summand];
        if (plan.BatchNorm is not null)
        {
            return plan.FoldedInto >= 0 && plans[plan.FoldedInto] is { FoldedActivation: ActivationKind.Linear, ResidualAdd: < 0 } ? plan.FoldedInto : -1;
        }
        return plan.FoldedOffset < 0 && plan.Activation == ActivationKind.Linear && plan.ResidualAdd < 0 ? summand : -1;
    }

    /// <summary>
    /// A ReLU's derivative passes the gradient where the output is above 0. A max pool routes each
    /// gradient to a cell that holds its window's maximum, the pool's output: so when the pool
    /// alone reads the ReLU (the layer before it), the pool's backward can mask by <c>max &gt; 0</c>
    /// as it writes, sparing a pass over the largest gradients of a CNN (same bits: see
    /// Emit/Training/PoolBackwardEmitter).
    /// </summary>
    public static void MaskReluInMaxPoolBackward(List<LayerPlan> plans)
    {
        for (int i = 1; i < plans.Count; i++)
        {
            var pool = plans[i];
            int source = i - 1;
            if (pool.Kind == LayerKind.MaxPool2D && pool.Source == source && pool.Sources.Count <= 1
                && plans[source].HasActivation && plans[source].Activation == ActivationKind.Relu
                && plans.Count(p => p.Source == source || p.Sources.Contains(source)) == 1)
            {
                plans[i] = pool with { MasksSourceRelu = true };
            }
        }
    }
    /// <summary>
    /// Dropout's backward multiplies the gradient by its mask, a ReLU's zeroes it where the output is
    /// not above 0: both elementwise passes over a Dense layer's input gradient, which the Dense's
    /// kernel can make as it stores each element (DenseKernels.InputGradient with a mask and a ReLU
    /// output, same bits). Taken when the Dense reads the layer right before it, which alone reads
    /// its own source in turn: a Dropout, then (or only) a Dense with ReLU.
    /// </summary>
    public static void GateDenseInputGradients(List<LayerPlan> plans)
    {
        for (int i = 1; i < plans.Count; i++)
        {
            var dense = plans[i];
            if (dense.Kind != LayerKind.Dense || dense.Sources.Count > 1 || dense.Source != i - 1 || !OnlyReader(plans, i - 1))
            {
                continue;
            }
            int below = i - 1, mask = -1, relu = -1;
            if (plans[below].Kind == LayerKind.Dropout && plans[below].Sources.Count <= 1 && plans[below].Source == below - 1)
            {
                mask = below;
                below--;
                if (below >= 0 && !OnlyReader(plans, below)) below = -1;
            }
            if (below >= 0 && plans[below].Kind == LayerKind.Dense && plans[below].HasActivation && plans[below].Activation == ActivationKind.Relu)
            {
                relu = below;
            }
            if (mask < 0 && relu < 0)
            {
                continue;
            }
            plans[i] = dense with { GradientMask = mask, GradientRelu = relu };
            if (mask >= 0) plans[mask] = plans[mask] with { GradientInReader = true };
            if (relu >= 0) plans[relu] = plans[relu] with { GradientInReader = true };
        }
    }

    private static bool OnlyReader(List<LayerPlan> plans, int source) => plans.Count(p => p.Source == source || p.Sources.Contains(source)) == 1;
}
