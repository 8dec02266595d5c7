using System;
using System.Numerics.Tensors;

namespace ConvGen.Training.Metrics;

/// <summary>Metrics computed from per-class scores (logits or probabilities: both rank classes the same).</summary>
public static class Classification
{
    /// <summary>Index of the largest score (the first one on ties; the first NaN if any, as TensorPrimitives does).</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("scores is empty; ArgMax needs at least one class score.", nameof(scores));
        }
        return TensorPrimitives.IndexOfMax(scores);
    }

    /// <summary>
    /// Fraction of rows whose label is among the <paramref name="k"/> highest scores. Ties follow
    /// TensorFlow's <c>in_top_k</c>: a label counts as in the top k when fewer than k classes
    /// score strictly higher, so a tie at the boundary is not held against the model.
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
            ReadOnlySpan<float> row = scores.Slice(r * classes, classes);
            float labelScore = row[label];
            int higher = 0;
            foreach (float score in row)
            {
                if (score > labelScore)
                {
                    higher++;
                }
            }
            if (higher < k && !float.IsNaN(labelScore))
            {
                hits++;
            }
        }
        return (double)hits / rows;
    }
}
