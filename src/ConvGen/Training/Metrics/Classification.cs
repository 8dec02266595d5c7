using System;

namespace ConvGen.Training.Metrics;

/// <summary>Metrics computed from per-class scores (logits or probabilities: both rank classes the same).</summary>
public static class Classification
{
    /// <summary>
    /// Index of the largest score: the first one on ties, the first NaN if any (the k = 1 case of
    /// the ranking rule of <see cref="TopK"/>, so it agrees with <c>accuracy</c>).
    /// </summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("scores is empty; ArgMax needs at least one class score.", nameof(scores));
        }
        return TopK.ArgMax(scores);
    }

    /// <summary>
    /// Fraction of rows whose label is among the <paramref name="k"/> best-ranked classes, by the
    /// rule of <see cref="TopK.Contains"/> (the one <c>Fit</c>'s <c>top_K_accuracy</c> uses): equal
    /// scores rank by class index, lower first, so k = 1 is arg-max accuracy; a NaN label score
    /// never counts.
    /// </summary>
    /// <param name="scores"><c>rows * classes</c> scores.</param>
    /// <param name="labels"><c>rows</c> class indices.</param>
    /// <param name="rows">Number of samples, at least 1.</param>
    /// <param name="classes">Scores per row, at least 1.</param>
    /// <param name="k">How many top classes count, from 1 to <paramref name="classes"/>.</param>
    public static double TopKAccuracy(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int rows, int classes, int k)
    {
        if (rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be at least 1.");
        }
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        }
        if (k < 1 || k > classes)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be from 1 to the number of classes ({classes}).");
        }
        if (scores.Length != (long)rows * classes)
        {
            throw new ArgumentException(
                $"scores holds {scores.Length} floats but {rows} rows of {classes} classes need {(long)rows * classes}.", nameof(scores));
        }
        if (labels.Length != rows)
        {
            throw new ArgumentException($"labels holds {labels.Length} values but there are {rows} rows.", nameof(labels));
        }
        int hits = 0;
        for (int r = 0; r < rows; r++)
        {
            int label = labels[r];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"labels[{r}] is {label}, but a label must be a class index from 0 to {classes - 1}.", nameof(labels));
            }
            if (TopK.Contains(scores.Slice(r * classes, classes), label, k))
            {
                hits++;
            }
        }
        return (double)hits / rows;
    }
}
