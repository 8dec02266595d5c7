using System;

namespace ConvGen.Tests.Reference;

/// <summary>
/// The error function in double precision (about 1e-13), accurate enough that the float GELU
/// under test is judged against the true function rather than against another approximation.
/// .NET has no Math.Erf.
/// </summary>
public static class ReferenceErf
{
    /// <summary>Below this the Maclaurin series is used; above it a continued fraction for erfc.</summary>
    private const double SeriesLimit = 2.5;

    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        double z = Math.Abs(x);
        double value = z < SeriesLimit ? Series(z) : 1.0 - ContinuedFraction(z);
        return x < 0 ? -value : value;
    }

    public static double Erfc(double x) => x >= SeriesLimit ? ContinuedFraction(x) : 1.0 - Erf(x);

    /// <summary>
    /// <c>erf(z) = 2/sqrt(pi) * sum_n (-1)^n z^(2n+1) / (n! (2n+1))</c>. Below 2.5 the largest
    /// term is a few hundred, so cancellation costs at most three of the sixteen digits.
    /// </summary>
    private static double Series(double z)
    {
        double power = z; // (-1)^n z^(2n+1) / n!
        double sum = z;
        for (int n = 1; n < 200; n++)
        {
            power *= -z * z / n;
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }
        return 2.0 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>
    /// Laplace's continued fraction
    /// <c>erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))</c>,
    /// evaluated from a deep fixed level upwards; it converges fast for z &gt;= 2.5.
    /// </summary>
    private static double ContinuedFraction(double z)
    {
        double tail = z;
        for (int k = 300; k >= 1; k--)
        {
            tail = z + k / 2.0 / tail;
        }
        return Math.Exp(-z * z) / (Math.Sqrt(Math.PI) * tail);
    }
}
