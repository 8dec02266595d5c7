using System.Runtime.CompilerServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The weight gradient's tiles for 16 vector registers (AVX2, and the scalar path): strips of two
/// vectors of units, so six weight rows hold 12 accumulators, with the two output gradient vectors
/// and the broadcast 15 registers; the four-vector tiles' 24 accumulators would not fit, and the JIT
/// would spill some to the stack inside the loop over samples. Each element is the same sum, in the
/// same order, as in the four-vector tiles (its start, then the products in sample order; a
/// chunk's sum from zero, then the subtrees it completes), so the bits do not depend on the strip.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>
    /// <paramref name="rows"/> rows of one strip of the output gradient (<paramref name="stride"/>
    /// floats apart) into one contiguous run: the forward's four-vector panels, or two vectors a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackStrip<TV, TO>(ref float g, nint stride, nint rows, ref float panel) where TV : struct where TO : struct, IVectorOps<TV>
    {
        if (StripVectors<TV, TO>() == 4) PackPanel<TV, TO>(ref g, stride, rows, ref panel, ref g, 0);
        else PackPanelTwoVectors<TV, TO>(ref g, stride, rows, ref panel, ref g, 0);
    }

    /// <summary>Weight rows i..i+5 x units u..u+2L, summed over the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile6x2<TV, TO>(ref Gemm m, ref float g, nint gStride, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        ref float d4 = ref Unsafe.Add(ref d3, units);
        ref float d5 = ref Unsafe.Add(ref d4, units);
        TV a00 = Start<TV, TO>(ref m, ref d0, 0), a01 = Start<TV, TO>(ref m, ref d0, l);
        TV a10 = Start<TV, TO>(ref m, ref d1, 0), a11 = Start<TV, TO>(ref m, ref d1, l);
        TV a20 = Start<TV, TO>(ref m, ref d2, 0), a21 = Start<TV, TO>(ref m, ref d2, l);
        TV a30 = Start<TV, TO>(ref m, ref d3, 0), a31 = Start<TV, TO>(ref m, ref d3, l);
        TV a40 = Start<TV, TO>(ref m, ref d4, 0), a41 = Start<TV, TO>(ref m, ref d4, l);
        TV a50 = Start<TV, TO>(ref m, ref d5, 0), a51 = Start<TV, TO>(ref m, ref d5, l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31);
            s = TO.Broadcast(Unsafe.Add(ref x, 4));
            a40 = TO.MultiplyAdd(s, g0, a40); a41 = TO.MultiplyAdd(s, g1, a41);
            s = TO.Broadcast(Unsafe.Add(ref x, 5));
            a50 = TO.MultiplyAdd(s, g0, a50); a51 = TO.MultiplyAdd(s, g1, a51);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l);
        TO.Store(a10, ref d1, 0); TO.Store(a11, ref d1, l);
        TO.Store(a20, ref d2, 0); TO.Store(a21, ref d2, l);
        TO.Store(a30, ref d3, 0); TO.Store(a31, ref d3, l);
        TO.Store(a40, ref d4, 0); TO.Store(a41, ref d4, l);
        TO.Store(a50, ref d5, 0); TO.Store(a51, ref d5, l);
    }

    /// <summary>Weight rows i..i+3 x units u..u+2L, summed over the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile4x2<TV, TO>(ref Gemm m, ref float g, nint gStride, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        TV a00 = Start<TV, TO>(ref m, ref d0, 0), a01 = Start<TV, TO>(ref m, ref d0, l);
        TV a10 = Start<TV, TO>(ref m, ref d1, 0), a11 = Start<TV, TO>(ref m, ref d1, l);
        TV a20 = Start<TV, TO>(ref m, ref d2, 0), a21 = Start<TV, TO>(ref m, ref d2, l);
        TV a30 = Start<TV, TO>(ref m, ref d3, 0), a31 = Start<TV, TO>(ref m, ref d3, l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l);
        TO.Store(a10, ref d1, 0); TO.Store(a11, ref d1, l);
        TO.Store(a20, ref d2, 0); TO.Store(a21, ref d2, l);
        TO.Store(a30, ref d3, 0); TO.Store(a31, ref d3, l);
    }

    /// <summary>Weight row i x units u..u+2L, two independent chains: the rows after the larger tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile1x2<TV, TO>(ref Gemm m, ref float g, nint gStride, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        TV a00 = Start<TV, TO>(ref m, ref d0, 0), a01 = Start<TV, TO>(ref m, ref d0, l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, gStride))
        {
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, TO.Load(ref g, 0), a00); a01 = TO.MultiplyAdd(s, TO.Load(ref g, l), a01);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l);
    }

    /// <summary>One chunk's part of a six-row tree tile two vectors wide: its sums, the subtrees it completes, the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ChunkTile6x2<TV, TO>(ref float x, nint xStride, ref float g, nint gStride, int samples,
        ref float stack, nint slot, int depth, int merges, ref float target, nint targetStride) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        TV a00 = TO.Zero, a01 = TO.Zero;
        TV a10 = TO.Zero, a11 = TO.Zero;
        TV a20 = TO.Zero, a21 = TO.Zero;
        TV a30 = TO.Zero, a31 = TO.Zero;
        TV a40 = TO.Zero, a41 = TO.Zero;
        TV a50 = TO.Zero, a51 = TO.Zero;
        for (int n = 0; n < samples; n++, x = ref Unsafe.Add(ref x, xStride), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31);
            s = TO.Broadcast(Unsafe.Add(ref x, 4));
            a40 = TO.MultiplyAdd(s, g0, a40); a41 = TO.MultiplyAdd(s, g1, a41);
            s = TO.Broadcast(Unsafe.Add(ref x, 5));
            a50 = TO.MultiplyAdd(s, g0, a50); a51 = TO.MultiplyAdd(s, g1, a51);
        }
        for (int m = 0; m < merges; m++)
        {
            // The left sibling (earlier chunks) first, as the chunk tree adds left + right.
            ref float left = ref Unsafe.Add(ref stack, (depth - 1 - m) * slot);
            nint r = 2 * l;
            a00 = TO.Add(TO.Load(ref left, 0), a00); a01 = TO.Add(TO.Load(ref left, l), a01);
            left = ref Unsafe.Add(ref left, r);
            a10 = TO.Add(TO.Load(ref left, 0), a10); a11 = TO.Add(TO.Load(ref left, l), a11);
            left = ref Unsafe.Add(ref left, r);
            a20 = TO.Add(TO.Load(ref left, 0), a20); a21 = TO.Add(TO.Load(ref left, l), a21);
            left = ref Unsafe.Add(ref left, r);
            a30 = TO.Add(TO.Load(ref left, 0), a30); a31 = TO.Add(TO.Load(ref left, l), a31);
            left = ref Unsafe.Add(ref left, r);
            a40 = TO.Add(TO.Load(ref left, 0), a40); a41 = TO.Add(TO.Load(ref left, l), a41);
            left = ref Unsafe.Add(ref left, r);
            a50 = TO.Add(TO.Load(ref left, 0), a50); a51 = TO.Add(TO.Load(ref left, l), a51);
        }
        ref float d = ref target;
        TO.Store(a00, ref d, 0); TO.Store(a01, ref d, l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a10, ref d, 0); TO.Store(a11, ref d, l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a20, ref d, 0); TO.Store(a21, ref d, l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a30, ref d, 0); TO.Store(a31, ref d, l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a40, ref d, 0); TO.Store(a41, ref d, l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a50, ref d, 0); TO.Store(a51, ref d, l);
    }

    /// <summary>One weight row x two vectors of units: the tree's rows after the six-row tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TreeTile1x2<TV, TO>(ref float x, nint xStride, ref float g, nint gStride, int samples,
        ref float stack, nint slot, int depth, int merges, ref float target) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        TV a0 = TO.Zero, a1 = TO.Zero;
        for (int n = 0; n < samples; n++, x = ref Unsafe.Add(ref x, xStride), g = ref Unsafe.Add(ref g, gStride))
        {
            TV s = TO.Broadcast(x);
            a0 = TO.MultiplyAdd(s, TO.Load(ref g, 0), a0); a1 = TO.MultiplyAdd(s, TO.Load(ref g, l), a1);
        }
        for (int m = 0; m < merges; m++)
        {
            ref float left = ref Unsafe.Add(ref stack, (depth - 1 - m) * slot);
            a0 = TO.Add(TO.Load(ref left, 0), a0); a1 = TO.Add(TO.Load(ref left, l), a1);
        }
        TO.Store(a0, ref target, 0); TO.Store(a1, ref target, l);
    }
}
