using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// Optional linear warm-up, then half a cosine from the initial rate down to
/// <see cref="MinRate"/>. Warm-up epoch <c>e</c> uses <c>initial * (e + 1) / warmupEpochs</c> (it
/// starts above 0 because an epoch at rate 0 would be wasted); afterwards
/// <c>rate = min + (initial - min) * (1 + cos(pi * t)) / 2</c> with
/// <c>t = (epoch - warmupEpochs) / (totalEpochs - warmupEpochs)</c>, clamped to 1. As with
/// PyTorch <c>CosineAnnealingLR(T_max = totalEpochs)</c>, the minimum is reached at epoch
/// <c>totalEpochs</c>, so the last trained epoch still learns a little.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="totalEpochs">Length of warm-up plus decay, at least 1.</param>
    /// <param name="minRate">Rate at the end of the decay, finite and at least 0.</param>
    /// <param name="warmupEpochs">Epochs of linear warm-up, from 0 to <c>totalEpochs - 1</c>.</param>
    public CosineDecay(int totalEpochs, float minRate = 0f, int warmupEpochs = 0)
    {
        if (totalEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, "totalEpochs must be at least 1.");
        }
        if (!(minRate >= 0 && float.IsFinite(minRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "minRate must be a finite number, 0 or more.");
        }
        if (warmupEpochs < 0 || warmupEpochs >= totalEpochs)
        {
            throw new ArgumentOutOfRangeException(
                nameof(warmupEpochs), warmupEpochs, $"warmupEpochs must be from 0 to {totalEpochs - 1} (less than totalEpochs {totalEpochs}).");
        }
        TotalEpochs = totalEpochs;
        MinRate = minRate;
        WarmupEpochs = warmupEpochs;
    }

    /// <summary>Warm-up plus decay length in epochs.</summary>
    public int TotalEpochs { get; }

    /// <summary>Rate reached at the end of the decay.</summary>
    public float MinRate { get; }

    /// <summary>Epochs of linear warm-up.</summary>
    public int WarmupEpochs { get; }

    /// <inheritdoc/>
    public override float Rate(float initialRate, int epoch)
    {
        Validate(initialRate, epoch);
        if (epoch < WarmupEpochs)
        {
            return (float)((double)initialRate * (epoch + 1) / WarmupEpochs);
        }
        double progress = Math.Min(1.0, (double)(epoch - WarmupEpochs) / (TotalEpochs - WarmupEpochs));
        return (float)(MinRate + (initialRate - (double)MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"cosine decay over {TotalEpochs} epochs to {MinRate}, {WarmupEpochs} warm-up");
}
