using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Transfer;

/// <summary>
/// Freezing by layer name for transfer learning: a frozen layer gets no gradient and no update
/// (its weights stay bit-identical through training), and backward stops below the lowest
/// layer that is still trainable, so a frozen backbone costs only its forward pass.
/// </summary>
public static class Freezing
{
    /// <summary>Freezes every layer from the first up to and including <paramref name="layerName"/>; returns how many layers that is.</summary>
    /// <exception cref="ArgumentException">No layer has that name (the message lists the names).</exception>
    public static int FreezeThrough(this ITrainableNetwork network, string layerName)
    {
        int last = IndexOf(network, layerName);
        for (int i = 0; i <= last; i++)
        {
            network.SetFrozen(i, true);
        }
        return last + 1;
    }

    /// <summary>Unfreezes every layer from <paramref name="layerName"/> to the end (e.g. the last stage, for fine-tuning); returns how many layers that is.</summary>
    /// <exception cref="ArgumentException">No layer has that name (the message lists the names).</exception>
    public static int UnfreezeFrom(this ITrainableNetwork network, string layerName)
    {
        int first = IndexOf(network, layerName);
        for (int i = first; i < network.Layers.Count; i++)
        {
            network.SetFrozen(i, false);
        }
        return network.Layers.Count - first;
    }

    /// <summary>Freezes or unfreezes the named layers.</summary>
    /// <exception cref="ArgumentException">A name is not a layer of the network; no layer changed.</exception>
    public static void SetFrozen(this ITrainableNetwork network, bool frozen, params string[] layerNames)
    {
        ArgumentNullException.ThrowIfNull(layerNames);
        var indices = layerNames.Select(name => IndexOf(network, name)).ToList();
        foreach (int i in indices)
        {
            network.SetFrozen(i, frozen);
        }
    }

    /// <summary>Freezes or unfreezes every layer.</summary>
    public static void SetAllFrozen(this ITrainableNetwork network, bool frozen)
    {
        ArgumentNullException.ThrowIfNull(network);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            network.SetFrozen(i, frozen);
        }
    }

    /// <summary>Names of the frozen layers, in network order.</summary>
    public static IReadOnlyList<string> FrozenLayers(this ITrainableNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Layers.Where(l => network.IsFrozen(l.Index)).Select(l => l.Name).ToList();
    }

    /// <summary>Parameters of frozen layers (not trained) and of the others.</summary>
    public static (long Trainable, long Frozen) ParameterCounts(this ITrainableNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        long frozen = network.Layers.Where(l => network.IsFrozen(l.Index)).Sum(l => (long)l.ParameterCount);
        return (network.Layers.Sum(l => (long)l.ParameterCount) - frozen, frozen);
    }

    private static int IndexOf(ITrainableNetwork network, string layerName)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layerName);
        foreach (var layer in network.Layers)
        {
            if (layer.Name == layerName)
            {
                return layer.Index;
            }
        }
        throw new ArgumentException(
            $"{network.GetType().Name} has no layer '{layerName}'; its layers are: {string.Join(", ", network.Layers.Select(l => l.Name))}.",
            nameof(layerName));
    }
}
