using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>The output tile of a Winograd convolution: F(2x2, 3x3) reads 4x4 input tiles, F(4x4, 3x3) 6x6.</summary>
public enum WinogradTile
{
    /// <summary>2x2 outputs per tile: 16 multiplies where direct convolution spends 36 (2.25x fewer), errors near float rounding.</summary>
    F2x2 = 2,

    /// <summary>4x4 outputs per tile: 36 multiplies for 144 (4x fewer), with transform constants up to 8 that cost about a digit of accuracy.</summary>
    F4x4 = 4,
}

/// <summary>
/// 3x3, stride 1 convolution of NHWC activations with HWIO weights by Winograd's minimal filtering
/// (see <see cref="WinogradTransforms"/>): per call the filters are transformed into
/// <c>U[position][C][F]</c>; then, a block of tiles at a time, the input tiles into
/// <c>V[position][tile][C]</c>, one GEMM per transform position (<c>M = V U</c>, the register-tiled
/// <see cref="DenseKernels"/> forward, 6 tiles x 4 vectors of filters) and the output transform with
/// the bias and a fused activation into the output map. A block's V and M are sized to stay in L2,
/// unless the filters outgrow L2: then the blocks are as few as 4 MB of V and M allow, so that the
/// filters are streamed from L3 as few times as possible. Each output is computed from its own
/// tile the same way whichever block or thread computes it (each GEMM row is the same sum in the same
/// order whatever the rows around it, each column too whatever 64-column range it is made in), so a
/// picture split over threads (<see cref="Rows"/>) gives the same bits as one thread: over row shares,
/// or, when a part has less than a picture, over blocks of 64 filters. Scratch is one array per
/// thread, kept between calls: no allocation once it has grown to the largest layer.
/// </summary>
public static class WinogradKernels
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

    [ThreadStatic] private static float[]? s_scratch;

    /// <summary>
    /// <c>output = fused(scale * conv3x3(input, weights) + bias)</c> over the rows of <paramref name="rows"/>:
    /// input <c>[batch, height, width, inputChannels]</c>, weights <c>[3, 3, inputChannels, outputChannels]</c>,
    /// output <c>[batch, height + 2 pad - 2, width + 2 pad - 2, outputChannels]</c>, <paramref name="pad"/> 0 or 1
    /// on every side. <paramref name="bias"/> and <paramref name="scale"/> (a per-filter factor, e.g. a folded
    /// BatchNorm's) may be empty; <paramref name="fused"/> must be Linear, Relu, LeakyRelu, Relu6, HardSigmoid or HardSwish.
    /// </summary>
    public static void Conv3x3(
        WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default) =>
        Conv3x3(KernelPaths.Preferred, tile, weights, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha, scale);

    internal static void Conv3x3(
        KernelPath path, WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default)
    {
        var p = Check(tile, bias, scale, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
        CheckLength(nameof(weights), weights.Length, 9L * inputChannels * outputChannels, exact: true);
        if (path == KernelPath.Vector512)
        {
            Run<Vector512<float>, Vector512Ops>(path, p, weights, bias, scale, input, output, rows, fused, alpha);
        }
        else if (path == KernelPath.Vector256)
        {
            Run<Vector256<float>, Vector256Ops>(path, p, weights, bias, scale, input, output, rows, fused, alpha);
        }
        else
        {
            Run<float, ScalarOps>(path, p, weights, bias, scale, input, output, rows, fused, alpha);
        }
    }

    /// <summary>
    /// Floats of the transformed filters of a layer (<c>TransformFilters</c>): <c>U[position][C][F]</c>,
    /// each position's matrix followed by one cache line.
    /// </summary>
    public static long TransformedLength(WinogradTile tile, int inputChannels, int outputChannels) =>
        (long)((int)tile + 2) * ((int)tile + 2) * Plan.Stride((long)inputChannels * outputChannels);

    /// <summary>
    /// Transforms filters <paramref name="firstFilter"/> to <paramref name="endFilter"/> (exclusive) of HWIO
    /// <paramref name="weights"/> <c>[3, 3, inputChannels, outputChannels]</c>, each scaled by <paramref name="scale"/>
    /// (may be empty), into <paramref name="transformed"/> (<see cref="TransformedLength"/> floats), which
    /// <c>Conv3x3Transformed</c> reads. Each filter is computed the same way whatever the range it is in,
    /// as long as the ranges start at multiples of 16, so ranges split over threads give the bits of one call.
    /// </summary>
    public static void TransformFilters(WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> transformed,
        int inputChannels, int outputChannels, int firstFilter, int endFilter) =>
        TransformFilters(KernelPaths.Preferred, tile, weights, scale, transformed, inputChannels, outputChannels, firstFilter, endFilter);

    internal static void TransformFilters(KernelPath path, WinogradTile tile, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> transformed,
        int inputChannels, int outputChannels, int firstFilter, int endFilter)
    {
        CheckTile(tile);
        if (inputChannels < 1 || outputChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), $"WinogradKernels: {inputChannels} input channels and {outputChannels} filters: both must be at least 1.");
        }
        if (firstFilter < 0 || endFilter > outputChannels || firstFilter > endFilter || firstFilter % 16 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(firstFilter), $"WinogradKernels: filters {firstFilter} to {endFilter} are not a range of the {outputChannels} filters starting at a multiple of 16.");
        }
        CheckLength(nameof(weights), weights.Length, 9L * inputChannels * outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(transformed), transformed.Length, TransformedLength(tile, inputChannels, outputChannels), exact: true);
        var p = new Plan(tile, 3, 3, inputChannels, outputChannels, 0);
        if (path == KernelPath.Vector512)
        {
            FilterRange<Vector512<float>, Vector512Ops>(p, weights, scale, transformed, firstFilter, endFilter);
        }
        else if (path == KernelPath.Vector256)
        {
            FilterRange<Vector256<float>, Vector256Ops>(p, weights, scale, transformed, firstFilter, endFilter);
        }
        else
        {
            FilterRange<float, ScalarOps>(p, weights, scale, transformed, firstFilter, endFilter);
        }
    }

    /// <summary>Filters f0..f1: whole vectors of filters below the last whole vector of the layer, the ones after it one at a time (as a whole-layer transform does).</summary>
    private static void FilterRange<TV, TO>(in Plan p, ReadOnlySpan<float> weights, ReadOnlySpan<float> scale, Span<float> u, int f0, int f1)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[64];
        Span<float> d1 = stackalloc float[64];
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float uRef = ref MemoryMarshal.GetReference(u);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        Filters<TV, TO>(p, ref w, ref s, !scale.IsEmpty, ref uRef, uStride, f0, Math.Min(f1, vectorF), d);
        Filters<float, ScalarOps>(p, ref w, ref s, !scale.IsEmpty, ref uRef, uStride, Math.Max(f0, vectorF), f1, d1);
    }

    /// <summary>
    /// <c>Conv3x3</c> with filters transformed beforehand by <c>TransformFilters</c> (their scale
    /// included): the same bits as <c>Conv3x3</c> on the weights and scale they came from, without the
    /// per-call transform.
    /// </summary>
    public static void Conv3x3Transformed(
        WinogradTile tile, ReadOnlySpan<float> transformed, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f) =>
        Conv3x3Transformed(KernelPaths.Preferred, tile, transformed, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha);

    internal static void Conv3x3Transformed(
        KernelPath path, WinogradTile tile, ReadOnlySpan<float> transformed, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f)
    {
        var p = Check(tile, bias, default, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
        CheckLength(nameof(transformed), transformed.Length, TransformedLength(tile, inputChannels, outputChannels), exact: true);
        Tiles(path, p, transformed, bias, input, output, rows, fused, alpha);
    }

    /// <summary>Floats of per-thread scratch a call needs (filters, and one block's V and M).</summary>
    internal static long ScratchLength(WinogradTile tile, int height, int width, int inputChannels, int outputChannels, int pad) =>
        new Plan(tile, height, width, inputChannels, outputChannels, pad).ScratchLength;

    private static void CheckTile(WinogradTile tile)
    {
        if (tile is not (WinogradTile.F2x2 or WinogradTile.F4x4))
        {
            throw new ArgumentOutOfRangeException(nameof(tile), $"WinogradKernels: tile {(int)tile} is neither F2x2 nor F4x4.");
        }
    }

    /// <summary>The checks both convolution entries share; the geometry of the call.</summary>
    private static Plan Check(WinogradTile tile, ReadOnlySpan<float> bias, ReadOnlySpan<float> scale, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused)
    {
        CheckTile(tile);
        if (pad is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pad), $"WinogradKernels: pad {pad} is neither 0 nor 1.");
        }
        if (inputChannels < 1 || outputChannels < 1 || height + 2 * pad < 3 || width + 2 * pad < 3 || rows.Batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"WinogradKernels: a {height}x{width}x{inputChannels} input with pad {pad} and {outputChannels} filters has no 3x3 output.");
        }
        if (fused is not (Activation.Linear or Activation.Relu or Activation.LeakyRelu or Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish))
        {
            throw new ArgumentException($"WinogradKernels fuses only Linear, Relu, LeakyRelu, Relu6, HardSigmoid and HardSwish, not {fused}: apply it afterwards.", nameof(fused));
        }
        var p = new Plan(tile, height, width, inputChannels, outputChannels, pad);
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(input), input.Length, (long)rows.Batch * height * width * inputChannels, exact: false);
        CheckLength(nameof(output), output.Length, (long)rows.Batch * p.OutHeight * p.OutWidth * outputChannels, exact: false);
        return p;
    }

    /// <summary>Refuses a span of the wrong length, naming the argument and <paramref name="kernel"/> (also the 5x5 kernel's check).</summary>
    internal static void CheckLength(string name, int actual, long expected, bool exact, string kernel = nameof(WinogradKernels))
    {
        if (exact ? actual != expected : actual < expected)
        {
            throw new ArgumentException($"{kernel}: {name} holds {actual} floats, expected {(exact ? "" : "at least ")}{expected}.", name);
        }
    }

    /// <summary>The geometry of one call.</summary>
    private readonly struct Plan
    {
        public readonly int M, Alpha, Positions, Height, Width, C, F, Pad, OutHeight, OutWidth, TilesX, TilesY, Block;

        public Plan(WinogradTile tile, int height, int width, int c, int f, int pad)
        {
            M = (int)tile;
            Alpha = M + 2;
            Positions = Alpha * Alpha;
            Height = height;
            Width = width;
            C = c;
            F = f;
            Pad = pad;
            OutHeight = height + 2 * pad - 2;
            OutWidth = width + 2 * pad - 2;
            TilesX = (OutWidth + M - 1) / M;
            TilesY = (OutHeight + M - 1) / M;
            // As few blocks as the budget allows, of even sizes in whole six-tile register tiles (at
            // least one), at most the picture.
            long tiles = (long)TilesX * TilesY;
            long budget = (long)Positions * c * f * sizeof(float) <= CachedFilters ? BlockBudget : StreamedFiltersBlockBudget;
            long fit = Math.Max(budget / ((long)Positions * (c + f) * sizeof(float)) / 6 * 6, 6);
            long blocks = (tiles + fit - 1) / fit;
            Block = (int)Math.Min(((tiles + blocks - 1) / blocks + 5) / 6 * 6, tiles);
        }

        /// <summary>Floats from one position's filters (or tiles) to the next: the matrix and a cache line more, so that the
        /// positions' rows, written side by side by a transform, do not all fall into the same L1 set (4 KB apart).</summary>
        public static long Stride(long matrix) => matrix + Skew;

        public long FilterLength => Positions * Stride((long)C * F);

        public long ScratchLength => FilterLength + Positions * (Stride((long)Block * C) + Stride((long)Block * F));
    }

    /// <summary>Floats of <see cref="Plan.Stride"/> past a position's matrix: one cache line.</summary>
    private const int Skew = 16;

    /// <summary>
    /// The calling thread's scratch, grown to <paramref name="length"/> floats and kept: one array per thread for every
    /// Winograd kernel (the 5x5 one too), since a thread runs one layer at a time.
    /// </summary>
    internal static Span<float> Scratch(long length)
    {
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"WinogradKernels: the transformed filters and a block of tiles need {length} floats, more than an array holds.");
        }
        var scratch = s_scratch;
        if (scratch is null || scratch.Length < length)
        {
            s_scratch = scratch = GC.AllocateUninitializedArray<float>((int)length);
        }
        return scratch.AsSpan(0, (int)length);
    }

    private static void Run<TV, TO>(
        KernelPath path, in Plan p, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        var scratch = Scratch(p.ScratchLength);
        var u = scratch.Slice(0, (int)p.FilterLength);
        FilterRange<TV, TO>(p, weights, scale, u, 0, p.F);
        Tiles<TV, TO>(path, p, u, scratch.Slice((int)p.FilterLength), bias, input, output, rows, fused, alpha);
    }

    /// <summary>The tiles of the share's rows with the transformed filters <paramref name="u"/>.</summary>
    private static void Tiles(KernelPath path, in Plan p, ReadOnlySpan<float> u, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha)
    {
        // Only the blocks' V and M in the scratch: the filters are the caller's.
        var rest = Scratch(p.ScratchLength - p.FilterLength);
        if (path == KernelPath.Vector512)
        {
            Tiles<Vector512<float>, Vector512Ops>(path, p, u, rest, bias, input, output, rows, fused, alpha);
        }
        else if (path == KernelPath.Vector256)
        {
            Tiles<Vector256<float>, Vector256Ops>(path, p, u, rest, bias, input, output, rows, fused, alpha);
        }
        else
        {
            Tiles<float, ScalarOps>(path, p, u, rest, bias, input, output, rows, fused, alpha);
        }
    }

    private static void Tiles<TV, TO>(
        KernelPath path, in Plan p, ReadOnlySpan<float> u, Span<float> rest, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        // Whole vectors of channels on the vector path, the channels after them one at a time.
        int vectorC = p.C / TO.Lanes * TO.Lanes, vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[64];
        Span<float> d1 = stackalloc float[64];
        ref float b = ref MemoryMarshal.GetReference(bias);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        nint inputLength = (nint)p.Height * p.Width * p.C, outputLength = (nint)p.OutHeight * p.OutWidth * p.F;
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
        var samples = byFilters ? new RowRange(0, rows.Batch) : rows.Samples(p.OutHeight);
        foreach (int n in samples)
        {
            var own = byFilters ? new RowRange(0, p.OutHeight) : rows.Of(n, p.OutHeight);
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * inputLength);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * outputLength);
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
                    InputTile<TV, TO>(p, ref x, t0 + t, ref vt, vStride, 0, vectorC, d);
                    InputTile<float, ScalarOps>(p, ref x, t0 + t, ref vt, vStride, vectorC, p.C, d1);
                }
                for (int q = 0; q < p.Positions; q++)
                {
                    DenseKernels.ForwardUnits(path, v.Slice(q * vStride, count * p.C), u.Slice(q * (int)uStride, p.C * p.F),
                        m.Slice(q * mStride, count * p.F), count, p.C, p.F, f0, f1);
                }
                for (int t = 0; t < count; t++)
                {
                    ref float mt = ref Unsafe.Add(ref mRef, (nint)t * p.F);
                    OutputTile<TV, TO>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, own, f0, Math.Min(f1, vectorF), d);
                    OutputTile<float, ScalarOps>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, own, Math.Max(f0, vectorF), f1, d1);
                }
            }
        }
    }

    /// <summary>Filters per block of a split by filters: a whole number of the GEMM's four-vector strips on every path, so each filter is the same sum as on one thread.</summary>
    private const int FilterBlock = 64;

    /// <summary>
    /// Whether the parts divide the filters rather than the rows: when each part has less than a picture
    /// (a picture split over threads) and every part gets whole filter blocks. Each part then transforms
    /// every input tile itself (cheap next to the GEMMs) but streams only its share of the transformed
    /// filters, and no tile row cut by a share's edge is computed twice.
    /// </summary>
    private static bool SplitsFilters(in Plan p, Rows rows) =>
        rows.Parts > 1 && rows.Batch < rows.Parts && p.F % FilterBlock == 0 && p.F / FilterBlock >= rows.Parts;

    /// <summary><c>U[q][c][f] = (G (scale[f] g[., ., c, f]) Gᵀ)[q]</c> for filters f0..f1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filters<TV, TO>(in Plan p, ref float w, ref float scale, bool hasScale, ref float u, nint positionStride, int f0, int f1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int a = p.Alpha;
        var g = d.Slice(0, 9);
        var t = d.Slice(9, 18);
        var uu = d.Slice(27, 36);
        for (int c = 0; c < p.C; c++)
        {
            for (int f = f0; f < f1; f += TO.Lanes)
            {
                TV sc = hasScale ? TO.Load(ref scale, f) : TO.Broadcast(1f);
                for (int k = 0; k < 9; k++)
                {
                    TV gk = TO.Load(ref w, (k * p.C + c) * (nint)p.F + f);
                    g[k] = hasScale ? TO.Multiply(gk, sc) : gk;
                }
                for (int kx = 0; kx < 3; kx++)
                {
                    if (a == 4) WinogradTransforms.FilterF2<TV, TO>(g, kx, 3, t, kx, 3);
                    else WinogradTransforms.FilterF4<TV, TO>(g, kx, 3, t, kx, 3);
                }
                for (int i = 0; i < a; i++)
                {
                    if (a == 4) WinogradTransforms.FilterF2<TV, TO>(t, 3 * i, 1, uu, a * i, 1);
                    else WinogradTransforms.FilterF4<TV, TO>(t, 3 * i, 1, uu, a * i, 1);
                }
                ref float uc = ref Unsafe.Add(ref u, (nint)c * p.F + f);
                for (int q = 0; q < p.Positions; q++)
                {
                    TO.Store(uu[q], ref uc, q * positionStride);
                }
            }
        }
    }

    /// <summary><c>V[q][tile][c] = (Bᵀ d B)[q]</c> for channels c0..c1 of tile <paramref name="tile"/>, whose pixels outside the map are zeros (the padding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTile<TV, TO>(in Plan p, ref float x, int tile, ref float v, nint positionStride, int c0, int c1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int a = p.Alpha;
        int iy0 = tile / p.TilesX * p.M - p.Pad, ix0 = tile % p.TilesX * p.M - p.Pad;
        bool inside = iy0 >= 0 && ix0 >= 0 && iy0 + a <= p.Height && ix0 + a <= p.Width;
        nint rowStride = (nint)p.Width * p.C;
        for (int c = c0; c < c1; c += TO.Lanes)
        {
            for (int i = 0; i < a; i++)
            {
                int iy = iy0 + i;
                ref float row = ref Unsafe.Add(ref x, iy * rowStride + (nint)ix0 * p.C + c);
                for (int j = 0; j < a; j++)
                {
                    d[i * a + j] = inside || ((uint)iy < (uint)p.Height && (uint)(ix0 + j) < (uint)p.Width) ? TO.Load(ref row, (nint)j * p.C) : TO.Zero;
                }
            }
            if (a == 4)
            {
                for (int j = 0; j < 4; j++) WinogradTransforms.InputF2<TV, TO>(d, j, 4);
                for (int i = 0; i < 4; i++) WinogradTransforms.InputF2<TV, TO>(d, 4 * i, 1);
            }
            else
            {
                for (int j = 0; j < 6; j++) WinogradTransforms.InputF4<TV, TO>(d, j, 6);
                for (int i = 0; i < 6; i++) WinogradTransforms.InputF4<TV, TO>(d, 6 * i, 1);
            }
            for (int q = 0; q < p.Positions; q++)
            {
                TO.Store(d[q], ref v, q * positionStride + c);
            }
        }
    }

    /// <summary>Output pixels of tile <paramref name="tile"/> in the map and in the share's rows, filters f0..f1: <c>fused((Aᵀ M A) + bias)</c>. A per-filter scale is taken into the transformed filters instead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTile<TV, TO>(in Plan p, ref float mt, nint positionStride, int tile, ref float biasRef, bool hasBias, Activation fused, float alpha, ref float y, RowRange own, int f0, int f1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int a = p.Alpha, mm = p.M;
        int oy0 = tile / p.TilesX * mm, ox0 = tile % p.TilesX * mm;
        int rowStart = Math.Max(own.Start - oy0, 0), rowEnd = Math.Min(own.End - oy0, mm);
        int columns = Math.Min(p.OutWidth - ox0, mm);
        for (int f = f0; f < f1; f += TO.Lanes)
        {
            for (int q = 0; q < p.Positions; q++)
            {
                d[q] = TO.Load(ref mt, q * positionStride + f);
            }
            if (a == 4)
            {
                for (int j = 0; j < 4; j++) WinogradTransforms.OutputF2<TV, TO>(d, j, 4);
                for (int i = 0; i < 2; i++) WinogradTransforms.OutputF2<TV, TO>(d, 4 * i, 1);
            }
            else
            {
                for (int j = 0; j < 6; j++) WinogradTransforms.OutputF4<TV, TO>(d, j, 6);
                for (int i = 0; i < 4; i++) WinogradTransforms.OutputF4<TV, TO>(d, 6 * i, 1);
            }
            TV bias = hasBias ? TO.Load(ref biasRef, f) : TO.Zero;
            for (int i = rowStart; i < rowEnd; i++)
            {
                ref float yRow = ref Unsafe.Add(ref y, ((nint)(oy0 + i) * p.OutWidth + ox0) * p.F + f);
                for (int j = 0; j < columns; j++)
                {
                    TO.Store(Activate<TV, TO>(TO.Add(d[i * a + j], bias), fused, alpha), ref yRow, (nint)j * p.F);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Activate<TV, TO>(TV value, Activation fused, float alpha) where TV : unmanaged where TO : struct, IVectorOps<TV> => fused switch
    {
        Activation.Relu => TO.Relu(value),
        Activation.LeakyRelu => TO.LeakyRelu(value, alpha),
        Activation.Relu6 => TO.Clamp(value, 0f, 6f),
        Activation.HardSigmoid => DenseKernels.HardSigmoid<TV, TO>(value),
        Activation.HardSwish => TO.Multiply(value, DenseKernels.HardSigmoid<TV, TO>(value)),
        _ => value,
    };
}
