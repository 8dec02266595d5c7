using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>Checks sparse class-index targets against the network's output units, naming the sample.</summary>
internal static class SparseLabels
{
    public static void CheckAll(ReadOnlySpan<float> labels, int classes, string what, string? sourceName)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            Check(labels[i], i, classes, what, sourceName);
        }
    }

    public static void Check(float label, int sample, int classes, string what, string? sourceName)
    {
        // Exact comparison is intended: labels are small integers stored exactly in a float.
        if (label >= 0 && label < classes && label == MathF.Floor(label))
        {
            return;
        }
        string source = sourceName is null ? "" : $" (read from {sourceName})";
        throw new ArgumentException(
            $"Sample {sample} of the {what}{source} has label {label.ToString(CultureInfo.InvariantCulture)}, "
            + $"but a sparse label must be a class index, an integer from 0 to {classes - 1}: the network has {classes} output units.");
    }
}
