using System;

namespace ConvGen.Training.Metrics;

/// <summary>
/// The one ranking rule behind every classification metric: <c>accuracy</c> (k = 1), the
/// training loop's <c>top_K_accuracy</c>, <see cref="Classification.TopKAccuracy"/>,
/// <see cref="Classification.ArgMax"/> and the confusion matrix's predicted class.
/// </summary>
/// <remarks>
/// Classes are ranked as a stable sort by descending score would order them: a higher score
/// ranks first and, among equal scores, the lower class index ranks first (the order
/// <c>torch.topk</c> returns and the first-index tie break of every arg-max). So k = 1 is exactly
/// "arg-max equals the label", and a network whose scores are all equal is not credited with every
/// label (TensorFlow's <c>in_top_k</c> counts boundary ties in the label's favour; this rule does
/// not). A NaN score ranks above every number (as <c>TensorPrimitives.IndexOfMax</c> treats it), so
/// a row with a NaN elsewhere pushes the label down, and a NaN score of the label itself never
/// counts as correct.
/// </remarks>
public static class TopK
{
    /// <summary>
    /// Whether class <paramref name="actual"/> is among the <paramref name="k"/> best-ranked
    /// classes of <paramref name="row"/>: fewer than k classes score higher than it, or score the
    /// same at a lower index, or are NaN. False when the label's own score is NaN or
    /// <paramref name="actual"/> is not a class index; true for any finite label score when
    /// <paramref name="k"/> is at least the number of classes. Allocates nothing.
    /// </summary>
    public static bool Contains(ReadOnlySpan<float> row, int actual, int k)
    {
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        }
        if ((uint)actual >= (uint)row.Length)
        {
            return false;
        }
        float value = row[actual];
        if (float.IsNaN(value))
        {
            return false;
        }
        int ahead = 0;
        for (int c = 0; c < row.Length; c++)
        {
            float score = row[c];
            // A NaN fails every comparison, so it is tested on its own.
            if (float.IsNaN(score) || score > value || (score == value && c < actual))
            {
                if (++ahead >= k)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// The best-ranked class of a non-empty <paramref name="row"/>: the first NaN if there is
    /// one, else the first of the largest scores.
    /// </summary>
    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        float bestScore = row[0];
        if (float.IsNaN(bestScore))
        {
            return 0;
        }
        for (int c = 1; c < row.Length; c++)
        {
            float score = row[c];
            if (float.IsNaN(score))
            {
                return c;
            }
            if (score > bestScore)
            {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }
}
