using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// Where activations sit: softmax only on the last layer (CG0201), and no standalone activation
/// that repeats or undoes the one right before it (CG0202). These need no shapes, so they run on
/// the declared layers and are reported even when a shape error stops inference.
/// </summary>
internal static class ActivationRules
{
    public static void Check(EquatableArray<LayerSpec> layers, string[] names, bool isTextForm, List<DiagnosticInfo> diagnostics, LayerTable<ILayerRules> rules)
    {
        // One mistake, one diagnostic: a softmax followed by a redundant activation is reported as
        // the redundancy alone when removing that layer also fixes the softmax's position (it
        // repeats the softmax, or it is the last layer, right after the softmax).
        var softmaxReportedAsRedundancy = new HashSet<int>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (rules[layers[i].Kind].ActivationRole == ActivationRole.Standalone && Redundancy(layers, names, i, rules) is { } redundancy)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RedundantActivation, layers[i].Location, i, names[i], redundancy.Message));
                bool afterSoftmax = redundancy.Previous >= 0 && AppliedActivation(layers[redundancy.Previous], rules) == ActivationKind.Softmax;
                if (afterSoftmax && (layers[i].Activation == ActivationKind.Softmax || redundancy.Previous == i - 1 && i == layers.Count - 1))
                {
                    softmaxReportedAsRedundancy.Add(redundancy.Previous);
                }
            }
        }
        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (AppliedActivation(layers[i], rules) == ActivationKind.Softmax && !softmaxReportedAsRedundancy.Contains(i))
            {
                diagnostics.Add(SoftmaxNotLast(layers, names, i, isTextForm, rules));
            }
        }
    }

    /// <summary>The activation a layer applies, or null for layers without one (and undefined values, reported elsewhere).</summary>
    private static ActivationKind? AppliedActivation(LayerSpec layer, LayerTable<ILayerRules> rules) =>
        rules[layer.Kind].ActivationRole is ActivationRole.Fused or ActivationRole.Standalone && Enum.IsDefined(typeof(ActivationKind), layer.Activation)
            ? layer.Activation
            : null;

    private readonly record struct Finding(int Previous, string Message);

    private static Finding? Redundancy(EquatableArray<LayerSpec> layers, string[] names, int index, LayerTable<ILayerRules> rules)
    {
        var activation = AppliedActivation(layers[index], rules);
        if (activation is null)
        {
            return null;
        }
        if (activation == ActivationKind.Linear)
        {
            return new Finding(-1, "applies linear, the identity, so it does nothing; remove it");
        }
        // Flatten and Dropout keep every value's sign and order, so they do not separate two activations.
        int previous = index - 1;
        while (previous >= 0 && rules[layers[previous].Kind].ActivationRole == ActivationRole.Transparent)
        {
            previous--;
        }
        if (previous < 0 || AppliedActivation(layers[previous], rules) is not { } before || before == ActivationKind.Linear)
        {
            return null;
        }
        string? why = Explain(before, activation.Value);
        if (why is null)
        {
            return null;
        }
        string name = LayerPlan.ActivationName(activation.Value);
        return new Finding(previous,
            $"applies {name} to the output of layer {previous} {layers[previous].Kind} '{names[previous]}', which already applies {LayerPlan.ActivationName(before)}: {why}");
    }

    /// <summary>Why <paramref name="second"/> right after <paramref name="first"/> is a mistake, or null when the pair is fine.</summary>
    private static string? Explain(ActivationKind first, ActivationKind second)
    {
        if (first == second)
        {
            return second switch
            {
                ActivationKind.Relu => "relu(relu(x)) = relu(x), so this layer does nothing; remove it",
                ActivationKind.Sigmoid => "the second sigmoid squeezes (0, 1) into (0.5, 0.73); remove one of them",
                ActivationKind.Tanh => "the second tanh squeezes (-1, 1) into (-0.76, 0.76); remove one of them",
                ActivationKind.Softmax => "a softmax of probabilities pushes them toward uniform; remove one of them",
                ActivationKind.LeakyRelu => "negative values are scaled by alpha twice; remove one of them",
                ActivationKind.Relu6 => "relu6(relu6(x)) = relu6(x), so this layer does nothing; remove it",
                ActivationKind.HardSigmoid => "the second hard_sigmoid maps [0, 1] into [0.5, 0.67]; remove one of them",
                _ => "the function is applied twice; remove one of them",
            };
        }
        if (second == ActivationKind.Relu && first is ActivationKind.Sigmoid or ActivationKind.Softmax or ActivationKind.Relu6 or ActivationKind.HardSigmoid)
        {
            return $"{LayerPlan.ActivationName(first)} never outputs a negative value, so relu does nothing; remove it";
        }
        if (second == ActivationKind.Relu6 && first is ActivationKind.Sigmoid or ActivationKind.Softmax or ActivationKind.HardSigmoid)
        {
            return $"{LayerPlan.ActivationName(first)} outputs values in [0, 1], so relu6 does nothing; remove it";
        }
        return null;
    }

    private static DiagnosticInfo SoftmaxNotLast(EquatableArray<LayerSpec> layers, string[] names, int index, bool isTextForm, LayerTable<ILayerRules> rules)
    {
        var layer = layers[index];
        int following = layers.Count - 1 - index;
        var listed = Enumerable.Range(index + 1, Math.Min(following, 3)).Select(j => $"layer {j} {layers[j].Kind} '{names[j]}'").ToList();
        if (following > 3)
        {
            listed.Add("...");
        }
        string advice = rules[layer.Kind].ActivationRole == ActivationRole.Standalone
            ? "remove this layer, or move it to the end"
            : isTextForm
                ? "use relu here, or move the following layers before it"
                : "use Activation = Activation.Relu here, or move the following layers before it";
        return DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotLast, layer.Location,
            index, layer.Kind, names[index], following == 1 ? "1 layer" : $"{following} layers", following == 1 ? "follows" : "follow",
            string.Join(", ", listed), advice);
    }
}
