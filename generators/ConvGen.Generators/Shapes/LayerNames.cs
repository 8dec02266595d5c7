using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Shapes;

/// <summary>Gives every layer a unique name: the user's, or Keras's default (<c>conv2d</c>, <c>conv2d_1</c>, ...).</summary>
internal static class LayerNames
{
    public static string[] Assign(EquatableArray<LayerSpec> layers, List<DiagnosticInfo> diagnostics)
    {
        var names = new string[layers.Count];
        var owners = new Dictionary<string, int>();
        // User-given names first, so that a default never takes a name the user chose later on.
        for (int i = 0; i < layers.Count; i++)
        {
            string? name = layers[i].Name;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }
            if (owners.TryGetValue(name!, out int owner))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, layers[i].Location, i, layers[i].Kind, name!, owner, layers[owner].Kind));
                continue;
            }
            owners[name!] = i;
            names[i] = name!;
        }
        var counters = new Dictionary<string, int>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (names[i] is not null)
            {
                continue;
            }
            string stem = DefaultStem(layers[i].Kind);
            string candidate;
            do
            {
                counters.TryGetValue(stem, out int count);
                counters[stem] = count + 1;
                candidate = count == 0 ? stem : $"{stem}_{count}";
            }
            while (owners.ContainsKey(candidate));
            owners[candidate] = i;
            names[i] = candidate;
        }
        return names;
    }

    public static string DefaultStem(LayerKind kind) => kind switch
    {
        LayerKind.Conv2D => "conv2d",
        LayerKind.MaxPool2D => "max_pooling2d",
        LayerKind.AvgPool2D => "average_pooling2d",
        LayerKind.GlobalMaxPool2D => "global_max_pooling2d",
        LayerKind.GlobalAvgPool2D => "global_average_pooling2d",
        LayerKind.Flatten => "flatten",
        LayerKind.Dense => "dense",
        LayerKind.Dropout => "dropout",
        LayerKind.Add => "add",
        LayerKind.BatchNorm => "batch_normalization",
        _ => "activation",
    };
}
