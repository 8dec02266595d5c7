using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen;

/// <summary>Formats a network's layer table the way Keras <c>model.summary()</c> does.</summary>
public static class ModelSummary
{
    /// <summary>
    /// Returns the table: <c>Layer (type) | Output Shape | Param #</c>, then the totals. The
    /// parameters of frozen layers (<see cref="ITrainableNetwork.IsFrozen"/>) count as
    /// non-trainable, as in Keras.
    /// </summary>
    public static string Format(INetwork network, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Format(network.Layers, network.InputShape, title ?? network.GetType().Name, network is ITrainableNetwork trainable ? trainable.IsFrozen : null);
    }

    /// <summary>Formats a layer table in which every parameter is trainable.</summary>
    public static string Format(IReadOnlyList<LayerInfo> layers, TensorShape inputShape, string title) => Format(layers, inputShape, title, null);

    /// <summary>Formats a layer table; the parameters of layers for which <paramref name="isFrozen"/> is true count as non-trainable.</summary>
    public static string Format(IReadOnlyList<LayerInfo> layers, TensorShape inputShape, string title, Func<int, bool>? isFrozen)
    {
        ArgumentNullException.ThrowIfNull(layers);
        // Keras adds "Connected to" for functional models; a plain chain does not need it.
        bool graph = layers.Any(l => l.Inputs is { } inputs && !(inputs.Count == 1 && inputs[0] == (l.Index == 0 ? "input" : layers[l.Index - 1].Name)));
        var rows = layers
            .Select(l => (Layer: $"{l.Name} ({l.Kind})", Shape: l.OutputShape.ToString(), Params: l.ParameterCount.ToString("N0", CultureInfo.InvariantCulture),
                Inputs: l.Inputs is null ? "" : string.Join(", ", l.Inputs)))
            .Prepend((Layer: "input (Input)", Shape: inputShape.ToString(), Params: "0", Inputs: ""))
            .ToList();
        int w1 = Math.Max("Layer (type)".Length, rows.Max(r => r.Layer.Length)) + 2;
        int w2 = Math.Max("Output Shape".Length, rows.Max(r => r.Shape.Length)) + 2;
        int w3 = Math.Max("Param #".Length, rows.Max(r => r.Params.Length));
        int w4 = graph ? 2 + Math.Max("Connected to".Length, rows.Max(r => r.Inputs.Length)) : 0;
        string rule = new('─', w1 + w2 + w3 + w4);
        var text = new StringBuilder();
        text.AppendLine($"Model: \"{title}\"");
        text.AppendLine(rule);
        text.AppendLine(("Layer (type)".PadRight(w1) + "Output Shape".PadRight(w2) + "Param #".PadLeft(w3) + (graph ? "  Connected to" : "")).TrimEnd());
        text.AppendLine(rule);
        foreach (var row in rows)
        {
            text.AppendLine((row.Layer.PadRight(w1) + row.Shape.PadRight(w2) + row.Params.PadLeft(w3) + (graph ? "  " + row.Inputs : "")).TrimEnd());
        }
        text.AppendLine(rule);
        long total = layers.Sum(l => (long)l.ParameterCount);
        // Non-trainable: every parameter of a frozen layer, and BatchNorm's running statistics everywhere.
        long nonTrainable = layers.Sum(l => isFrozen is not null && isFrozen(l.Index) ? (long)l.ParameterCount : l.NonTrainableParameterCount);
        text.AppendLine($"Total params: {total.ToString("N0", CultureInfo.InvariantCulture)} ({FormatBytes(total * sizeof(float))})");
        text.AppendLine($"Trainable params: {(total - nonTrainable).ToString("N0", CultureInfo.InvariantCulture)}");
        text.AppendLine($"Non-trainable params: {nonTrainable.ToString("N0", CultureInfo.InvariantCulture)}");
        return text.ToString();
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024.0)).ToString("0.00", CultureInfo.InvariantCulture) + " MB",
    };
}
