using System;

namespace ConvGen.Training;

/// <summary>
/// The decision logic of Keras <c>ReduceLROnPlateau</c>, without the callback plumbing: after
/// <see cref="Patience"/> epochs without an improvement larger than <see cref="MinDelta"/>, the
/// rate is multiplied by <see cref="Factor"/> (never below <see cref="MinRate"/>) and the wait
/// starts again. Patience counts as in Keras: with patience 2 the second epoch in a row without
/// improvement triggers the reduction.
/// </summary>
public sealed class PlateauTracker
{
    /// <summary>Creates a tracker.</summary>
    /// <param name="factor">Multiplier on a plateau, in (0, 1).</param>
    /// <param name="patience">Epochs without improvement after which the rate is reduced, at least 0 (0 and 1 both reduce at the first non-improving epoch).</param>
    /// <param name="minDelta">Smallest change that counts as an improvement, at least 0.</param>
    /// <param name="minRate">Floor for the rate, at least 0.</param>
    /// <param name="higherIsBetter">False (default) for losses; true for metrics such as accuracy.</param>
    public PlateauTracker(float factor, int patience, double minDelta, float minRate, bool higherIsBetter = false)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be greater than 0 and less than 1 (it reduces the rate).");
        }
        if (patience < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "patience must be 0 or more epochs.");
        }
        if (!(minDelta >= 0 && double.IsFinite(minDelta)))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be a finite number, 0 or more.");
        }
        if (!(minRate >= 0 && float.IsFinite(minRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "minRate must be a finite number, 0 or more.");
        }
        Factor = factor;
        Patience = patience;
        MinDelta = minDelta;
        MinRate = minRate;
        HigherIsBetter = higherIsBetter;
        Best = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>Multiplier applied on a plateau.</summary>
    public float Factor { get; }

    /// <summary>Epochs without improvement after which the rate is reduced.</summary>
    public int Patience { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Floor for the rate.</summary>
    public float MinRate { get; }

    /// <summary>Whether larger monitored values are better.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Best monitored value so far (infinite before the first update).</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the last improvement or reduction.</summary>
    public int Wait { get; private set; }

    /// <summary>
    /// Records this epoch's monitored value and returns the rate for the next epoch:
    /// <paramref name="currentRate"/>, or the reduced rate when the plateau has lasted
    /// <see cref="Patience"/> epochs. A NaN or infinite value never counts as an improvement.
    /// </summary>
    public float Update(float currentRate, double monitoredValue)
    {
        if (!(currentRate >= 0 && float.IsFinite(currentRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(currentRate), currentRate, "currentRate must be a finite number, 0 or more.");
        }
        bool improved = double.IsFinite(monitoredValue) && (HigherIsBetter
            ? monitoredValue > Best + MinDelta
            : monitoredValue < Best - MinDelta);
        if (improved)
        {
            Best = monitoredValue;
            Wait = 0;
            return currentRate;
        }
        Wait++;
        if (Wait < Patience)
        {
            return currentRate;
        }
        Wait = 0;
        return currentRate > MinRate ? Math.Max(currentRate * Factor, MinRate) : currentRate;
    }
}
