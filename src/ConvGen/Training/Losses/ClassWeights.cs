using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Training;

/// <summary>Checks the optional per-class weights of the cross-entropy losses, once, when they are set.</summary>
internal static class ClassWeights
{
    public static float[]? Checked(IReadOnlyList<float>? weights, string loss)
    {
        if (weights is null)
        {
            return null;
        }
        for (int c = 0; c < weights.Count; c++)
        {
            if (!(weights[c] >= 0) || float.IsPositiveInfinity(weights[c]))
            {
                throw new ArgumentException(
                    $"{loss}: class weight {c} is {weights[c].ToString(CultureInfo.InvariantCulture)}; a class weight must be finite and 0 or more.",
                    nameof(weights));
            }
        }
        return weights.ToArray();
    }

    /// <summary>Weight of class <paramref name="c"/>; throws when the weights do not cover the predictions' classes.</summary>
    public static double Of(float[]? weights, int c, int classes, string loss)
    {
        if (weights is null)
        {
            return 1;
        }
        if (weights.Length != classes)
        {
            throw new ArgumentException(
                $"{loss}: {weights.Length} class weights were given but the predictions have {classes} classes; give one weight per class.",
                "predictions");
        }
        return weights[c];
    }
}
