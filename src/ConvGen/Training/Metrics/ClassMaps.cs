using System;

namespace ConvGen.Training.Metrics;

/// <summary>Per-pixel class maps from the output of a segmentation network (<c>Predict</c> on an <c>[H,W,C]</c> output).</summary>
public static class ClassMaps
{
    /// <summary>
    /// The class of every pixel of every sample: the arg-max over each pixel's <paramref name="classes"/>
    /// scores (probabilities or logits rank alike; ties take the lower class, as accuracy does).
    /// Returns <c>outputs.Length / classes</c> class indices, sample after sample, row-major.
    /// </summary>
    /// <param name="outputs">What <c>Predict</c> returned: samples x H x W x <paramref name="classes"/> scores.</param>
    /// <param name="classes">Channels of the output (C of <c>[H,W,C]</c>), at least 1.</param>
    public static int[] FromScores(ReadOnlySpan<float> outputs, int classes)
    {
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        }
        if (outputs.Length % classes != 0)
        {
            throw new ArgumentException(
                $"outputs holds {outputs.Length} floats, which is not a whole number of pixels of {classes} classes; pass the output's channel count.", nameof(outputs));
        }
        var map = new int[outputs.Length / classes];
        for (int p = 0; p < map.Length; p++)
        {
            map[p] = TopK.ArgMax(outputs.Slice(p * classes, classes));
        }
        return map;
    }

    /// <summary>The class map of one sample of <paramref name="shape"/> (an <c>[H,W,C]</c> output).</summary>
    public static int[] OfSample(ReadOnlySpan<float> outputs, int sample, TensorShape shape)
    {
        if (shape.Rank != 3)
        {
            throw new ArgumentException($"A class map needs a spatial [H,W,C] output, not {shape}.", nameof(shape));
        }
        int length = shape.Length;
        if (sample < 0 || (long)(sample + 1) * length > outputs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, $"outputs hold {outputs.Length / length} samples of {shape}.");
        }
        return FromScores(outputs.Slice(sample * length, length), shape.Channels);
    }
}
