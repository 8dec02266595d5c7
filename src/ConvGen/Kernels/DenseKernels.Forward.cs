using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The forward GEMM <c>Y = X W + bias</c>: strips of units, a block of input rows at a time, six
/// samples per micro-tile, each weight vector loaded feeding six FMAs. A strip is as many vectors
/// as the accumulators fit the registers: four with 32 (24 accumulators), two with 16 (12), as
/// the AVX2 SGEMM kernels do, since a spilled accumulator costs a load and a store per FMA.
/// Every output element is the bias plus the products in input-row order, one multiply-add after
/// the other, whichever tile makes it: a sample's output does not depend on the batch around it.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>
    /// Input rows per block of four-vector strips: a packed Vector512 strip of 128 rows is 32 KB,
    /// which stays in the 48 KB L1 cache with the six input rows' 3 KB while every tile of the
    /// batch runs over it.
    /// </summary>
    private const int ForwardRowBlock = 128;

    /// <summary>
    /// Input rows per block of two-vector strips: a Vector256 strip of 256 rows is 16 KB, half a
    /// 32 KB L1, and half the blocks of 128 rows mean half the partial sums stored and loaded back
    /// (a 3136 x 1024 layer, batch 64: about 8% faster than 128 rows on a Zen 3, 512 no faster).
    /// </summary>
    private const int ForwardRowBlockTwoVectors = 256;

    /// <summary>A thread's panel, in floats: the larger of a four-vector Vector512 strip and a two-vector Vector256 strip of one row block.</summary>
    private const int PanelFloats = ForwardRowBlock * 4 * 16 > ForwardRowBlockTwoVectors * 2 * 8 ? ForwardRowBlock * 4 * 16 : ForwardRowBlockTwoVectors * 2 * 8;

    /// <summary>
    /// Vectors per strip: four where 32 registers hold six samples' 24 accumulators, the four
    /// weight vectors and the broadcast; two (12 + 2 + 1) where there are 16. A JIT-time constant
    /// for each ops struct, so each width compiles to its own tiles alone. The gradient GEMMs'
    /// strips are as wide, for the same reason.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int StripVectors<TV, TO>() where TV : struct where TO : struct, IVectorOps<TV> => TO.Registers >= 32 ? 4 : 2;

    /// <summary>
    /// Units from which a strip's weights are copied into a contiguous panel first. Rows this far
    /// apart (2 KB and more) map a strip onto a few L1 sets and, at 4 KB, a new page every row, so
    /// the tiles would re-read the strip from L2 with the prefetcher blind; narrower layers' rows
    /// are close enough to be used in place.
    /// </summary>
    internal const int PackFromUnits = 512;

    /// <summary>Samples from which packing pays: one tile alone would read the panel once either way.</summary>
    internal const int PackFromBatch = 12;

    /// <summary>A thread's panel: one strip of one row block, cache-line aligned (allocated once per thread).</summary>
    [ThreadStatic] private static float[]? s_panel;

    /// <summary>
    /// Columns <paramref name="firstUnit"/> to <paramref name="endUnit"/> (exclusive) of <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, Activation, float)"/>'s
    /// output alone, the others left as they are. With both ends multiples of 64 (or <paramref name="endUnit"/> the last unit) each column
    /// is the same tile kind, so the same bits, as in the whole call: the columns of one GEMM can be shared among threads.
    /// </summary>
    internal static void ForwardUnits(
        KernelPath path, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, Span<float> output, int batch, int inputs, int units, int firstUnit, int endUnit)
    {
        CheckLength(nameof(input), input.Length, batch * inputs);
        CheckLength(nameof(weights), weights.Length, inputs * units);
        CheckLength(nameof(output), output.Length, batch * units);
        if (firstUnit < 0 || firstUnit > endUnit || endUnit > units || firstUnit % 64 != 0 || (endUnit % 64 != 0 && endUnit != units))
        {
            throw new ArgumentOutOfRangeException(nameof(firstUnit), $"DenseKernels: units {firstUnit} to {endUnit} are not a range of the {units} units with ends at multiples of 64.");
        }
        var m = new Gemm(
            ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(weights), ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(output), batch, inputs, units, false, Activation.Linear, 0f);
        int u = firstUnit;
        if (path == KernelPath.Vector512) u = ForwardColumns<Vector512<float>, Vector512Ops>(ref m, u, endUnit);
        if (path >= KernelPath.Vector256) u = ForwardColumns<Vector256<float>, Vector256Ops>(ref m, u, endUnit);
        ForwardColumns<float, ScalarOps>(ref m, u, endUnit);
    }

    /// <summary>Columns from <paramref name="u"/> on, as far as whole vectors go; returns the first column left.</summary>
    private static int ForwardColumns<TV, TO>(ref Gemm m, int u) where TV : struct where TO : struct, IVectorOps<TV> =>
        ForwardColumns<TV, TO>(ref m, u, (int)m.Units);

    /// <summary>Columns <paramref name="u"/> to <paramref name="end"/>, as far as whole vectors go; returns the first column left.</summary>
    private static int ForwardColumns<TV, TO>(ref Gemm m, int u, int end) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int lanes = TO.Lanes, strip = StripVectors<TV, TO>() * lanes;
        int strips = (end - u) / strip;
        if (strips > 0)
        {
            bool pack = m.Units >= PackFromUnits && m.Batch >= PackFromBatch;
            ref float panel = ref pack ? ref Panel() : ref Unsafe.NullRef<float>();
            // Row blocks outermost: a block of full weight rows is one contiguous piece of memory,
            // read once, while the partial sums (through the output; a float stored and loaded back
            // is exact) and the block's input columns stay in the cache.
            int rowBlock = StripVectors<TV, TO>() == 4 ? ForwardRowBlock : ForwardRowBlockTwoVectors;
            for (nint k0 = 0; k0 < m.Inputs; k0 += rowBlock)
            {
                nint k1 = Math.Min(k0 + rowBlock, m.Inputs);
                for (int s = 0; s < strips; s++)
                {
                    int us = u + s * strip;
                    ref float w = ref Unsafe.Add(ref m.W, k0 * m.Units + us);
                    nint stride = m.Units;
                    if (pack)
                    {
                        // The next panel's rows: the next strip, or the first strip of the next block.
                        nint nextK = s + 1 < strips ? k0 : k1;
                        int nextU = s + 1 < strips ? us + strip : u;
                        nint nextRows = Math.Min(nextK + rowBlock, m.Inputs) - nextK;
                        ref float next = ref nextRows > 0 ? ref Unsafe.Add(ref m.W, nextK * m.Units + nextU) : ref m.W;
                        if (StripVectors<TV, TO>() == 4)
                        {
                            PackPanel<TV, TO>(ref w, m.Units, k1 - k0, ref panel, ref next, nextRows);
                        }
                        else
                        {
                            PackPanelTwoVectors<TV, TO>(ref w, m.Units, k1 - k0, ref panel, ref next, nextRows);
                        }
                        w = ref panel;
                        stride = strip;
                    }
                    if (StripVectors<TV, TO>() == 4)
                    {
                        ForwardStrip4<TV, TO>(ref m, ref w, stride, us, k0, k1);
                    }
                    else
                    {
                        ForwardStrip2<TV, TO>(ref m, ref w, stride, us, k0, k1);
                    }
                }
            }
            u += strips * strip;
        }
        for (; u + lanes <= end; u += lanes)
        {
            int n = 0;
            for (; n + 4 <= m.Batch; n += 4) ForwardTile4x1<TV, TO>(ref m, n, u);
            for (; n < m.Batch; n++) ForwardTile1x1<TV, TO>(ref m, n, u);
        }
        return u;
    }

    /// <summary>One four-vector strip of one row block, the whole batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardStrip4<TV, TO>(ref Gemm m, ref float w, nint stride, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int n = 0;
        for (; n + 6 <= m.Batch; n += 6) ForwardTile6x4<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
        // The rest in threes and twos (each at the full FMA rate), a single sample last.
        for (; n + 3 <= m.Batch && m.Batch - n != 4; n += 3) ForwardTile3x4<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
        for (; n + 2 <= m.Batch; n += 2) ForwardTile2x4<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
        for (; n < m.Batch; n++) ForwardTile1x4<TV, TO>(ref m, ref w, stride, n, u, k0, k1);
    }

    private static unsafe ref float Panel()
    {
        // 16 floats of slack to start on a 64-byte line; pinned, so the aligned start stays put.
        var panel = s_panel ??= GC.AllocateUninitializedArray<float>(PanelFloats + 16, pinned: true);
        ref float first = ref MemoryMarshal.GetArrayDataReference(panel);
        nint misaligned = (nint)((ulong)Unsafe.AsPointer(ref first) & 63) / sizeof(float);
        return ref Unsafe.Add(ref first, misaligned == 0 ? 0 : 16 - misaligned);
    }

    /// <summary>
    /// Rows x four vectors from <paramref name="w"/> (rows <paramref name="stride"/> floats apart)
    /// into a contiguous panel, asking for the next panel's rows on the way: a strip's rows are a
    /// page apart, which the hardware prefetchers do not follow, so without it every panel would
    /// wait for memory while the FMA units idle; this way its lines arrive while the tiles compute.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackPanel<TV, TO>(ref float w, nint stride, nint rows, ref float panel, ref float next, nint nextRows)
        where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        bool prefetch = Sse.IsSupported;
        for (nint r = 0; r < rows; r++, w = ref Unsafe.Add(ref w, stride), panel = ref Unsafe.Add(ref panel, 4 * l))
        {
            if (prefetch && r < nextRows)
            {
                ref float line = ref Unsafe.Add(ref next, r * stride);
                for (nint f = 0; f < 4 * l; f += 16) Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref line, f)));
            }
            TO.Store(TO.Load(ref w, 0), ref panel, 0);
            TO.Store(TO.Load(ref w, l), ref panel, l);
            TO.Store(TO.Load(ref w, 2 * l), ref panel, 2 * l);
            TO.Store(TO.Load(ref w, 3 * l), ref panel, 3 * l);
        }
    }

    /// <summary>
    /// Samples n..n+5 x units u..u+4L over input rows k0..k1, the rows' weights at <paramref name="w"/>
    /// <paramref name="stride"/> floats apart. The first block starts from the bias, later ones
    /// from the partial sums in the output; the last applies the activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile6x4<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        ref float y1 = ref Unsafe.Add(ref y0, units);
        ref float y2 = ref Unsafe.Add(ref y1, units);
        ref float y3 = ref Unsafe.Add(ref y2, units);
        ref float y4 = ref Unsafe.Add(ref y3, units);
        ref float y5 = ref Unsafe.Add(ref y4, units);
        TV a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33, a40, a41, a42, a43, a50, a51, a52, a53;
        if (k0 > 0)
        {
            a00 = TO.Load(ref y0, 0); a01 = TO.Load(ref y0, l); a02 = TO.Load(ref y0, 2 * l); a03 = TO.Load(ref y0, 3 * l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l); a12 = TO.Load(ref y1, 2 * l); a13 = TO.Load(ref y1, 3 * l);
            a20 = TO.Load(ref y2, 0); a21 = TO.Load(ref y2, l); a22 = TO.Load(ref y2, 2 * l); a23 = TO.Load(ref y2, 3 * l);
            a30 = TO.Load(ref y3, 0); a31 = TO.Load(ref y3, l); a32 = TO.Load(ref y3, 2 * l); a33 = TO.Load(ref y3, 3 * l);
            a40 = TO.Load(ref y4, 0); a41 = TO.Load(ref y4, l); a42 = TO.Load(ref y4, 2 * l); a43 = TO.Load(ref y4, 3 * l);
            a50 = TO.Load(ref y5, 0); a51 = TO.Load(ref y5, l); a52 = TO.Load(ref y5, 2 * l); a53 = TO.Load(ref y5, 3 * l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out TV b0, out TV b1, out TV b2, out TV b3);
            a00 = b0; a01 = b1; a02 = b2; a03 = b3;
            a10 = b0; a11 = b1; a12 = b2; a13 = b3;
            a20 = b0; a21 = b1; a22 = b2; a23 = b3;
            a30 = b0; a31 = b1; a32 = b2; a33 = b3;
            a40 = b0; a41 = b1; a42 = b2; a43 = b3;
            a50 = b0; a51 = b1; a52 = b2; a53 = b3;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        ref float x3 = ref Unsafe.Add(ref x2, k);
        ref float x4 = ref Unsafe.Add(ref x3, k);
        ref float x5 = ref Unsafe.Add(ref x4, k);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV w0 = TO.Load(ref w, 0), w1 = TO.Load(ref w, l), w2 = TO.Load(ref w, 2 * l), w3 = TO.Load(ref w, 3 * l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01); a02 = TO.MultiplyAdd(s, w2, a02); a03 = TO.MultiplyAdd(s, w3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11); a12 = TO.MultiplyAdd(s, w2, a12); a13 = TO.MultiplyAdd(s, w3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x2, i));
            a20 = TO.MultiplyAdd(s, w0, a20); a21 = TO.MultiplyAdd(s, w1, a21); a22 = TO.MultiplyAdd(s, w2, a22); a23 = TO.MultiplyAdd(s, w3, a23);
            s = TO.Broadcast(Unsafe.Add(ref x3, i));
            a30 = TO.MultiplyAdd(s, w0, a30); a31 = TO.MultiplyAdd(s, w1, a31); a32 = TO.MultiplyAdd(s, w2, a32); a33 = TO.MultiplyAdd(s, w3, a33);
            s = TO.Broadcast(Unsafe.Add(ref x4, i));
            a40 = TO.MultiplyAdd(s, w0, a40); a41 = TO.MultiplyAdd(s, w1, a41); a42 = TO.MultiplyAdd(s, w2, a42); a43 = TO.MultiplyAdd(s, w3, a43);
            s = TO.Broadcast(Unsafe.Add(ref x5, i));
            a50 = TO.MultiplyAdd(s, w0, a50); a51 = TO.MultiplyAdd(s, w1, a51); a52 = TO.MultiplyAdd(s, w2, a52); a53 = TO.MultiplyAdd(s, w3, a53);
        }
        bool last = k1 == k;
        FinishRow<TV, TO>(ref m, ref y0, last, a00, a01, a02, a03);
        FinishRow<TV, TO>(ref m, ref y1, last, a10, a11, a12, a13);
        FinishRow<TV, TO>(ref m, ref y2, last, a20, a21, a22, a23);
        FinishRow<TV, TO>(ref m, ref y3, last, a30, a31, a32, a33);
        FinishRow<TV, TO>(ref m, ref y4, last, a40, a41, a42, a43);
        FinishRow<TV, TO>(ref m, ref y5, last, a50, a51, a52, a53);
    }

    /// <summary>Samples n..n+2 x units u..u+4L: the batch's remainder after the six-sample tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile3x4<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        ref float y1 = ref Unsafe.Add(ref y0, units);
        ref float y2 = ref Unsafe.Add(ref y1, units);
        TV a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23;
        if (k0 > 0)
        {
            a00 = TO.Load(ref y0, 0); a01 = TO.Load(ref y0, l); a02 = TO.Load(ref y0, 2 * l); a03 = TO.Load(ref y0, 3 * l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l); a12 = TO.Load(ref y1, 2 * l); a13 = TO.Load(ref y1, 3 * l);
            a20 = TO.Load(ref y2, 0); a21 = TO.Load(ref y2, l); a22 = TO.Load(ref y2, 2 * l); a23 = TO.Load(ref y2, 3 * l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out TV b0, out TV b1, out TV b2, out TV b3);
            a00 = b0; a01 = b1; a02 = b2; a03 = b3;
            a10 = b0; a11 = b1; a12 = b2; a13 = b3;
            a20 = b0; a21 = b1; a22 = b2; a23 = b3;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV w0 = TO.Load(ref w, 0), w1 = TO.Load(ref w, l), w2 = TO.Load(ref w, 2 * l), w3 = TO.Load(ref w, 3 * l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01); a02 = TO.MultiplyAdd(s, w2, a02); a03 = TO.MultiplyAdd(s, w3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11); a12 = TO.MultiplyAdd(s, w2, a12); a13 = TO.MultiplyAdd(s, w3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x2, i));
            a20 = TO.MultiplyAdd(s, w0, a20); a21 = TO.MultiplyAdd(s, w1, a21); a22 = TO.MultiplyAdd(s, w2, a22); a23 = TO.MultiplyAdd(s, w3, a23);
        }
        bool last = k1 == k;
        FinishRow<TV, TO>(ref m, ref y0, last, a00, a01, a02, a03);
        FinishRow<TV, TO>(ref m, ref y1, last, a10, a11, a12, a13);
        FinishRow<TV, TO>(ref m, ref y2, last, a20, a21, a22, a23);
    }

    /// <summary>Samples n..n+1 x units u..u+4L: eight chains, enough to hide the FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile2x4<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        ref float y1 = ref Unsafe.Add(ref y0, units);
        TV a00, a01, a02, a03, a10, a11, a12, a13;
        if (k0 > 0)
        {
            a00 = TO.Load(ref y0, 0); a01 = TO.Load(ref y0, l); a02 = TO.Load(ref y0, 2 * l); a03 = TO.Load(ref y0, 3 * l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l); a12 = TO.Load(ref y1, 2 * l); a13 = TO.Load(ref y1, 3 * l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out TV b0, out TV b1, out TV b2, out TV b3);
            a00 = b0; a01 = b1; a02 = b2; a03 = b3;
            a10 = b0; a11 = b1; a12 = b2; a13 = b3;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV w0 = TO.Load(ref w, 0), w1 = TO.Load(ref w, l), w2 = TO.Load(ref w, 2 * l), w3 = TO.Load(ref w, 3 * l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01); a02 = TO.MultiplyAdd(s, w2, a02); a03 = TO.MultiplyAdd(s, w3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11); a12 = TO.MultiplyAdd(s, w2, a12); a13 = TO.MultiplyAdd(s, w3, a13);
        }
        bool last = k1 == k;
        FinishRow<TV, TO>(ref m, ref y0, last, a00, a01, a02, a03);
        FinishRow<TV, TO>(ref m, ref y1, last, a10, a11, a12, a13);
    }

    /// <summary>One sample x units u..u+4L: four independent chains, in the same order as the larger tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile1x4<TV, TO>(ref Gemm m, ref float w, nint stride, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        ref float y = ref Unsafe.Add(ref m.Y, n * m.Units + u);
        TV a0, a1, a2, a3;
        if (k0 > 0)
        {
            a0 = TO.Load(ref y, 0); a1 = TO.Load(ref y, l); a2 = TO.Load(ref y, 2 * l); a3 = TO.Load(ref y, 3 * l);
        }
        else
        {
            StartFromBias<TV, TO>(ref m, u, out a0, out a1, out a2, out a3);
        }
        ref float x = ref Unsafe.Add(ref m.X, n * m.Inputs);
        for (nint i = k0; i < k1; i++, w = ref Unsafe.Add(ref w, stride))
        {
            TV s = TO.Broadcast(Unsafe.Add(ref x, i));
            a0 = TO.MultiplyAdd(s, TO.Load(ref w, 0), a0); a1 = TO.MultiplyAdd(s, TO.Load(ref w, l), a1);
            a2 = TO.MultiplyAdd(s, TO.Load(ref w, 2 * l), a2); a3 = TO.MultiplyAdd(s, TO.Load(ref w, 3 * l), a3);
        }
        FinishRow<TV, TO>(ref m, ref y, k1 == m.Inputs, a0, a1, a2, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StartFromBias<TV, TO>(ref Gemm m, int u, out TV b0, out TV b1, out TV b2, out TV b3) where TV : struct where TO : struct, IVectorOps<TV>
    {
        if (m.HasBias)
        {
            nint l = TO.Lanes;
            ref float b = ref Unsafe.Add(ref m.Bias, u);
            b0 = TO.Load(ref b, 0); b1 = TO.Load(ref b, l); b2 = TO.Load(ref b, 2 * l); b3 = TO.Load(ref b, 3 * l);
        }
        else
        {
            b0 = TO.Zero; b1 = TO.Zero; b2 = TO.Zero; b3 = TO.Zero;
        }
    }

    /// <summary>Stores a tile row: the partial sums as they are, or after the last block, activated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow<TV, TO>(ref Gemm m, ref float y, bool last, TV v0, TV v1, TV v2, TV v3) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        if (last)
        {
            v0 = Activate<TV, TO>(ref m, v0); v1 = Activate<TV, TO>(ref m, v1);
            v2 = Activate<TV, TO>(ref m, v2); v3 = Activate<TV, TO>(ref m, v3);
        }
        TO.Store(v0, ref y, 0);
        TO.Store(v1, ref y, l);
        TO.Store(v2, ref y, 2 * l);
        TO.Store(v3, ref y, 3 * l);
    }

    /// <summary>
    /// Samples n..n+3 x one vector of units over all input rows: the columns after the strips,
    /// four chains (one a sample) so the loop is not bound by the FMA latency, each in input-row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile4x1<TV, TO>(ref Gemm m, int n, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint k = m.Inputs, units = m.Units;
        TV a0 = m.HasBias ? TO.Load(ref m.Bias, u) : TO.Zero;
        TV a1 = a0, a2 = a0, a3 = a0;
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        ref float x3 = ref Unsafe.Add(ref x2, k);
        ref float wr = ref Unsafe.Add(ref m.W, u);
        for (nint i = 0; i < k; i++, wr = ref Unsafe.Add(ref wr, units))
        {
            TV w = TO.Load(ref wr, 0);
            a0 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x0, i)), w, a0);
            a1 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x1, i)), w, a1);
            a2 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x2, i)), w, a2);
            a3 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x3, i)), w, a3);
        }
        ref float y0 = ref Unsafe.Add(ref m.Y, n * units + u);
        TO.Store(Activate<TV, TO>(ref m, a0), ref y0, 0);
        TO.Store(Activate<TV, TO>(ref m, a1), ref y0, units);
        TO.Store(Activate<TV, TO>(ref m, a2), ref y0, 2 * units);
        TO.Store(Activate<TV, TO>(ref m, a3), ref y0, 3 * units);
    }

    /// <summary>One sample x one vector of units over all input rows: the last samples of the columns after the strips.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile1x1<TV, TO>(ref Gemm m, int n, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint k = m.Inputs, units = m.Units;
        TV a = m.HasBias ? TO.Load(ref m.Bias, u) : TO.Zero;
        ref float x = ref Unsafe.Add(ref m.X, n * k);
        ref float wr = ref Unsafe.Add(ref m.W, u);
        for (nint i = 0; i < k; i++, wr = ref Unsafe.Add(ref wr, units))
        {
            a = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x, i)), TO.Load(ref wr, 0), a);
        }
        TO.Store(Activate<TV, TO>(ref m, a), ref Unsafe.Add(ref m.Y, n * units + u), 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Activate<TV, TO>(ref Gemm m, TV value) where TV : struct where TO : struct, IVectorOps<TV> => m.Fused switch
    {
        Activation.Relu => TO.Relu(value),
        Activation.LeakyRelu => TO.LeakyRelu(value, m.Alpha),
        Activation.Relu6 => TO.Clamp(value, 0f, 6f),
        Activation.HardSigmoid => HardSigmoid<TV, TO>(value),
        Activation.HardSwish => TO.Multiply(value, HardSigmoid<TV, TO>(value)),
        _ => value,
    };

    /// <summary><c>relu6(x + 3) / 6</c>, the same operations in the same order as the generated convolution epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV HardSigmoid<TV, TO>(TV value) where TV : struct where TO : struct, IVectorOps<TV> =>
        TO.Multiply(TO.Clamp(TO.Add(value, TO.Broadcast(3f)), 0f, 6f), TO.Broadcast(1f / 6f));
}
