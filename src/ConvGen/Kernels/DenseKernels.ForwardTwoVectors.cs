using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The forward GEMM's tiles for strips of two vectors, the widths with 16 vector registers
/// (AVX2, and scalars): six samples make 12 accumulators, which with the two weight vectors and
/// the broadcast fit the registers, so the input-row loop keeps every accumulator in a register.
/// The same order as the four-vector tiles: each element the bias, then one multiply-add per input row.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>One two-vector strip of one row block, the whole batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardStrip2<TV, TO>(ref Gemm m, ref float w, nint stride, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int n = 0;
        for (; n + 6 <= m.Batch; n += 6) ForwardTile6x2<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
        // The rest in threes and twos (six and four chains hide the FMA latency), a single sample last.
        for (; n + 3 <= m.Batch && m.Batch - n != 4; n += 3) ForwardTile3x2<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
        for (; n + 2 <= m.Batch; n += 2) ForwardTile2x2<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
        for (; n < m.Batch; n++) ForwardTile1x2<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
    }

    /// <summary>
    /// Samples n..n+5 x units u..u+2L over input rows k0..k1, the rows' weights at <paramref name="w"/>
    /// <paramref name="stride"/> floats apart. The first block starts from the bias, later ones
    /// from the partial sums in the output; the last applies the activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile6x2<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        ref float y1 = ref Unsafe.Add(ref y0, units);
        ref float y2 = ref Unsafe.Add(ref y1, units);
        ref float y3 = ref Unsafe.Add(ref y2, units);
        ref float y4 = ref Unsafe.Add(ref y3, units);
        ref float y5 = ref Unsafe.Add(ref y4, units);
        TV a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51;
        if (k0 > 0)
        {
            a00 = TO.Load(ref y0, 0); a01 = TO.Load(ref y0, l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l);
            a20 = TO.Load(ref y2, 0); a21 = TO.Load(ref y2, l);
            a30 = TO.Load(ref y3, 0); a31 = TO.Load(ref y3, l);
            a40 = TO.Load(ref y4, 0); a41 = TO.Load(ref y4, l);
            a50 = TO.Load(ref y5, 0); a51 = TO.Load(ref y5, l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out TV b0, out TV b1);
            a00 = b0; a01 = b1; a10 = b0; a11 = b1; a20 = b0; a21 = b1;
            a30 = b0; a31 = b1; a40 = b0; a41 = b1; a50 = b0; a51 = b1;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        ref float x3 = ref Unsafe.Add(ref x2, k);
        ref float x4 = ref Unsafe.Add(ref x3, k);
        ref float x5 = ref Unsafe.Add(ref x4, k);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV w0 = TO.Load(ref w, 0), w1 = TO.Load(ref w, l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11);
            s = TO.Broadcast(Unsafe.Add(ref x2, i));
            a20 = TO.MultiplyAdd(s, w0, a20); a21 = TO.MultiplyAdd(s, w1, a21);
            s = TO.Broadcast(Unsafe.Add(ref x3, i));
            a30 = TO.MultiplyAdd(s, w0, a30); a31 = TO.MultiplyAdd(s, w1, a31);
            s = TO.Broadcast(Unsafe.Add(ref x4, i));
            a40 = TO.MultiplyAdd(s, w0, a40); a41 = TO.MultiplyAdd(s, w1, a41);
            s = TO.Broadcast(Unsafe.Add(ref x5, i));
            a50 = TO.MultiplyAdd(s, w0, a50); a51 = TO.MultiplyAdd(s, w1, a51);
        }
        bool last = k1 == k;
        FinishRow<TV, TO>(ref m, ref y0, last, a00, a01);
        FinishRow<TV, TO>(ref m, ref y1, last, a10, a11);
        FinishRow<TV, TO>(ref m, ref y2, last, a20, a21);
        FinishRow<TV, TO>(ref m, ref y3, last, a30, a31);
        FinishRow<TV, TO>(ref m, ref y4, last, a40, a41);
        FinishRow<TV, TO>(ref m, ref y5, last, a50, a51);
    }

    /// <summary>Samples n..n+2 x units u..u+2L: the batch's remainder after the six-sample tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile3x2<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        ref float y1 = ref Unsafe.Add(ref y0, units);
        ref float y2 = ref Unsafe.Add(ref y1, units);
        TV a00, a01, a10, a11, a20, a21;
        if (k0 > 0)
        {
            a00 = TO.Load(ref y0, 0); a01 = TO.Load(ref y0, l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l);
            a20 = TO.Load(ref y2, 0); a21 = TO.Load(ref y2, l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out TV b0, out TV b1);
            a00 = b0; a01 = b1; a10 = b0; a11 = b1; a20 = b0; a21 = b1;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV w0 = TO.Load(ref w, 0), w1 = TO.Load(ref w, l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11);
            s = TO.Broadcast(Unsafe.Add(ref x2, i));
            a20 = TO.MultiplyAdd(s, w0, a20); a21 = TO.MultiplyAdd(s, w1, a21);
        }
        bool last = k1 == k;
        FinishRow<TV, TO>(ref m, ref y0, last, a00, a01);
        FinishRow<TV, TO>(ref m, ref y1, last, a10, a11);
        FinishRow<TV, TO>(ref m, ref y2, last, a20, a21);
    }

    /// <summary>Samples n..n+1 x units u..u+2L.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile2x2<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        ref float y1 = ref Unsafe.Add(ref y0, units);
        TV a00, a01, a10, a11;
        if (k0 > 0)
        {
            a00 = TO.Load(ref y0, 0); a01 = TO.Load(ref y0, l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out TV b0, out TV b1);
            a00 = b0; a01 = b1; a10 = b0; a11 = b1;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV w0 = TO.Load(ref w, 0), w1 = TO.Load(ref w, l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11);
        }
        bool last = k1 == k;
        FinishRow<TV, TO>(ref m, ref y0, last, a00, a01);
        FinishRow<TV, TO>(ref m, ref y1, last, a10, a11);
    }

    /// <summary>One sample x units u..u+2L: two chains, in the same order as the larger tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile1x2<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        ref float y = ref Unsafe.Add(ref m.Y, n * m.Units + u);
        TV a0, a1;
        if (k0 > 0)
        {
            a0 = TO.Load(ref y, 0); a1 = TO.Load(ref y, l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out a0, out a1);
        }
        ref float x = ref Unsafe.Add(ref m.X, n * m.Inputs);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV s = TO.Broadcast(Unsafe.Add(ref x, i));
            a0 = TO.MultiplyAdd(s, TO.Load(ref w, 0), a0); a1 = TO.MultiplyAdd(s, TO.Load(ref w, l), a1);
        }
        FinishRow<TV, TO>(ref m, ref y, k1 == m.Inputs, a0, a1);
    }

    /// <summary>Rows x two vectors into a contiguous panel, prefetching the next panel's rows as <see cref="PackPanel{TV, TO}"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackPanelTwoVectors<TV, TO>(ref float w, nint stride, nint rows, ref float panel, ref float next, nint nextRows)
        where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        bool prefetch = Sse.IsSupported;
        for (nint r = 0; r < rows; r++, w = ref Unsafe.Add(ref w, stride), panel = ref Unsafe.Add(ref panel, 2 * l))
        {
            if (prefetch && r < nextRows)
            {
                ref float line = ref Unsafe.Add(ref next, r * stride);
                for (nint f = 0; f < 2 * l; f += 16) Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref line, f)));
            }
            TO.Store(TO.Load(ref w, 0), ref panel, 0);
            TO.Store(TO.Load(ref w, l), ref panel, l);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StartFromBias<TV, TO>(ref Gemm m, int u, out TV b0, out TV b1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        if (m.HasBias)
        {
            ref float b = ref Unsafe.Add(ref m.Bias, u);
            b0 = TO.Load(ref b, 0); b1 = TO.Load(ref b, TO.Lanes);
        }
        else
        {
            b0 = TO.Zero; b1 = TO.Zero;
        }
    }

    /// <summary>Stores a two-vector tile row: the partial sums as they are, or after the last block, activated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow<TV, TO>(ref Gemm m, ref float y, bool last, TV v0, TV v1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        if (last)
        {
            v0 = Activate<TV, TO>(ref m, v0); v1 = Activate<TV, TO>(ref m, v1);
        }
        TO.Store(v0, ref y, 0);
        TO.Store(v1, ref y, TO.Lanes);
    }
}
