using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// The inner step of the generated register tiles: one input value broadcast to every lane,
/// multiplied into an accumulator. Written once here so that each of the hundreds of such lines
/// in a generated kernel reads <c>a3_0 = Tile.MultiplyAdd(ref x, at + 51, g0, a3_0)</c>; the JIT
/// inlines it to the same broadcast load and FMA as the expression written out. The offset is a
/// native integer: the tiles' input channel loops count in <c>nint</c>, so that a load's address
/// needs no sign extension of the counter (an <c>int</c> offset converts to it).
/// </summary>
public static class Tile
{
    /// <summary><c>accumulator + broadcast(source[offset]) * vector</c>, for a tile's narrow tail of 4 channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(ref float source, nint offset, Vector128<float> vector, Vector128<float> accumulator) =>
        Vector128.MultiplyAddEstimate(Vector128.Create(Unsafe.Add(ref source, offset)), vector, accumulator);

    /// <summary><c>accumulator + broadcast(source[offset]) * vector</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(ref float source, nint offset, Vector256<float> vector, Vector256<float> accumulator) =>
        Vector256.MultiplyAddEstimate(Vector256.Create(Unsafe.Add(ref source, offset)), vector, accumulator);

    /// <summary><c>accumulator + broadcast(source[offset]) * vector</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(ref float source, nint offset, Vector512<float> vector, Vector512<float> accumulator) =>
        Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref source, offset)), vector, accumulator);

    /// <summary>
    /// Asks for the cache line that holds <paramref name="at"/> to be brought into L2 (and the levels
    /// above it) without waiting for it: the picture plan's tiles fetch the next weight slice this way
    /// while they compute on the current one. A prefetch never faults, so <paramref name="at"/> may lie
    /// past the end of its buffer; if the GC moves the buffer meanwhile, only a line is fetched in vain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref float at)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch1(Unsafe.AsPointer(ref at));
        }
    }

    /// <summary>
    /// Stores a tile of 16 output pixels x 8 filters held filter by filter (<paramref name="f0"/> is
    /// filter 0's 16 pixels) to 128 floats of NHWC at <paramref name="target"/>: pixel j's 8 filters
    /// at <c>target[j * 8]</c>. The transpose is three rounds of interleaving halves (filter k with
    /// filter k + 4, 24 two-source permutes) and eight full-vector stores, where going through a
    /// stack buffer would take a scalar load and store per value: for a first layer of 3 channels
    /// and 3x3 taps that is more memory operations than multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreTransposed(ref float target, Vector512<float> f0, Vector512<float> f1, Vector512<float> f2, Vector512<float> f3,
        Vector512<float> f4, Vector512<float> f5, Vector512<float> f6, Vector512<float> f7)
    {
        if (!Avx512F.IsSupported)
        {
            StoreTransposedScalar(ref target, f0, f1, f2, f3, f4, f5, f6, f7);
            return;
        }
        // Round r pairs vector k with vector k + 4 and writes their interleaved halves to 2k and 2k + 1;
        // after three rounds vector m holds pixels 2m and 2m + 1, filters 0 to 7 each.
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        for (int round = 0; round < 3; round++)
        {
            var b0 = Avx512F.PermuteVar16x32x2(f0, low, f4);
            var b1 = Avx512F.PermuteVar16x32x2(f0, high, f4);
            var b2 = Avx512F.PermuteVar16x32x2(f1, low, f5);
            var b3 = Avx512F.PermuteVar16x32x2(f1, high, f5);
            var b4 = Avx512F.PermuteVar16x32x2(f2, low, f6);
            var b5 = Avx512F.PermuteVar16x32x2(f2, high, f6);
            var b6 = Avx512F.PermuteVar16x32x2(f3, low, f7);
            var b7 = Avx512F.PermuteVar16x32x2(f3, high, f7);
            (f0, f1, f2, f3, f4, f5, f6, f7) = (b0, b1, b2, b3, b4, b5, b6, b7);
        }
        f0.StoreUnsafe(ref target);
        f1.StoreUnsafe(ref target, 16);
        f2.StoreUnsafe(ref target, 32);
        f3.StoreUnsafe(ref target, 48);
        f4.StoreUnsafe(ref target, 64);
        f5.StoreUnsafe(ref target, 80);
        f6.StoreUnsafe(ref target, 96);
        f7.StoreUnsafe(ref target, 112);
    }

    /// <summary><see cref="StoreTransposed"/> lane by lane, for a CPU with 512-bit vectors but no AVX-512 permutes.</summary>
    private static void StoreTransposedScalar(ref float target, Vector512<float> f0, Vector512<float> f1, Vector512<float> f2, Vector512<float> f3,
        Vector512<float> f4, Vector512<float> f5, Vector512<float> f6, Vector512<float> f7)
    {
        for (int j = 0; j < 16; j++)
        {
            ref float pixel = ref Unsafe.Add(ref target, j * 8);
            pixel = f0[j];
            Unsafe.Add(ref pixel, 1) = f1[j];
            Unsafe.Add(ref pixel, 2) = f2[j];
            Unsafe.Add(ref pixel, 3) = f3[j];
            Unsafe.Add(ref pixel, 4) = f4[j];
            Unsafe.Add(ref pixel, 5) = f5[j];
            Unsafe.Add(ref pixel, 6) = f6[j];
            Unsafe.Add(ref pixel, 7) = f7[j];
        }
    }
}
