using System;
using System.Text;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>Element-wise comparison of a float result with a double-precision reference.</summary>
public static class NumericAssert
{
    /// <summary>
    /// Float accumulation over a few hundred terms stays far below this; a wrong tap, offset or
    /// channel shows up as an error of order one.
    /// </summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Passes when every <c>|actual - expected| &lt;= tolerance * (1 + |expected|)</c> (absolute near zero, relative for large values).</summary>
    public static void Close(ReferenceTensor expected, ReadOnlySpan<float> actual, string context, double tolerance = DefaultTolerance)
    {
        Assert.True(expected.Values.Length == actual.Length,
            $"{context}: {actual.Length} values, the reference has {expected.Values.Length}");
        int failures = 0;
        var report = new StringBuilder();
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected.Values[i];
            double a = actual[i];
            double error = Math.Abs(a - e);
            // The negated form also fails on NaN.
            if (!(error <= tolerance * (1 + Math.Abs(e))))
            {
                if (failures < 5)
                {
                    report.AppendLine($"  at {expected.Describe(i)}: expected {e:R}, actual {a:R}, error {error:G3}");
                }
                failures++;
            }
        }
        Assert.True(failures == 0,
            $"{context}: {failures} of {actual.Length} values differ from the reference by more than {tolerance:G2} x (1 + |expected|):{Environment.NewLine}{report}");
    }

    /// <summary>One value against its expectation, with the same <c>tolerance * (1 + |expected|)</c> rule.</summary>
    public static void Near(double expected, double actual, double tolerance, string context) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * (1 + Math.Abs(expected)),
            $"{context}: expected {expected:R}, actual {actual:R}, error {Math.Abs(actual - expected):G3}");

    /// <summary>Two float computations of the same values (e.g. two code paths), element by element.</summary>
    public static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context, double tolerance = DefaultTolerance)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Near(expected[i], actual[i], tolerance, $"{context} [{i}]");
        }
    }
}
