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

    /// <summary>
    /// Checks one sample's labels: one per pixel of a map <paramref name="width"/> wide (0: a
    /// single label, not a map), each a class index or <paramref name="ignoreLabel"/>.
    /// </summary>
    public static void CheckPixels(ReadOnlySpan<float> labels, int sample, int classes, int width, int? ignoreLabel, string what)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            float label = labels[i];
            if ((label >= 0 && label < classes && label == MathF.Floor(label)) || (ignoreLabel is int ignored && label == ignored))
            {
                continue;
            }
            string where = width > 0 ? $" at pixel (row {i / width}, column {i % width})" : "";
            throw new ArgumentException(
                $"Sample {sample} of the {what} has label {label.ToString(CultureInfo.InvariantCulture)}{where}, "
                + $"but a sparse label must be a class index, an integer from 0 to {classes - 1}"
                + (ignoreLabel is int ig ? $", or the ignore label {ig}" : "")
                + $": the network has {classes} output {(width > 0 ? "channels per pixel" : "units")}.");
        }
    }
}
