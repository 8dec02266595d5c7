using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// The few vector primitives generated code calls, forwarded to TensorPrimitives. Generated
/// code goes through here so that a user's project needs a reference to ConvGen only.
/// </summary>
public static class VectorMath
{
    /// <summary><c>destination[i] += values[i]</c>.</summary>
    public static void AddInPlace(Span<float> destination, ReadOnlySpan<float> values) => TensorPrimitives.Add(destination, values, destination);

    /// <summary>
    /// Adds each row of <paramref name="rows"/> (consecutive runs of <c>destination.Length</c>
    /// values) to <paramref name="destination"/>: a bias gradient summing every pixel's output
    /// gradient. Nothing when <paramref name="destination"/> is empty (a layer without bias).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not a whole number of rows.</exception>
    public static void AddRowsInPlace(Span<float> destination, ReadOnlySpan<float> rows)
    {
        if (destination.IsEmpty)
        {
            return;
        }
        if (rows.Length % destination.Length != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {destination.Length}", nameof(rows));
        }
        for (int start = 0; start < rows.Length; start += destination.Length)
        {
            TensorPrimitives.Add(destination, rows.Slice(start, destination.Length), destination);
        }
    }
}
