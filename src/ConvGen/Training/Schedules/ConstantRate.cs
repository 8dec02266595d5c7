namespace ConvGen.Training;

/// <summary>Keeps the initial rate for every epoch (the default when no schedule is given).</summary>
public sealed class ConstantRate : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float Rate(float initialRate, int epoch)
    {
        Validate(initialRate, epoch);
        return initialRate;
    }

    /// <inheritdoc/>
    public override string ToString() => "constant";
}
