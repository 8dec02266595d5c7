using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels.Simd;

/// <summary>
/// The per-row loops of BatchNorm's backward pass, eight channels at a time. The sums stay in
/// double as in the scalar loops, and every lane adds its channel's rows in the same order with
/// the same operations (a float product widened to double is exact, no fused multiply-add), so
/// the results are bit for bit those of the scalar loops, only without a bounds check and a
/// conversion per value.
/// </summary>
internal static class BatchNormRows
{
    /// <summary><c>sumDy[c] += Σ dy</c>, <c>sumDyXHat[c] += Σ dy·x̂</c> over <paramref name="rows"/> rows of <paramref name="channels"/>.</summary>
    public static void Sums(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> normalized, int rows, int channels, Span<double> sumDy, Span<double> sumDyXHat)
    {
        ref float dy = ref MemoryMarshal.GetReference(outputGradient.Slice(0, rows * channels));
        ref float xHat = ref MemoryMarshal.GetReference(normalized.Slice(0, rows * channels));
        ref double s1 = ref MemoryMarshal.GetReference(sumDy.Slice(0, channels));
        ref double s2 = ref MemoryMarshal.GetReference(sumDyXHat.Slice(0, channels));
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels / 8 * 8 : 0;
        for (int r = 0; r < rows; r++)
        {
            int row = r * channels;
            for (int c = 0; c < vectorChannels; c += 8)
            {
                var g = Vector256.LoadUnsafe(ref dy, (nuint)(row + c));
                var x = Vector256.LoadUnsafe(ref xHat, (nuint)(row + c));
                var gLow = Vector256.WidenLower(g);
                var gHigh = Vector256.WidenUpper(g);
                (Vector256.LoadUnsafe(ref s1, (nuint)c) + gLow).StoreUnsafe(ref s1, (nuint)c);
                (Vector256.LoadUnsafe(ref s1, (nuint)(c + 4)) + gHigh).StoreUnsafe(ref s1, (nuint)(c + 4));
                (Vector256.LoadUnsafe(ref s2, (nuint)c) + gLow * Vector256.WidenLower(x)).StoreUnsafe(ref s2, (nuint)c);
                (Vector256.LoadUnsafe(ref s2, (nuint)(c + 4)) + gHigh * Vector256.WidenUpper(x)).StoreUnsafe(ref s2, (nuint)(c + 4));
            }
            for (int c = vectorChannels; c < channels; c++)
            {
                float g = Unsafe.Add(ref dy, row + c);
                Unsafe.Add(ref s1, c) += g;
                Unsafe.Add(ref s2, c) += g * (double)Unsafe.Add(ref xHat, row + c);
            }
        }
    }

    /// <summary><c>sums[c] += Σ x</c> over <paramref name="rows"/> rows of <paramref name="channels"/>, in double, row by row.</summary>
    public static void ColumnSums(ReadOnlySpan<float> input, int rows, int channels, Span<double> sums)
    {
        ref float x = ref MemoryMarshal.GetReference(input.Slice(0, rows * channels));
        ref double s = ref MemoryMarshal.GetReference(sums.Slice(0, channels));
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels / 8 * 8 : 0;
        for (int r = 0; r < rows; r++)
        {
            int row = r * channels;
            for (int c = 0; c < vectorChannels; c += 8)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)(row + c));
                (Vector256.LoadUnsafe(ref s, (nuint)c) + Vector256.WidenLower(v)).StoreUnsafe(ref s, (nuint)c);
                (Vector256.LoadUnsafe(ref s, (nuint)(c + 4)) + Vector256.WidenUpper(v)).StoreUnsafe(ref s, (nuint)(c + 4));
            }
            for (int c = vectorChannels; c < channels; c++)
            {
                Unsafe.Add(ref s, c) += Unsafe.Add(ref x, row + c);
            }
        }
    }

    /// <summary><c>m2[c] += Σ (x − mean[c])²</c> in double (difference, then square, then add: no fused multiply-add), row by row.</summary>
    public static void SquaredDeviations(ReadOnlySpan<float> input, int rows, int channels, ReadOnlySpan<double> mean, Span<double> m2)
    {
        ref float x = ref MemoryMarshal.GetReference(input.Slice(0, rows * channels));
        ref double mu = ref MemoryMarshal.GetReference(mean.Slice(0, channels));
        ref double s = ref MemoryMarshal.GetReference(m2.Slice(0, channels));
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels / 8 * 8 : 0;
        for (int r = 0; r < rows; r++)
        {
            int row = r * channels;
            for (int c = 0; c < vectorChannels; c += 8)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)(row + c));
                var low = Vector256.WidenLower(v) - Vector256.LoadUnsafe(ref mu, (nuint)c);
                var high = Vector256.WidenUpper(v) - Vector256.LoadUnsafe(ref mu, (nuint)(c + 4));
                (Vector256.LoadUnsafe(ref s, (nuint)c) + low * low).StoreUnsafe(ref s, (nuint)c);
                (Vector256.LoadUnsafe(ref s, (nuint)(c + 4)) + high * high).StoreUnsafe(ref s, (nuint)(c + 4));
            }
            for (int c = vectorChannels; c < channels; c++)
            {
                double d = Unsafe.Add(ref x, row + c) - Unsafe.Add(ref mu, c);
                Unsafe.Add(ref s, c) += d * d;
            }
        }
    }

    /// <summary>
    /// <c>x̂ = (x − mean)·σ⁻¹</c> and <c>y = x̂·γ + β</c> per row in one pass (separate multiply and
    /// add, as the TensorPrimitives calls it replaces).
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> input, Span<float> output, Span<float> normalized, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, int rows, int channels)
    {
        ref float x = ref MemoryMarshal.GetReference(input.Slice(0, rows * channels));
        ref float y = ref MemoryMarshal.GetReference(output.Slice(0, rows * channels));
        ref float xHat = ref MemoryMarshal.GetReference(normalized.Slice(0, rows * channels));
        ref float g = ref MemoryMarshal.GetReference(gamma.Slice(0, channels));
        ref float b = ref MemoryMarshal.GetReference(beta.Slice(0, channels));
        ref float mu = ref MemoryMarshal.GetReference(mean.Slice(0, channels));
        ref float k = ref MemoryMarshal.GetReference(inverseStd.Slice(0, channels));
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels / 8 * 8 : 0;
        for (int r = 0; r < rows; r++)
        {
            nuint row = (nuint)(r * channels);
            for (int c = 0; c < vectorChannels; c += 8)
            {
                nuint at = row + (nuint)c;
                var h = (Vector256.LoadUnsafe(ref x, at) - Vector256.LoadUnsafe(ref mu, (nuint)c)) * Vector256.LoadUnsafe(ref k, (nuint)c);
                h.StoreUnsafe(ref xHat, at);
                (h * Vector256.LoadUnsafe(ref g, (nuint)c) + Vector256.LoadUnsafe(ref b, (nuint)c)).StoreUnsafe(ref y, at);
            }
            for (int c = vectorChannels; c < channels; c++)
            {
                nuint at = row + (nuint)c;
                float h = (Unsafe.Add(ref x, at) - Unsafe.Add(ref mu, c)) * Unsafe.Add(ref k, c);
                Unsafe.Add(ref xHat, at) = h;
                Unsafe.Add(ref y, at) = h * Unsafe.Add(ref g, c) + Unsafe.Add(ref b, c);
            }
        }
    }

    /// <summary>
    /// <c>dx = (float)(scale[c] * (batchRows·dy − sumDy[c] − x̂·sumDyXHat[c]))</c> through the batch
    /// statistics (<paramref name="scale"/> = γ·invStd / batchRows), or <c>(float)(scale[c] * dy)</c>
    /// without (<paramref name="scale"/> = γ·invStd), per row.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> normalized, Span<float> inputGradient, int rows, int channels,
        ReadOnlySpan<double> scale, ReadOnlySpan<double> sumDy, ReadOnlySpan<double> sumDyXHat, double batchRows, bool throughBatchStatistics)
    {
        ref float dy = ref MemoryMarshal.GetReference(outputGradient.Slice(0, rows * channels));
        ref float xHat = ref MemoryMarshal.GetReference(throughBatchStatistics ? normalized.Slice(0, rows * channels) : normalized);
        ref float dx = ref MemoryMarshal.GetReference(inputGradient.Slice(0, rows * channels));
        ref double k = ref MemoryMarshal.GetReference(scale.Slice(0, channels));
        ref double s1 = ref MemoryMarshal.GetReference(sumDy.Slice(0, channels));
        ref double s2 = ref MemoryMarshal.GetReference(sumDyXHat.Slice(0, channels));
        int vectorChannels = Vector256.IsHardwareAccelerated ? channels / 8 * 8 : 0;
        var n = Vector256.Create(batchRows);
        for (int r = 0; r < rows; r++)
        {
            int row = r * channels;
            for (int c = 0; c < vectorChannels; c += 8)
            {
                var g = Vector256.LoadUnsafe(ref dy, (nuint)(row + c));
                Vector256<double> low, high;
                if (throughBatchStatistics)
                {
                    var x = Vector256.LoadUnsafe(ref xHat, (nuint)(row + c));
                    low = Vector256.LoadUnsafe(ref k, (nuint)c)
                        * (n * Vector256.WidenLower(g) - Vector256.LoadUnsafe(ref s1, (nuint)c) - Vector256.WidenLower(x) * Vector256.LoadUnsafe(ref s2, (nuint)c));
                    high = Vector256.LoadUnsafe(ref k, (nuint)(c + 4))
                        * (n * Vector256.WidenUpper(g) - Vector256.LoadUnsafe(ref s1, (nuint)(c + 4)) - Vector256.WidenUpper(x) * Vector256.LoadUnsafe(ref s2, (nuint)(c + 4)));
                }
                else
                {
                    low = Vector256.LoadUnsafe(ref k, (nuint)c) * Vector256.WidenLower(g);
                    high = Vector256.LoadUnsafe(ref k, (nuint)(c + 4)) * Vector256.WidenUpper(g);
                }
                Vector256.Narrow(low, high).StoreUnsafe(ref dx, (nuint)(row + c));
            }
            for (int c = vectorChannels; c < channels; c++)
            {
                double g = Unsafe.Add(ref dy, row + c);
                Unsafe.Add(ref dx, row + c) = throughBatchStatistics
                    ? (float)(Unsafe.Add(ref k, c) * (batchRows * g - Unsafe.Add(ref s1, c) - Unsafe.Add(ref xHat, row + c) * Unsafe.Add(ref s2, c)))
                    : (float)(Unsafe.Add(ref k, c) * g);
            }
        }
    }
}
