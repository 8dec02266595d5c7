using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// Each value is added in row order, as one add of a row at a time would; a narrow
    /// destination (a convolution's channels) keeps its sums in registers across the rows instead
    /// of a call per row (thousands per sample, each for a handful of values).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not a whole number of rows.</exception>
    public static void AddRowsInPlace(Span<float> destination, ReadOnlySpan<float> rows)
    {
        if (destination.IsEmpty)
        {
            return;
        }
        int width = destination.Length;
        if (rows.Length % width != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {width}", nameof(rows));
        }
        if (width > RegisterColumns || !Vector256.IsHardwareAccelerated)
        {
            for (int start = 0; start < rows.Length; start += width)
            {
                TensorPrimitives.Add(destination, rows.Slice(start, width), destination);
            }
            return;
        }
        int count = rows.Length / width;
        ref float sum = ref MemoryMarshal.GetReference(destination);
        ref float first = ref MemoryMarshal.GetReference(rows);
        int c = 0;
        for (; c + 2 * Vector256<float>.Count <= width; c += 2 * Vector256<float>.Count)
        {
            var a = Vector256.LoadUnsafe(ref sum, (nuint)c);
            var b = Vector256.LoadUnsafe(ref sum, (nuint)(c + Vector256<float>.Count));
            ref float row = ref Unsafe.Add(ref first, c);
            for (int r = 0; r < count; r++, row = ref Unsafe.Add(ref row, width))
            {
                a += Vector256.LoadUnsafe(ref row);
                b += Vector256.LoadUnsafe(ref row, (nuint)Vector256<float>.Count);
            }
            a.StoreUnsafe(ref sum, (nuint)c);
            b.StoreUnsafe(ref sum, (nuint)(c + Vector256<float>.Count));
        }
        for (; c + Vector256<float>.Count <= width; c += Vector256<float>.Count)
        {
            var a = Vector256.LoadUnsafe(ref sum, (nuint)c);
            ref float row = ref Unsafe.Add(ref first, c);
            for (int r = 0; r < count; r++, row = ref Unsafe.Add(ref row, width))
            {
                a += Vector256.LoadUnsafe(ref row);
            }
            a.StoreUnsafe(ref sum, (nuint)c);
        }
        for (; c < width; c++)
        {
            float s = Unsafe.Add(ref sum, c);
            ref float row = ref Unsafe.Add(ref first, c);
            for (int r = 0; r < count; r++, row = ref Unsafe.Add(ref row, width))
            {
                s += row;
            }
            Unsafe.Add(ref sum, c) = s;
        }
    }

    /// <summary>Widths up to this are summed column block by column block in registers; wider rows one row at a time.</summary>
    private const int RegisterColumns = 64;
}
