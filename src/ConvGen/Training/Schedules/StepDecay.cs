using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// Multiplies the rate by <see cref="Factor"/> every <see cref="StepEpochs"/> epochs
/// (PyTorch <c>StepLR</c>): <c>rate = initial * factor^floor(epoch / stepEpochs)</c>.
/// </summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepEpochs">Epochs between reductions, at least 1.</param>
    /// <param name="factor">Multiplier per reduction, in (0, 1].</param>
    public StepDecay(int stepEpochs, float factor)
    {
        if (stepEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stepEpochs), stepEpochs, "stepEpochs must be at least 1.");
        }
        StepEpochs = stepEpochs;
        Factor = CheckFactor(factor, nameof(factor));
    }

    /// <summary>Epochs between reductions.</summary>
    public int StepEpochs { get; }

    /// <summary>Multiplier applied at each reduction.</summary>
    public float Factor { get; }

    /// <inheritdoc/>
    public override float Rate(float initialRate, int epoch)
    {
        Validate(initialRate, epoch);
        return (float)(initialRate * Math.Pow(Factor, epoch / StepEpochs));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"step decay x{Factor} every {StepEpochs} epochs");
}
