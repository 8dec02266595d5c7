using System;

namespace ConvGen.Training;

/// <summary>
/// Row-wise log-sum-exp in double. Loss work is O(batch x classes), negligible next to the
/// network, so accuracy wins over vectorisation here: shifting by the row maximum keeps exp from
/// overflowing and the double accumulator keeps the log of tiny probabilities exact.
/// </summary>
internal static class SoftmaxMath
{
    /// <summary>Returns <c>log(sum(exp(row)))</c> and the row maximum used as the shift.</summary>
    public static double LogSumExp(ReadOnlySpan<float> row, out double max)
    {
        max = double.NegativeInfinity;
        foreach (float value in row)
        {
            if (value > max)
            {
                max = value;
            }
        }
        if (double.IsNegativeInfinity(max) || double.IsNaN(max))
        {
            // All -inf (or NaN present): fall back to the plain formula so NaN / -inf propagate visibly.
            max = 0;
        }
        double sum = 0;
        foreach (float value in row)
        {
            sum += Math.Exp(value - max);
        }
        return max + Math.Log(sum);
    }
}
