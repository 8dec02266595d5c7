using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// Names every parameter tensor: each layer gets a unique Pascal-case stem for its view
/// properties (<c>Conv2d1Weight</c>), and its descriptor lists the tensors under it.
/// </summary>
internal static class ParameterNames
{
    public static EquatableArray<ParameterTensor> Tensors(IReadOnlyList<LayerPlan> plans, LayerTable<ILayerRules> rules)
    {
        var tensors = new List<ParameterTensor>();
        var used = new HashSet<string>();
        foreach (var l in plans.Where(l => l.ParameterCount > 0))
        {
            string stem = Identifier.Pascal(l.Name);
            // Names that differ only in punctuation or case of the first letter share a stem; the
            // index tells them apart, and the loop covers a user name that already ends in one.
            for (int k = 0; !used.Add(stem); k++)
            {
                stem = Identifier.Pascal(l.Name) + Number(l.Index) + (k == 0 ? "" : "_" + Number(k));
            }
            tensors.AddRange(rules[l.Kind].ParameterTensors(l, stem));
        }
        return tensors.ToEquatableArray();
    }

    /// <summary>He uniform before ReLU-family activations, Glorot uniform otherwise.</summary>
    public static string WeightInit(ActivationKind activation) =>
        activation is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Elu or ActivationKind.Gelu
            or ActivationKind.Relu6 or ActivationKind.HardSwish or ActivationKind.Silu or ActivationKind.Mish ? "HeUniform" : "GlorotUniform";

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
