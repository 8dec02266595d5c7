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
    /// of a call per row (thousands per sample, each for a handful of values); columns that do
    /// not fill a vector are summed by a vector that overlaps its neighbour's columns (the lanes
    /// both hold get the same bits), not one scalar chain of adds per column.
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
        if (width < Vector256<float>.Count)
        {
            AddNarrowRows(ref sum, ref first, width, count);
            return;
        }
        // Columns past the last whole vector: one vector that ends at the last column, summed
        // before the others store theirs (its overlapped lanes must start from the same values)
        // and stored after them, with the same bits in the lanes both hold.
        int tail = width - Vector256<float>.Count;
        bool overlaps = width % Vector256<float>.Count != 0;
        var last = overlaps ? SumColumns(Vector256.LoadUnsafe(ref sum, (nuint)tail), ref Unsafe.Add(ref first, tail), width, count) : default;
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
        if (c + Vector256<float>.Count <= width)
        {
            SumColumns(Vector256.LoadUnsafe(ref sum, (nuint)c), ref Unsafe.Add(ref first, c), width, count).StoreUnsafe(ref sum, (nuint)c);
        }
        if (overlaps)
        {
            last.StoreUnsafe(ref sum, (nuint)tail);
        }
    }

    /// <summary><paramref name="total"/> plus the vector of columns at <paramref name="row"/> in each of <paramref name="count"/> rows, in row order.</summary>
    private static Vector256<float> SumColumns(Vector256<float> total, ref float row, int width, int count)
    {
        for (int r = 0; r < count; r++, row = ref Unsafe.Add(ref row, width))
        {
            total += Vector256.LoadUnsafe(ref row);
        }
        return total;
    }

    /// <summary>
    /// Fewer columns than a Vector256 (a 6-channel convolution's bias): 4 to 7 are two Vector128
    /// that overlap (columns [0, 4) and [width - 4, width)), fewer than 4 are scalars. A scalar
    /// column's sum is one chain of dependent adds, row after row; a vector carries four chains
    /// in the time of one.
    /// </summary>
    private static void AddNarrowRows(ref float sum, ref float first, int width, int count)
    {
        if (width >= Vector128<float>.Count)
        {
            int tail = width - Vector128<float>.Count;
            var a = Vector128.LoadUnsafe(ref sum);
            var b = Vector128.LoadUnsafe(ref sum, (nuint)tail);
            ref float row = ref first;
            for (int r = 0; r < count; r++, row = ref Unsafe.Add(ref row, width))
            {
                a += Vector128.LoadUnsafe(ref row);
                b += Vector128.LoadUnsafe(ref row, (nuint)tail);
            }
            a.StoreUnsafe(ref sum);
            b.StoreUnsafe(ref sum, (nuint)tail);
            return;
        }
        for (int c = 0; c < width; c++)
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
