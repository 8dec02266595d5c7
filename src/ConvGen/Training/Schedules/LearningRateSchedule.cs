using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// The learning rate for each epoch as a pure function of the initial rate and the epoch index
/// (0 for the first epoch), so a resumed run gets the same rates without schedule state.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Returns the rate to use during epoch <paramref name="epoch"/> (0-based).</summary>
    /// <param name="initialRate">The optimizer's configured rate, finite and at least 0.</param>
    /// <param name="epoch">Epoch index, from 0.</param>
    public abstract float Rate(float initialRate, int epoch);

    /// <summary>Validates the arguments of <see cref="Rate"/> with uniform messages.</summary>
    protected static void Validate(float initialRate, int epoch)
    {
        if (!(initialRate >= 0 && float.IsFinite(initialRate)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(initialRate), initialRate, "initialRate must be a finite number, 0 or more.");
        }
        if (epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epoch must be 0 or more (the first epoch is 0).");
        }
    }

    /// <summary>Checks a factor that multiplies the rate: finite and in (0, 1].</summary>
    protected static float CheckFactor(float factor, string name)
    {
        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(
                name, factor, $"{name} must be greater than 0 and at most 1 (it multiplies the rate), got {factor.ToString(CultureInfo.InvariantCulture)}.");
        }
        return factor;
    }
}
