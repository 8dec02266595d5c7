using System;

namespace ConvGen.Training.Metrics;

/// <summary>
/// Scores one thread's part of a batch into its running sums: correct and top-k counts by the
/// rule of <see cref="TopK"/>, per-label agreement for multi-label outputs, absolute error for
/// regression, and optionally the confusion counts. Allocates nothing (it runs every step).
/// </summary>
internal static class StepScores
{
    /// <param name="task">What the loss says the outputs are.</param>
    /// <param name="usesLogits">Predictions are logits (multi-label threshold 0) rather than probabilities (0.5).</param>
    /// <param name="topK">Also count top-k hits for this k; 0 = off.</param>
    /// <param name="predictions"><paramref name="count"/> rows of <paramref name="classes"/> scores.</param>
    /// <param name="targets">Class indices (sparse) or rows of target values.</param>
    /// <param name="count">Rows in this part of the batch.</param>
    /// <param name="classes">Outputs per row.</param>
    /// <param name="totals">Sums to add to.</param>
    /// <param name="confusion">Counts at <c>[actual * classes + predicted]</c>, or null.</param>
    /// <param name="ignoreLabel">A sparse target value that marks an unlabelled row (not scored), or null.</param>
    public static void Add(
        TaskKind task, bool usesLogits, int topK, ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets,
        int count, int classes, ref Totals totals, long[]? confusion, int? ignoreLabel = null)
    {
        for (int r = 0; r < count; r++)
        {
            var row = predictions.Slice(r * classes, classes);
            switch (task)
            {
                case TaskKind.SparseClassification:
                case TaskKind.Classification:
                {
                    if (task == TaskKind.SparseClassification ? ignoreLabel is int ignored && targets[r] == ignored
                        : !targets.Slice(r * classes, classes).ContainsAnyExcept(0f))
                    {
                        break; // unlabelled: neither a hit nor a miss
                    }
                    int actual = task == TaskKind.SparseClassification
                        ? (int)targets[r]
                        : TopK.ArgMax(targets.Slice(r * classes, classes));
                    totals.Scored++;
                    if (TopK.Contains(row, actual, 1)) totals.Correct++;
                    if (topK > 0 && TopK.Contains(row, actual, topK)) totals.TopKCorrect++;
                    if (confusion is not null && (uint)actual < (uint)classes) confusion[actual * classes + TopK.ArgMax(row)]++;
                    break;
                }
                case TaskKind.MultiLabel:
                {
                    float threshold = usesLogits ? 0f : 0.5f;
                    for (int c = 0; c < classes; c++)
                    {
                        bool predicted = row[c] > threshold;
                        bool actual = targets[r * classes + c] > 0.5f;
                        if (predicted == actual) totals.Correct++;
                    }
                    break;
                }
                default:
                    for (int c = 0; c < classes; c++)
                    {
                        totals.AbsoluteError += Math.Abs(row[c] - targets[r * classes + c]);
                    }
                    break;
            }
        }
    }
}
