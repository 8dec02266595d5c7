using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The pipeline every Winograd kernel runs (<see cref="WinogradKernels"/>, <see cref="Winograd5x5Kernels"/>), over a
/// tile shape <c>S</c> (<see cref="IWinogradShape"/>) that brings only the transforms: the filters transformed into
/// <c>U[position][C][F]</c> (per call, or beforehand by <see cref="TransformFilters{S}"/>); then, a block of tiles at
/// a time, the input tiles into <c>V[position][tile][C]</c>, one GEMM per transform position (<c>M = V U</c>, the
/// register-tiled <see cref="DenseKernels"/> forward, 6 tiles x 4 vectors of filters) and the output transform with
/// the bias and a fused activation into the output map. A block's V and M are sized to stay in L2, unless the
/// filters outgrow L2: then the blocks are as few as 4 MB of V and M allow, so that the filters are streamed from L3
/// as few times as possible. Each output is computed from its own tile the same way whichever block or thread
/// computes it (each GEMM row is the same sum in the same order whatever the rows around it, each column too
/// whatever 64-column range it is made in), so a picture split over threads (<see cref="Rows"/>) gives the same
/// bits as one thread: over row shares, or, when a part has less than a picture, over blocks of 64 filters.
/// Scratch is one array per thread (<see cref="WinogradKernels.Scratch"/>), kept between calls.
/// </summary>
internal static class WinogradDriver
{
    /// <summary>Bytes of a block's transformed inputs and GEMM outputs (V and M) when the transformed filters U fit L2 (<see cref="CachedFilters"/>): V and M stay in L2 next to one position's U.</summary>
    private const long BlockBudget = 512 * 1024;

    /// <summary>
    /// Bytes of V and M when U outgrows L2 (conv128's F(4x4) 2.4 MB, conv256's F(2x2) 4 MB): every block
    /// then streams all of U from L3, so the blocks are as few as this allows (whole pictures at ResNet-18's
    /// sizes). At batch 1, one thread, 512 KB blocks ran conv128 about 8% and conv256 about 5% slower;
    /// conv64 (U 0.6 MB) ran about 5% slower with whole-picture blocks, so it keeps the small ones.
    /// </summary>
    private const long StreamedFiltersBlockBudget = 4 << 20;

    /// <summary>Bytes of transformed filters up to which they are taken to stay in a core's L2 (1 MB on current x64 cores) between blocks.</summary>
    private const long CachedFilters = 1 << 20;

    /// <summary>Floats of <see cref="Plan.Stride"/> past a position's matrix: one cache line.</summary>
    private const int Skew = 16;

    /// <summary>Filters per block of a split by filters: a whole number of the GEMM's four-vector strips on every path, so each filter is the same sum as on one thread.</summary>
    private const int FilterBlock = 64;

    /// <summary>The geometry of one call.</summary>
    internal readonly struct Plan
    {
        public readonly int M, Alpha, Positions, Height, Width, C, F, Pad, OutHeight, OutWidth, TilesX, TilesY, Block;

        /// <summary>A <paramref name="height"/> x <paramref name="width"/> x <paramref name="c"/> input, <paramref name="f"/> filters of side <paramref name="r"/>, <paramref name="m"/> x <paramref name="m"/> outputs per tile, <paramref name="pad"/> on every side.</summary>
        public Plan(int m, int r, int height, int width, int c, int f, int pad)
        {
            M = m;
            Alpha = m + r - 1;
            Positions = Alpha * Alpha;
            Height = height;
            Width = width;
            C = c;
            F = f;
            Pad = pad;
            OutHeight = height + 2 * pad - (r - 1);
            OutWidth = width + 2 * pad - (r - 1);
            TilesX = (OutWidth + m - 1) / m;
            TilesY = (OutHeight + m - 1) / m;
            // As few blocks as the budget allows, of even sizes in whole six-tile register tiles (at
            // least one), at most the picture.
            long tiles = Math.Max((long)TilesX * TilesY, 1);
            long budget = (long)Positions * c * f * sizeof(float) <= CachedFilters ? BlockBudget : StreamedFiltersBlockBudget;
            long fit = Math.Max(budget / ((long)Positions * (c + f) * sizeof(float)) / 6 * 6, 6);
            long blocks = (tiles + fit - 1) / fit;
            Block = (int)Math.Min(((tiles + blocks - 1) / blocks + 5) / 6 * 6, tiles);
        }

        /// <summary>Floats from one position's filters (or tiles) to the next: the matrix and a cache line more, so that the
        /// positions' rows, written side by side by a transform, do not all fall into the same L1 set (4 KB apart).</summary>
        public static long Stride(long matrix) => matrix + Skew;

        /// <summary>Floats of the transformed filters.</summary>
        public long FilterLength => Positions * Stride((long)C * F);

        /// <summary>Floats of one block's V and M.</summary>
        public long BlockLength => Positions * (Stride((long)Block * C) + Stride((long)Block * F));

        /// <summary>Floats of per-thread scratch a call that transforms its filters needs (filters, and one block's V and M).</summary>
        public long ScratchLength => FilterLength + BlockLength;
    }

    /// <summary>Floats of a layer's transformed filters: each position's matrix followed by one cache line.</summary>
    public static long TransformedLength<S>(int inputChannels, int outputChannels) where S : struct, IWinogradShape =>
        (long)(S.M + S.R - 1) * (S.M + S.R - 1) * Plan.Stride((long)inputChannels * outputChannels);

    /// <summary>
    /// Filter transforms the calling thread has made inside a convolution call (<see cref="Convolve{S}"/>), for tests that
    /// check that a frozen or prepared network's layers make none; per thread, so that parallel tests do not mix their counts.
    /// </summary>
    internal static long PerCallFilterTransforms => s_perCallFilterTransforms;

    [ThreadStatic] private static long s_perCallFilterTransforms;

    /// <summary>The convolution with the filters transformed in the calling thread's scratch on this call.</summary>
    public static void Convolve<S>(
        KernelPath path, in Plan p, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha, ReadOnlySpan<float> skip = default) where S : struct, IWinogradShape
    {
        s_perCallFilterTransforms++;
        var scratch = WinogradKernels.Scratch(p.ScratchLength);
        var u = scratch.Slice(0, (int)p.FilterLength);
        var rest = scratch.Slice((int)p.FilterLength);
        if (path == KernelPath.Vector512)
        {
            FilterRange<S, Vector512<float>, Vector512Ops>(p, weights, scale, u, 0, p.F);
            Tiles<S, Vector512<float>, Vector512Ops>(path, p, u, rest, bias, input, output, rows, fused, alpha, skip);
        }
        else if (path == KernelPath.Vector256)
        {
            FilterRange<S, Vector256<float>, Vector256Ops>(p, weights, scale, u, 0, p.F);
            Tiles<S, Vector256<float>, Vector256Ops>(path, p, u, rest, bias, input, output, rows, fused, alpha, skip);
        }
        else
        {
            FilterRange<S, float, ScalarOps>(p, weights, scale, u, 0, p.F);
            Tiles<S, float, ScalarOps>(path, p, u, rest, bias, input, output, rows, fused, alpha, skip);
        }
    }

    /// <summary>The convolution with filters transformed beforehand (<see cref="TransformFilters{S}"/>, the scale included).</summary>
    public static void ConvolveTransformed<S>(
        KernelPath path, in Plan p, ReadOnlySpan<float> u, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha, ReadOnlySpan<float> skip = default) where S : struct, IWinogradShape
    {
        // Only the blocks' V and M in the scratch: the filters are the caller's.
        var rest = WinogradKernels.Scratch(p.BlockLength);
        if (path == KernelPath.Vector512)
        {
            Tiles<S, Vector512<float>, Vector512Ops>(path, p, u, rest, bias, input, output, rows, fused, alpha, skip);
        }
        else if (path == KernelPath.Vector256)
        {
            Tiles<S, Vector256<float>, Vector256Ops>(path, p, u, rest, bias, input, output, rows, fused, alpha, skip);
        }
        else
        {
            Tiles<S, float, ScalarOps>(path, p, u, rest, bias, input, output, rows, fused, alpha, skip);
        }
    }

    /// <summary>
    /// Filters <paramref name="f0"/> to <paramref name="f1"/> (exclusive, <paramref name="f0"/> a multiple of 16) of HWIO
    /// <paramref name="weights"/>, each scaled by <paramref name="scale"/> (may be empty), into <paramref name="u"/>:
    /// each filter is computed the same way whatever the range it is in, so ranges split over threads give the bits of one call.
    /// </summary>
    public static void TransformFilters<S>(KernelPath path, in Plan p, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> u, int f0, int f1)
        where S : struct, IWinogradShape
    {
        if (path == KernelPath.Vector512)
        {
            FilterRange<S, Vector512<float>, Vector512Ops>(p, weights, scale, u, f0, f1);
        }
        else if (path == KernelPath.Vector256)
        {
            FilterRange<S, Vector256<float>, Vector256Ops>(p, weights, scale, u, f0, f1);
        }
        else
        {
            FilterRange<S, float, ScalarOps>(p, weights, scale, u, f0, f1);
        }
    }

    /// <summary>Floats a filter transform's vectors take on the stack: the filter, its columns transformed, the whole transform (5x5 into 6x6: 25 + 30 + 36).</summary>
    private const int FilterScratch = 96;

    /// <summary>Filters f0..f1: whole vectors of filters below the last whole vector of the layer, the ones after it one at a time (as a whole-layer transform does).</summary>
    private static void FilterRange<S, TV, TO>(in Plan p, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> u, int f0, int f1)
        where S : struct, IWinogradShape where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[FilterScratch];
        Span<float> d1 = stackalloc float[FilterScratch];
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float uRef = ref MemoryMarshal.GetReference(u);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        Filters<S, TV, TO>(p, ref w, ref s, !scale.IsEmpty, ref uRef, uStride, f0, Math.Min(f1, vectorF), d);
        Filters<S, float, ScalarOps>(p, ref w, ref s, !scale.IsEmpty, ref uRef, uStride, Math.Max(f0, vectorF), f1, d1);
    }

    /// <summary>
    /// Whether the parts divide the filters rather than the rows: when each part has less than a picture
    /// (a picture split over threads) and every part gets whole filter blocks. Each part then streams only
    /// its share of the transformed filters, and no tile row cut by a share's edge is computed twice. The
    /// input tiles are transformed once, shared (<see cref="SharedTiles{S, TV, TO}"/>), when the workspace
    /// holds a picture's; else each part transforms them all itself.
    /// </summary>
    internal static bool SplitsFilters(in Plan p, Rows rows) =>
        rows.Parts > 1 && rows.Batch < rows.Parts && p.F % FilterBlock == 0 && p.F / FilterBlock >= rows.Parts;

    private static void Tiles<S, TV, TO>(
        KernelPath path, in Plan p, ReadOnlySpan<float> u, Span<float> rest, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha, ReadOnlySpan<float> skip)
        where S : struct, IWinogradShape where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        // Whole vectors of channels on the vector path, the channels after them one at a time.
        int vectorC = p.C / TO.Lanes * TO.Lanes, vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[36];
        Span<float> d1 = stackalloc float[36];
        ref float b = ref MemoryMarshal.GetReference(bias);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        nint inputLength = (nint)p.Height * p.Width * p.C, outputLength = (nint)p.OutHeight * p.OutWidth * p.F;
        var gemmPath = S.GemmPath(path, p.F);
        // This part's filters and samples: its share of the filter blocks for every row of the batch,
        // or every filter for its share of the rows.
        bool byFilters = SplitsFilters(p, rows);
        int f0 = 0, f1 = p.F;
        if (byFilters)
        {
            var (firstBlock, blocks) = Parallel.WorkerPool.Partition(p.F / FilterBlock, rows.Parts, rows.Part);
            f0 = firstBlock * FilterBlock;
            f1 = f0 + blocks * FilterBlock;
        }
        if (byFilters && rows.SharedTiles.Length >= SharedTilesLength(p))
        {
            SharedTiles<S, TV, TO>(gemmPath, p, u, rest, bias, input, output, rows, fused, alpha, skip, f0, f1);
            return;
        }
        var samples = byFilters ? new RowRange(0, rows.Batch) : rows.Samples(p.OutHeight);
        foreach (int n in samples)
        {
            var own = byFilters ? new RowRange(0, p.OutHeight) : rows.Of(n, p.OutHeight);
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * inputLength);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * outputLength);
            ref float z = ref Unsafe.Add(ref MemoryMarshal.GetReference(skip), n * outputLength);
            // The tile rows that hold the share's output rows; a tile row cut by the share's edge is
            // computed by both threads, each storing its own rows.
            int first = own.Start / p.M * p.TilesX, end = (own.End + p.M - 1) / p.M * p.TilesX;
            for (int t0 = first; t0 < end; t0 += p.Block)
            {
                int count = Math.Min(p.Block, end - t0);
                int vStride = (int)Plan.Stride((long)count * p.C), mStride = (int)Plan.Stride((long)count * p.F);
                var v = rest.Slice(0, p.Positions * vStride);
                var m = rest.Slice(v.Length, p.Positions * mStride);
                ref float vRef = ref MemoryMarshal.GetReference(v);
                ref float mRef = ref MemoryMarshal.GetReference(m);
                for (int t = 0; t < count; t++)
                {
                    ref float vt = ref Unsafe.Add(ref vRef, (nint)t * p.C);
                    InputTile<S, TV, TO>(p, ref x, t0 + t, ref vt, vStride, 0, vectorC, d);
                    InputTile<S, float, ScalarOps>(p, ref x, t0 + t, ref vt, vStride, vectorC, p.C, d1);
                }
                for (int q = 0; q < p.Positions; q++)
                {
                    DenseKernels.ForwardUnits(gemmPath, v.Slice(q * vStride, count * p.C), u.Slice(q * (int)uStride, p.C * p.F),
                        m.Slice(q * mStride, count * p.F), count, p.C, p.F, f0, f1);
                }
                for (int t = 0; t < count; t++)
                {
                    ref float mt = ref Unsafe.Add(ref mRef, (nint)t * p.F);
                    OutputTile<S, TV, TO>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, ref z, !skip.IsEmpty, own, f0, Math.Min(f1, vectorF), d);
                    OutputTile<S, float, ScalarOps>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, ref z, !skip.IsEmpty, own, Math.Max(f0, vectorF), f1, d1);
                }
            }
        }
    }

    /// <summary>Floats of a whole picture's transformed input tiles, <c>V[position][tile][C]</c>.</summary>
    internal static long SharedTilesLength(in Plan p) => p.Positions * Plan.Stride((long)p.TilesX * p.TilesY * p.C);

    /// <summary>
    /// A split by filters whose parts share one picture's transformed input tiles (<see cref="Rows.SharedTiles"/>): each
    /// part transforms its contiguous share of the tiles into the shared V, the parts meet at the layer barrier, then each
    /// runs the GEMMs and output transforms of its filters over every tile, a block at a time as on one thread. A tile's V
    /// is the same values whoever makes it, and each GEMM row the same sum whatever rows are around it, so the bits are
    /// one thread's. The whole picture rather than a block: one barrier per picture (and one before the next picture
    /// overwrites V), and at ResNet-18's filter-split layers a block is the whole picture anyway.
    /// </summary>
    private static void SharedTiles<S, TV, TO>(
        KernelPath gemmPath, in Plan p, ReadOnlySpan<float> u, Span<float> rest, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha, ReadOnlySpan<float> skip, int f0, int f1)
        where S : struct, IWinogradShape where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int vectorC = p.C / TO.Lanes * TO.Lanes, vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[36];
        Span<float> d1 = stackalloc float[36];
        ref float b = ref MemoryMarshal.GetReference(bias);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        nint inputLength = (nint)p.Height * p.Width * p.C, outputLength = (nint)p.OutHeight * p.OutWidth * p.F;
        int tiles = p.TilesX * p.TilesY;
        int vStride = (int)Plan.Stride((long)tiles * p.C);
        var v = rows.SharedTiles.Slice(0, p.Positions * vStride);
        ref float vRef = ref MemoryMarshal.GetReference(v);
        var (firstTile, ownTiles) = Parallel.WorkerPool.Partition(tiles, rows.Parts, rows.Part);
        var all = new RowRange(0, p.OutHeight);
        for (int n = 0; n < rows.Batch; n++)
        {
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * inputLength);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * outputLength);
            ref float z = ref Unsafe.Add(ref MemoryMarshal.GetReference(skip), n * outputLength);
            if (n > 0)
            {
                // Every part done reading the last picture's V before it is overwritten.
                rows.Wait();
            }
            for (int t = firstTile; t < firstTile + ownTiles; t++)
            {
                ref float vt = ref Unsafe.Add(ref vRef, (nint)t * p.C);
                InputTile<S, TV, TO>(p, ref x, t, ref vt, vStride, 0, vectorC, d);
                InputTile<S, float, ScalarOps>(p, ref x, t, ref vt, vStride, vectorC, p.C, d1);
            }
            // Every part's tiles in V.
            rows.Wait();
            for (int t0 = 0; t0 < tiles; t0 += p.Block)
            {
                int count = Math.Min(p.Block, tiles - t0);
                int mStride = (int)Plan.Stride((long)count * p.F);
                var m = rest.Slice(0, p.Positions * mStride);
                ref float mRef = ref MemoryMarshal.GetReference(m);
                for (int q = 0; q < p.Positions; q++)
                {
                    DenseKernels.ForwardUnits(gemmPath, v.Slice(q * vStride + t0 * p.C, count * p.C), u.Slice(q * (int)uStride, p.C * p.F),
                        m.Slice(q * mStride, count * p.F), count, p.C, p.F, f0, f1);
                }
                for (int t = 0; t < count; t++)
                {
                    ref float mt = ref Unsafe.Add(ref mRef, (nint)t * p.F);
                    OutputTile<S, TV, TO>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, ref z, !skip.IsEmpty, all, f0, Math.Min(f1, vectorF), d);
                    OutputTile<S, float, ScalarOps>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, ref z, !skip.IsEmpty, all, Math.Max(f0, vectorF), f1, d1);
                }
            }
        }
    }

    /// <summary><c>U[q][c][f] = (G (scale[f] g[., ., c, f]) Gᵀ)[q]</c> for filters f0..f1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filters<S, TV, TO>(in Plan p, ref float w, ref float scale, bool hasScale, ref float u, nint positionStride, int f0, int f1, Span<TV> d)
        where S : struct, IWinogradShape where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int a = p.Alpha, r = S.R;
        var g = d.Slice(0, r * r);
        var t = d.Slice(r * r, r * a);
        var uu = d.Slice(r * r + r * a, p.Positions);
        for (int c = 0; c < p.C; c++)
        {
            for (int f = f0; f < f1; f += TO.Lanes)
            {
                TV sc = hasScale ? TO.Load(ref scale, f) : TO.Broadcast(1f);
                for (int k = 0; k < r * r; k++)
                {
                    TV gk = TO.Load(ref w, (k * p.C + c) * (nint)p.F + f);
                    g[k] = hasScale ? TO.Multiply(gk, sc) : gk;
                }
                // Down the r columns (r rows into alpha), then along the alpha rows (r columns into alpha).
                for (int kx = 0; kx < r; kx++) S.Filter<TV, TO>(g, kx, r, t, kx, r);
                for (int i = 0; i < a; i++) S.Filter<TV, TO>(t, r * i, 1, uu, a * i, 1);
                ref float uc = ref Unsafe.Add(ref u, (nint)c * p.F + f);
                for (int q = 0; q < p.Positions; q++)
                {
                    TO.Store(uu[q], ref uc, q * positionStride);
                }
            }
        }
    }

    /// <summary>
    /// <c>V[q][tile][c] = (Bᵀ d B)[q]</c> for channels c0..c1 of tile <paramref name="tile"/>, whose pixels outside the map are
    /// zeros (the padding): down each column from the map (or, at the map's edge, from the tile gathered with its zeros into
    /// <paramref name="d"/>) into <paramref name="d"/>, then along each row from <paramref name="d"/> into V, each
    /// one-dimensional transform in registers (the order of the Span form it replaced, so the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTile<S, TV, TO>(in Plan p, ref float x, int tile, ref float v, nint positionStride, int c0, int c1, Span<TV> d)
        where S : struct, IWinogradShape where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int a = p.Alpha;
        int iy0 = tile / p.TilesX * p.M - p.Pad, ix0 = tile % p.TilesX * p.M - p.Pad;
        bool inside = iy0 >= 0 && ix0 >= 0 && iy0 + a <= p.Height && ix0 + a <= p.Width;
        nint rowStride = (nint)p.Width * p.C, pixel = p.C, lanes = TO.Lanes, tRow = a * lanes;
        // The columns' transforms, a row of a vectors after another, as floats.
        ref float t = ref Unsafe.As<TV, float>(ref MemoryMarshal.GetReference(d.Slice(0, p.Positions)));
        for (int c = c0; c < c1; c += TO.Lanes)
        {
            if (inside)
            {
                ref float corner = ref Unsafe.Add(ref x, iy0 * rowStride + ix0 * pixel + c);
                for (int j = 0; j < a; j++) S.Input<TV, TO>(ref Unsafe.Add(ref corner, j * pixel), rowStride, ref Unsafe.Add(ref t, j * lanes), tRow);
            }
            else
            {
                for (int i = 0; i < a; i++)
                {
                    int iy = iy0 + i;
                    ref float row = ref Unsafe.Add(ref x, iy * rowStride + ix0 * pixel + c);
                    for (int j = 0; j < a; j++)
                    {
                        TO.Store((uint)iy < (uint)p.Height && (uint)(ix0 + j) < (uint)p.Width ? TO.Load(ref row, j * pixel) : TO.Zero, ref t, i * tRow + j * lanes);
                    }
                }
                // In place: each column's values are all read before its results are stored.
                for (int j = 0; j < a; j++) S.Input<TV, TO>(ref Unsafe.Add(ref t, j * lanes), tRow, ref Unsafe.Add(ref t, j * lanes), tRow);
            }
            for (int i = 0; i < a; i++) S.Input<TV, TO>(ref Unsafe.Add(ref t, i * tRow), lanes, ref Unsafe.Add(ref v, a * i * positionStride + c), positionStride);
        }
    }

    /// <summary>
    /// Output pixels of tile <paramref name="tile"/> in the map and in the share's rows, filters f0..f1: <c>fused((Aᵀ M A) + bias)</c>,
    /// or with <paramref name="hasSkip"/> <c>fused(((Aᵀ M A) + bias) + skip)</c>, <paramref name="skip"/> read where the pixel is stored
    /// (a residual Add folded into the store: the sum the convolution would have stored, plus the other summand, then the Add's activation),
    /// down each column of M into <paramref name="d"/>, then along each of the share's rows in place, each one-dimensional transform
    /// in registers (the order of the Span form it replaced, so the same bits). A per-filter scale is taken into the transformed filters instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTile<S, TV, TO>(in Plan p, ref float mt, nint positionStride, int tile, ref float biasRef, bool hasBias, Activation fused, float alpha, ref float y, ref float skip, bool hasSkip, RowRange own, int f0, int f1, Span<TV> d)
        where S : struct, IWinogradShape where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int a = p.Alpha, mm = p.M;
        int oy0 = tile / p.TilesX * mm, ox0 = tile % p.TilesX * mm;
        int rowStart = Math.Max(own.Start - oy0, 0), rowEnd = Math.Min(own.End - oy0, mm);
        int columns = Math.Min(p.OutWidth - ox0, mm);
        nint lanes = TO.Lanes, tRow = a * lanes;
        ref float t = ref Unsafe.As<TV, float>(ref MemoryMarshal.GetReference(d.Slice(0, p.Positions)));
        for (int f = f0; f < f1; f += TO.Lanes)
        {
            ref float mf = ref Unsafe.Add(ref mt, f);
            for (int j = 0; j < a; j++) S.Output<TV, TO>(ref Unsafe.Add(ref mf, j * positionStride), a * positionStride, ref Unsafe.Add(ref t, j * lanes), tRow);
            TV bias = hasBias ? TO.Load(ref biasRef, f) : TO.Zero;
            for (int i = rowStart; i < rowEnd; i++)
            {
                ref float ti = ref Unsafe.Add(ref t, i * tRow);
                S.Output<TV, TO>(ref ti, lanes, ref ti, lanes);
                nint row = ((nint)(oy0 + i) * p.OutWidth + ox0) * p.F + f;
                ref float yRow = ref Unsafe.Add(ref y, row);
                if (hasSkip)
                {
                    // The residual Add's order: the value the convolution would have stored, then the skip, then the activation.
                    ref float skipRow = ref Unsafe.Add(ref skip, row);
                    for (int j = 0; j < columns; j++)
                    {
                        TV stored = TO.Add(TO.Load(ref ti, j * lanes), bias);
                        TO.Store(WinogradKernels.Activate<TV, TO>(TO.Add(stored, TO.Load(ref skipRow, (nint)j * p.F)), fused, alpha), ref yRow, (nint)j * p.F);
                    }
                    continue;
                }
                for (int j = 0; j < columns; j++)
                {
                    TO.Store(WinogradKernels.Activate<TV, TO>(TO.Add(TO.Load(ref ti, j * lanes), bias), fused, alpha), ref yRow, (nint)j * p.F);
                }
            }
        }
    }
}
