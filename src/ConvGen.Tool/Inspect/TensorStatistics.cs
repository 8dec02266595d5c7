using System;

namespace ConvGen.Tool.Inspect;

/// <summary>
/// Minimum, maximum, mean and standard deviation (population) over the finite elements, and the
/// NaN and infinity counts. Welford's update keeps the variance accurate for millions of values.
/// </summary>
internal sealed class TensorStatistics
{
    private double _mean;
    private double _squares;

    public long Finite { get; private set; }

    public long NaN { get; private set; }

    public long Infinite { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double Mean => Finite > 0 ? _mean : double.NaN;

    public double StandardDeviation => Finite > 0 ? Math.Sqrt(_squares / Finite) : double.NaN;

    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            NaN++;
            return;
        }
        if (double.IsInfinity(value))
        {
            Infinite++;
            return;
        }
        Finite++;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        double delta = value - _mean;
        _mean += delta / Finite;
        _squares += delta * (value - _mean);
    }
}
