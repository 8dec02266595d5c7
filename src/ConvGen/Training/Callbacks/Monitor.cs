using System;

namespace ConvGen.Training;

/// <summary>Reads a metric from an epoch and knows whether lower or higher is better.</summary>
internal readonly struct Monitor
{
    public Monitor(string name)
    {
        Name = name;
        HigherIsBetter = name.Contains("accuracy", StringComparison.Ordinal) || name.Contains("precision", StringComparison.Ordinal)
            || name.Contains("recall", StringComparison.Ordinal);
    }

    public string Name { get; }

    public bool HigherIsBetter { get; }

    /// <summary>The monitored value with the sign flipped when higher is better, so lower is always better.</summary>
    public double Score(EpochResult result)
    {
        if (!result.Metrics.TryGetValue(Name, out double value))
        {
            throw new InvalidOperationException(
                $"The callback monitors '{Name}', but epoch {result.Epoch} reported only: {string.Join(", ", result.Metrics.Keys)}. "
                + "Monitor a reported metric, or give validation data for the val_ metrics.");
        }
        return HigherIsBetter ? -value : value;
    }

    /// <summary>
    /// Whether <paramref name="score"/> (from <see cref="Score"/>) beats <paramref name="best"/> by
    /// more than <paramref name="minDelta"/>. A NaN or infinite value never does: a diverged epoch
    /// must not replace the best checkpoint or restore point.
    /// </summary>
    public static bool Improves(double score, double best, double minDelta = 0) => double.IsFinite(score) && score < best - minDelta;
}
