using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The weight gradient <c>dW += X^T dY</c>: weight rows in sixes, and for each six every strip of
/// four vectors of units (two with 16 registers: DenseKernels.WeightGradientNarrowTiles.cs). The
/// gradient rows are walked along, six sequential streams the prefetcher follows, while the six
/// input columns of the batch stay in the L1 cache. Every element is its
/// previous value plus the products in sample order, one FMA after the other, whichever tile makes it.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>Columns from <paramref name="u"/> on, as far as whole vectors go; returns the first column left.</summary>
    private static int WeightGradientColumns<TV, TO>(ref Gemm m, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int lanes = TO.Lanes, vectors = StripVectors<TV, TO>(), strip = vectors * lanes;
        int strips = (int)(m.Units - u) / strip;
        if (strips > 0)
        {
            // A wide layer's output gradient strip by strip into one contiguous buffer: its rows are
            // a page apart, so a strip of 32-64 samples would map onto a few L1 sets and come from
            // L2 for every tile; packed, each strip is one run the tiles of all row groups read in order.
            nint packedFloats = (nint)m.Batch * strips * strip;
            bool pack = m.Units >= PackFromUnits && m.Inputs >= PackGradientFromRows && packedFloats <= MaxPackedGradient;
            ref float packed = ref pack ? ref GradientPanel((int)packedFloats) : ref Unsafe.NullRef<float>();
            if (pack)
            {
                for (int s = 0; s < strips; s++)
                {
                    PackStrip<TV, TO>(ref Unsafe.Add(ref m.Y, u + s * strip), m.Units, m.Batch, ref Unsafe.Add(ref packed, s * m.Batch * strip));
                }
            }
            nint gStride = pack ? strip : m.Units;
            int i = 0;
            for (; i + 6 <= m.Inputs; i += 6)
            {
                for (int s = 0; s < strips; s++)
                {
                    ref float g = ref Strip(ref m, ref packed, pack, u, s, strip);
                    if (vectors == 4) WeightGradientTile6x4<TV, TO>(ref m, ref g, gStride, i, u + s * strip);
                    else WeightGradientTile6x2<TV, TO>(ref m, ref g, gStride, i, u + s * strip);
                }
            }
            for (; i + 4 <= m.Inputs; i += 4)
            {
                for (int s = 0; s < strips; s++)
                {
                    ref float g = ref Strip(ref m, ref packed, pack, u, s, strip);
                    if (vectors == 4) WeightGradientTile4x4<TV, TO>(ref m, ref g, gStride, i, u + s * strip);
                    else WeightGradientTile4x2<TV, TO>(ref m, ref g, gStride, i, u + s * strip);
                }
            }
            for (; i < m.Inputs; i++)
            {
                for (int s = 0; s < strips; s++)
                {
                    ref float g = ref Strip(ref m, ref packed, pack, u, s, strip);
                    if (vectors == 4) WeightGradientTile1x4<TV, TO>(ref m, ref g, gStride, i, u + s * strip);
                    else WeightGradientTile1x2<TV, TO>(ref m, ref g, gStride, i, u + s * strip);
                }
            }
            u += strips * strip;
        }
        for (; u + lanes <= m.Units; u += lanes)
        {
            for (int i = 0; i < m.Inputs; i++)
            {
                WeightGradientTile1x1<TV, TO>(ref m, i, u);
            }
        }
        return u;
    }

    /// <summary>
    /// An accumulator's start: the element's previous value (<c>dW +=</c>), or zero when the call
    /// overwrites the block - the same bits as adding to a cleared buffer (the first product lands
    /// on +0 either way), without the clearing pass over a block the tiles write whole anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<TV, TO>(ref Gemm m, ref float d, nint offset) where TV : struct where TO : struct, IVectorOps<TV> =>
        m.Overwrite ? TO.Zero : TO.Load(ref d, offset);

    /// <summary>Rows of weights from which packing the output gradient pays: the copy is one pass over it, the tiles read it once per six rows.</summary>
    internal const int PackGradientFromRows = 48;

    /// <summary>Floats of the largest packed output gradient (1 MB): a larger batch reads it in place.</summary>
    private const int MaxPackedGradient = 1 << 18;

    /// <summary>A thread's packed output gradient, grown to the largest batch x units seen (cache-line aligned).</summary>
    [ThreadStatic] private static float[]? s_gradientPanel;

    /// <summary>
    /// The thread's panel, at least <paramref name="floats"/> long. Grown, it keeps what it held: a
    /// tree call packs each vector width's strips after the wider ones', and the thread's later calls
    /// on the same chunks read them all again.
    /// </summary>
    private static ref float GradientPanel(int floats)
    {
        var panel = s_gradientPanel;
        if (panel is null || panel.Length < floats + 16)
        {
            var grown = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
            if (panel is not null)
            {
                MemoryMarshal.CreateReadOnlySpan(ref AlignedStart(panel), panel.Length - 16).CopyTo(MemoryMarshal.CreateSpan(ref AlignedStart(grown), floats));
            }
            panel = s_gradientPanel = grown;
        }
        return ref AlignedStart(panel);
    }

    /// <summary>The first float of a pinned panel on a 64-byte line (a panel has 16 floats of slack for it).</summary>
    private static unsafe ref float AlignedStart(float[] panel)
    {
        ref float first = ref MemoryMarshal.GetArrayDataReference(panel);
        nint misaligned = (nint)((ulong)Unsafe.AsPointer(ref first) & 63) / sizeof(float);
        return ref Unsafe.Add(ref first, misaligned == 0 ? 0 : 16 - misaligned);
    }

    /// <summary>Strip <paramref name="s"/>'s output gradient: in the packed buffer, or in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Strip(ref Gemm m, ref float packed, bool pack, int u, int s, int strip) =>
        ref pack ? ref Unsafe.Add(ref packed, s * m.Batch * strip) : ref Unsafe.Add(ref m.Y, u + s * strip);

    /// <summary>Weight rows i..i+5 x units u..u+4L, summed over the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile6x4<TV, TO>(ref Gemm m, ref float g, nint gStride, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        ref float d4 = ref Unsafe.Add(ref d3, units);
        ref float d5 = ref Unsafe.Add(ref d4, units);
        TV a00 = Start<TV, TO>(ref m, ref d0, 0), a01 = Start<TV, TO>(ref m, ref d0, l), a02 = Start<TV, TO>(ref m, ref d0, 2 * l), a03 = Start<TV, TO>(ref m, ref d0, 3 * l);
        TV a10 = Start<TV, TO>(ref m, ref d1, 0), a11 = Start<TV, TO>(ref m, ref d1, l), a12 = Start<TV, TO>(ref m, ref d1, 2 * l), a13 = Start<TV, TO>(ref m, ref d1, 3 * l);
        TV a20 = Start<TV, TO>(ref m, ref d2, 0), a21 = Start<TV, TO>(ref m, ref d2, l), a22 = Start<TV, TO>(ref m, ref d2, 2 * l), a23 = Start<TV, TO>(ref m, ref d2, 3 * l);
        TV a30 = Start<TV, TO>(ref m, ref d3, 0), a31 = Start<TV, TO>(ref m, ref d3, l), a32 = Start<TV, TO>(ref m, ref d3, 2 * l), a33 = Start<TV, TO>(ref m, ref d3, 3 * l);
        TV a40 = Start<TV, TO>(ref m, ref d4, 0), a41 = Start<TV, TO>(ref m, ref d4, l), a42 = Start<TV, TO>(ref m, ref d4, 2 * l), a43 = Start<TV, TO>(ref m, ref d4, 3 * l);
        TV a50 = Start<TV, TO>(ref m, ref d5, 0), a51 = Start<TV, TO>(ref m, ref d5, l), a52 = Start<TV, TO>(ref m, ref d5, 2 * l), a53 = Start<TV, TO>(ref m, ref d5, 3 * l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l), g2 = TO.Load(ref g, 2 * l), g3 = TO.Load(ref g, 3 * l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01); a02 = TO.MultiplyAdd(s, g2, a02); a03 = TO.MultiplyAdd(s, g3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11); a12 = TO.MultiplyAdd(s, g2, a12); a13 = TO.MultiplyAdd(s, g3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21); a22 = TO.MultiplyAdd(s, g2, a22); a23 = TO.MultiplyAdd(s, g3, a23);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31); a32 = TO.MultiplyAdd(s, g2, a32); a33 = TO.MultiplyAdd(s, g3, a33);
            s = TO.Broadcast(Unsafe.Add(ref x, 4));
            a40 = TO.MultiplyAdd(s, g0, a40); a41 = TO.MultiplyAdd(s, g1, a41); a42 = TO.MultiplyAdd(s, g2, a42); a43 = TO.MultiplyAdd(s, g3, a43);
            s = TO.Broadcast(Unsafe.Add(ref x, 5));
            a50 = TO.MultiplyAdd(s, g0, a50); a51 = TO.MultiplyAdd(s, g1, a51); a52 = TO.MultiplyAdd(s, g2, a52); a53 = TO.MultiplyAdd(s, g3, a53);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l); TO.Store(a02, ref d0, 2 * l); TO.Store(a03, ref d0, 3 * l);
        TO.Store(a10, ref d1, 0); TO.Store(a11, ref d1, l); TO.Store(a12, ref d1, 2 * l); TO.Store(a13, ref d1, 3 * l);
        TO.Store(a20, ref d2, 0); TO.Store(a21, ref d2, l); TO.Store(a22, ref d2, 2 * l); TO.Store(a23, ref d2, 3 * l);
        TO.Store(a30, ref d3, 0); TO.Store(a31, ref d3, l); TO.Store(a32, ref d3, 2 * l); TO.Store(a33, ref d3, 3 * l);
        TO.Store(a40, ref d4, 0); TO.Store(a41, ref d4, l); TO.Store(a42, ref d4, 2 * l); TO.Store(a43, ref d4, 3 * l);
        TO.Store(a50, ref d5, 0); TO.Store(a51, ref d5, l); TO.Store(a52, ref d5, 2 * l); TO.Store(a53, ref d5, 3 * l);
    }

    /// <summary>Weight rows i..i+3 x units u..u+4L, summed over the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile4x4<TV, TO>(ref Gemm m, ref float g, nint gStride, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        TV a00 = Start<TV, TO>(ref m, ref d0, 0), a01 = Start<TV, TO>(ref m, ref d0, l), a02 = Start<TV, TO>(ref m, ref d0, 2 * l), a03 = Start<TV, TO>(ref m, ref d0, 3 * l);
        TV a10 = Start<TV, TO>(ref m, ref d1, 0), a11 = Start<TV, TO>(ref m, ref d1, l), a12 = Start<TV, TO>(ref m, ref d1, 2 * l), a13 = Start<TV, TO>(ref m, ref d1, 3 * l);
        TV a20 = Start<TV, TO>(ref m, ref d2, 0), a21 = Start<TV, TO>(ref m, ref d2, l), a22 = Start<TV, TO>(ref m, ref d2, 2 * l), a23 = Start<TV, TO>(ref m, ref d2, 3 * l);
        TV a30 = Start<TV, TO>(ref m, ref d3, 0), a31 = Start<TV, TO>(ref m, ref d3, l), a32 = Start<TV, TO>(ref m, ref d3, 2 * l), a33 = Start<TV, TO>(ref m, ref d3, 3 * l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l), g2 = TO.Load(ref g, 2 * l), g3 = TO.Load(ref g, 3 * l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01); a02 = TO.MultiplyAdd(s, g2, a02); a03 = TO.MultiplyAdd(s, g3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11); a12 = TO.MultiplyAdd(s, g2, a12); a13 = TO.MultiplyAdd(s, g3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21); a22 = TO.MultiplyAdd(s, g2, a22); a23 = TO.MultiplyAdd(s, g3, a23);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31); a32 = TO.MultiplyAdd(s, g2, a32); a33 = TO.MultiplyAdd(s, g3, a33);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l); TO.Store(a02, ref d0, 2 * l); TO.Store(a03, ref d0, 3 * l);
        TO.Store(a10, ref d1, 0); TO.Store(a11, ref d1, l); TO.Store(a12, ref d1, 2 * l); TO.Store(a13, ref d1, 3 * l);
        TO.Store(a20, ref d2, 0); TO.Store(a21, ref d2, l); TO.Store(a22, ref d2, 2 * l); TO.Store(a23, ref d2, 3 * l);
        TO.Store(a30, ref d3, 0); TO.Store(a31, ref d3, l); TO.Store(a32, ref d3, 2 * l); TO.Store(a33, ref d3, 3 * l);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile1x1<TV, TO>(ref Gemm m, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint k = m.InputStride, units = m.Units;
        ref float d = ref Unsafe.Add(ref m.W, i * units + u);
        TV a = Start<TV, TO>(ref m, ref d, 0);
        ref float x = ref Unsafe.Add(ref m.X, i);
        ref float g = ref Unsafe.Add(ref m.Y, u);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, units))
        {
            a = TO.MultiplyAdd(TO.Broadcast(x), TO.Load(ref g, 0), a);
        }
        TO.Store(a, ref d, 0);
    }

    /// <summary>Weight row i x units u..u+4L, four independent chains: the rows after the larger tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile1x4<TV, TO>(ref Gemm m, ref float g, nint gStride, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        TV a00 = Start<TV, TO>(ref m, ref d0, 0), a01 = Start<TV, TO>(ref m, ref d0, l), a02 = Start<TV, TO>(ref m, ref d0, 2 * l), a03 = Start<TV, TO>(ref m, ref d0, 3 * l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l), g2 = TO.Load(ref g, 2 * l), g3 = TO.Load(ref g, 3 * l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01); a02 = TO.MultiplyAdd(s, g2, a02); a03 = TO.MultiplyAdd(s, g3, a03);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l); TO.Store(a02, ref d0, 2 * l); TO.Store(a03, ref d0, 3 * l);
    }
}
