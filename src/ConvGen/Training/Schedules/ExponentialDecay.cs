using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>Multiplies the rate by <see cref="Factor"/> every epoch (PyTorch <c>ExponentialLR</c>): <c>rate = initial * factor^epoch</c>.</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="factor">Multiplier per epoch, in (0, 1].</param>
    public ExponentialDecay(float factor)
    {
        Factor = CheckFactor(factor, nameof(factor));
    }

    /// <summary>Multiplier per epoch.</summary>
    public float Factor { get; }

    /// <inheritdoc/>
    public override float Rate(float initialRate, int epoch)
    {
        Validate(initialRate, epoch);
        return (float)(initialRate * Math.Pow(Factor, epoch));
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"exponential decay x{Factor} per epoch");
}
