using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>
/// What kind of generated code a valid network exercises: per layer, its kind and the options
/// that select a different emit path (padding, strides, dilation, non-square windows, no bias,
/// the activation, wide channel counts), plus the first layer and the form. Compiling a sample
/// that covers every feature seen checks every emit path the batch reached, at a fraction of the
/// cost of compiling all of them.
/// </summary>
internal static class FuzzFeatures
{
    public static HashSet<string> Of(FuzzNetwork network)
    {
        var features = new HashSet<string> { network.TextForm ? "text form" : "attribute form", "first " + network.Layers.FirstOrDefault()?.Kind };
        foreach (var layer in network.Layers)
        {
            string kind = layer.Kind;
            features.Add(kind);
            if (layer.Padding == 1) features.Add(kind + " same");
            if (layer.Stride is > 1) features.Add(kind + " strided");
            if (layer.Stride == 0) features.Add(kind + " stride 0");
            if (layer.Dilation is > 1) features.Add(kind + " dilated");
            if (layer.TwoKernelArguments && layer.KernelHeight != layer.KernelWidth) features.Add(kind + " non-square");
            if (layer.UseBias == false) features.Add(kind + " no bias");
            if (layer.Activation is { } activation) features.Add(kind + " activation " + activation);
            if (layer.Size > 8) features.Add(kind + " wide");
            if (layer.KernelHeight > 5 || layer.KernelWidth > 5) features.Add(kind + " large window");
        }
        return features;
    }

    /// <summary>Greedy cover: repeatedly the network that adds the most unseen features, at most <paramref name="limit"/>.</summary>
    public static List<FuzzNetwork> CoveringSample(IEnumerable<FuzzNetwork> networks, int limit)
    {
        var candidates = networks.Select(n => (Network: n, Features: Of(n))).ToList();
        var covered = new HashSet<string>();
        var sample = new List<FuzzNetwork>();
        while (sample.Count < limit)
        {
            var best = candidates.OrderByDescending(c => c.Features.Count(f => !covered.Contains(f))).ThenBy(c => c.Network.Id).FirstOrDefault();
            if (best.Network is null || best.Features.All(covered.Contains))
            {
                break;
            }
            sample.Add(best.Network);
            covered.UnionWith(best.Features);
            candidates.Remove(best);
        }
        return sample;
    }
}
