using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The input gradient's tiles for 16 vector registers (AVX2, and the scalar path): weight rows x
/// two samples, so six rows hold 12 accumulators, with the two samples' output gradient vectors
/// and one weight vector at a time 15 registers; the four-sample tile's 24 accumulators and six
/// weight vectors would not fit, and the JIT would spill some to the stack inside the loop over
/// units. Every element is the same lane-wise sum, reduced in the same tree, plus the same scalar
/// tail, as in the four-sample tiles: the bits do not depend on the tile.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>Samples per input-gradient tile (and per packed group): four where 24 accumulators and six weight vectors fit the registers (AVX-512), else two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SampleGroup<TV, TO>() where TV : struct where TO : struct, IVectorOps<TV> => TO.Registers >= 32 ? 4 : 2;

    /// <summary>
    /// Weight rows i..i+5 dotted with the output gradients of samples n, n+1: 12 dot products sharing
    /// their loads. Sample j's vector at column u is at <paramref name="g"/> + j x <paramref name="sampleStep"/>
    /// + u / lanes x <paramref name="vectorStep"/> (the rows in place, or a packed pair); the scalar tails read the rows in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile6x2<TV, TO, TS>(ref Gemm m, int n, int i, ref float g, nint sampleStep, nint vectorStep)
        where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
    {
        nint l = TO.Lanes, units = m.Units;
        ref float w0 = ref Unsafe.Add(ref m.W, i * units);
        ref float w1 = ref Unsafe.Add(ref w0, units);
        ref float w2 = ref Unsafe.Add(ref w1, units);
        ref float w3 = ref Unsafe.Add(ref w2, units);
        ref float w4 = ref Unsafe.Add(ref w3, units);
        ref float w5 = ref Unsafe.Add(ref w4, units);
        TV a00 = TO.Zero, a01 = TO.Zero, a10 = TO.Zero, a11 = TO.Zero, a20 = TO.Zero, a21 = TO.Zero;
        TV a30 = TO.Zero, a31 = TO.Zero, a40 = TO.Zero, a41 = TO.Zero, a50 = TO.Zero, a51 = TO.Zero;
        nint u = 0;
        ref float p = ref g;
        for (; u + l <= units; u += l, p = ref Unsafe.Add(ref p, vectorStep))
        {
            TV s0 = TO.Load(ref p, 0), s1 = TO.Load(ref p, sampleStep);
            TV r = TO.Load(ref w0, u);
            a00 = TO.MultiplyAdd(r, s0, a00); a01 = TO.MultiplyAdd(r, s1, a01);
            r = TO.Load(ref w1, u);
            a10 = TO.MultiplyAdd(r, s0, a10); a11 = TO.MultiplyAdd(r, s1, a11);
            r = TO.Load(ref w2, u);
            a20 = TO.MultiplyAdd(r, s0, a20); a21 = TO.MultiplyAdd(r, s1, a21);
            r = TO.Load(ref w3, u);
            a30 = TO.MultiplyAdd(r, s0, a30); a31 = TO.MultiplyAdd(r, s1, a31);
            r = TO.Load(ref w4, u);
            a40 = TO.MultiplyAdd(r, s0, a40); a41 = TO.MultiplyAdd(r, s1, a41);
            r = TO.Load(ref w5, u);
            a50 = TO.MultiplyAdd(r, s0, a50); a51 = TO.MultiplyAdd(r, s1, a51);
        }
        nint k = m.Inputs;
        nint at = n * k + i;
        ref float g0 = ref Unsafe.Add(ref m.Y, n * units);
        ref float g1 = ref Unsafe.Add(ref g0, units);
        // Two weight rows' sums per reduction: [row r x sample n, row r x n + 1, row r + 1 x n, row r + 1 x n + 1].
        StoreDotPairs<TS>(ref m, at, k, LaneSums(a00, a01, a10, a11), ref w0, ref w1, ref g0, ref g1, u, units);
        StoreDotPairs<TS>(ref m, at + 2, k, LaneSums(a20, a21, a30, a31), ref w2, ref w3, ref g0, ref g1, u, units);
        StoreDotPairs<TS>(ref m, at + 4, k, LaneSums(a40, a41, a50, a51), ref w4, ref w5, ref g0, ref g1, u, units);
    }

    /// <summary>Weight rows i..i+3 dotted with the output gradients of samples n, n+1 (in place): 8 dot products sharing their loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile4x2<TV, TO, TS>(ref Gemm m, int n, int i) where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
    {
        nint l = TO.Lanes, units = m.Units;
        ref float w0 = ref Unsafe.Add(ref m.W, i * units);
        ref float w1 = ref Unsafe.Add(ref w0, units);
        ref float w2 = ref Unsafe.Add(ref w1, units);
        ref float w3 = ref Unsafe.Add(ref w2, units);
        ref float g0 = ref Unsafe.Add(ref m.Y, n * units);
        ref float g1 = ref Unsafe.Add(ref g0, units);
        TV a00 = TO.Zero, a01 = TO.Zero, a10 = TO.Zero, a11 = TO.Zero;
        TV a20 = TO.Zero, a21 = TO.Zero, a30 = TO.Zero, a31 = TO.Zero;
        nint u = 0;
        for (; u + l <= units; u += l)
        {
            TV s0 = TO.Load(ref g0, u), s1 = TO.Load(ref g1, u);
            TV r = TO.Load(ref w0, u);
            a00 = TO.MultiplyAdd(r, s0, a00); a01 = TO.MultiplyAdd(r, s1, a01);
            r = TO.Load(ref w1, u);
            a10 = TO.MultiplyAdd(r, s0, a10); a11 = TO.MultiplyAdd(r, s1, a11);
            r = TO.Load(ref w2, u);
            a20 = TO.MultiplyAdd(r, s0, a20); a21 = TO.MultiplyAdd(r, s1, a21);
            r = TO.Load(ref w3, u);
            a30 = TO.MultiplyAdd(r, s0, a30); a31 = TO.MultiplyAdd(r, s1, a31);
        }
        nint k = m.Inputs;
        nint at = n * k + i;
        StoreDotPairs<TS>(ref m, at, k, LaneSums(a00, a01, a10, a11), ref w0, ref w1, ref g0, ref g1, u, units);
        StoreDotPairs<TS>(ref m, at + 2, k, LaneSums(a20, a21, a30, a31), ref w2, ref w3, ref g0, ref g1, u, units);
    }

    /// <summary>
    /// Two weight rows' dot products with two samples: the lane sums <paramref name="sums"/> (row
    /// <paramref name="wa"/> with samples 0, 1, then row <paramref name="wb"/>) plus each scalar tail,
    /// into elements <paramref name="at"/>, <paramref name="at"/> + 1 of the samples' rows <paramref name="k"/> floats apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDotPairs<TS>(ref Gemm m, nint at, nint k, Vector128<float> sums, ref float wa, ref float wb, ref float g0, ref float g1, nint from, nint to)
        where TS : struct, IGradientStore
    {
        TS.Store(ref m, at, sums.ToScalar() + Tail(ref wa, ref g0, from, to));
        TS.Store(ref m, at + k, sums.GetElement(1) + Tail(ref wa, ref g1, from, to));
        TS.Store(ref m, at + 1, sums.GetElement(2) + Tail(ref wb, ref g0, from, to));
        TS.Store(ref m, at + 1 + k, sums.GetElement(3) + Tail(ref wb, ref g1, from, to));
    }
}
