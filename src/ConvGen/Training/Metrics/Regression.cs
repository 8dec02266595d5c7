using System;

namespace ConvGen.Training.Metrics;

/// <summary>Metrics for regression outputs, accumulated in double over all values.</summary>
public static class Regression
{
    /// <summary>Mean of <c>|prediction - target|</c> over all values.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        Validate(predictions, targets);
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            sum += Math.Abs((double)predictions[i] - targets[i]);
        }
        return sum / predictions.Length;
    }

    /// <summary>Mean of <c>(prediction - target)^2</c> over all values.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        Validate(predictions, targets);
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            double difference = (double)predictions[i] - targets[i];
            sum += difference * difference;
        }
        return sum / predictions.Length;
    }

    private static void Validate(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        if (predictions.IsEmpty)
        {
            throw new ArgumentException("predictions is empty; a mean needs at least one value.", nameof(predictions));
        }
        if (targets.Length != predictions.Length)
        {
            throw new ArgumentException(
                $"targets holds {targets.Length} values but predictions holds {predictions.Length}; they must match.", nameof(targets));
        }
    }
}
