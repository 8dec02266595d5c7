using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// 5x5, stride 1 convolution of NHWC activations with HWIO weights by Winograd's F(2x2, 5x5): 36 multiplies
/// for the 100 of four outputs (2.78x fewer), the 6x6 input tiles of F(4x4, 3x3) (<see cref="Winograd5x5Transforms"/>).
/// The same pipeline as <see cref="WinogradKernels"/>: per call the filters are transformed into <c>U[position][C][F]</c>;
/// then, a block of tiles at a time, the input tiles into <c>V[position][tile][C]</c>, one GEMM per position
/// (<c>M = V U</c>, the register-tiled <see cref="DenseKernels"/> forward) and the output transform with the bias and
/// a fused activation. Each output is computed from its own tile the same way whichever block or thread computes it,
/// so a picture split over threads (<see cref="Rows"/>) gives the bits of one thread. The padding may be 0 to 4, so
/// that the input gradient of any stride-1 5x5 layer (the output gradient padded by 4 minus the forward's padding,
/// convolved with the flipped, channel-swapped filters) runs here too. Scratch is the Winograd kernels' one array per
/// thread, kept between calls: no allocation once it has grown to the largest layer.
/// </summary>
public static class Winograd5x5Kernels
{
    /// <summary>Outputs per tile side.</summary>
    private const int M = 2;

    /// <summary>Input tile side.</summary>
    private const int Alpha = 6;

    private const int Positions = Alpha * Alpha;

    /// <summary>Bytes of a block's transformed inputs and GEMM outputs (V and M), to stay in a core's L2 next to one position's U.</summary>
    private const long BlockBudget = 512 * 1024;

    /// <summary>Floats past a position's matrix: one cache line, so that the positions' rows written side by side by a transform do not share an L1 set.</summary>
    private const int Skew = 16;

    /// <summary>The largest padding: the input gradient of an unpadded layer.</summary>
    public const int MaxPad = 4;

    /// <summary>
    /// <c>output = fused(scale * conv5x5(input, weights) + bias)</c> over the rows of <paramref name="rows"/>:
    /// input <c>[batch, height, width, inputChannels]</c>, weights <c>[5, 5, inputChannels, outputChannels]</c>,
    /// output <c>[batch, height + 2 pad - 4, width + 2 pad - 4, outputChannels]</c>, <paramref name="pad"/> 0 to 4 on
    /// every side. <paramref name="bias"/> and <paramref name="scale"/> (a per-filter factor) may be empty;
    /// <paramref name="fused"/> must be Linear, Relu, LeakyRelu, Relu6, HardSigmoid or HardSwish.
    /// </summary>
    public static void Conv5x5(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default) =>
        Conv5x5(KernelPaths.Preferred, weights, bias, input, output, rows, height, width, inputChannels, outputChannels, pad, fused, alpha, scale);

    internal static void Conv5x5(
        KernelPath path, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused = Activation.Linear, float alpha = 0f, ReadOnlySpan<float> scale = default)
    {
        var p = Check(weights, bias, scale, input, output, rows, height, width, inputChannels, outputChannels, pad, fused);
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

    /// <summary>Floats of per-thread scratch a call needs (filters, and one block's V and M).</summary>
    internal static long ScratchLength(int height, int width, int inputChannels, int outputChannels, int pad) =>
        new Plan(height, width, inputChannels, outputChannels, pad).ScratchLength;

    private static Plan Check(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> scale, ReadOnlySpan<float> input, Span<float> output, Rows rows,
        int height, int width, int inputChannels, int outputChannels, int pad, Activation fused)
    {
        if (pad is < 0 or > MaxPad)
        {
            throw new ArgumentOutOfRangeException(nameof(pad), $"Winograd5x5Kernels: pad {pad} is not between 0 and {MaxPad}.");
        }
        if (inputChannels < 1 || outputChannels < 1 || height + 2 * pad < 5 || width + 2 * pad < 5 || rows.Batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Winograd5x5Kernels: a {height}x{width}x{inputChannels} input with pad {pad} and {outputChannels} filters has no 5x5 output.");
        }
        if (fused is not (Activation.Linear or Activation.Relu or Activation.LeakyRelu or Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish))
        {
            throw new ArgumentException($"Winograd5x5Kernels fuses only Linear, Relu, LeakyRelu, Relu6, HardSigmoid and HardSwish, not {fused}: apply it afterwards.", nameof(fused));
        }
        var p = new Plan(height, width, inputChannels, outputChannels, pad);
        CheckLength(nameof(weights), weights.Length, 25L * inputChannels * outputChannels, exact: true);
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, outputChannels, exact: true);
        if (!scale.IsEmpty) CheckLength(nameof(scale), scale.Length, outputChannels, exact: true);
        CheckLength(nameof(input), input.Length, (long)rows.Batch * height * width * inputChannels, exact: false);
        CheckLength(nameof(output), output.Length, (long)rows.Batch * p.OutHeight * p.OutWidth * outputChannels, exact: false);
        if (p.ScratchLength > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), $"Winograd5x5Kernels: {inputChannels} input channels and {outputChannels} filters need {p.ScratchLength} floats of transformed filters and tiles, more than an array holds.");
        }
        return p;
    }

    private static void CheckLength(string name, int actual, long expected, bool exact) =>
        WinogradKernels.CheckLength(name, actual, expected, exact, nameof(Winograd5x5Kernels));

    /// <summary>The geometry of one call.</summary>
    private readonly struct Plan
    {
        public readonly int Height, Width, C, F, Pad, OutHeight, OutWidth, TilesX, TilesY, Block;

        public Plan(int height, int width, int c, int f, int pad)
        {
            Height = height;
            Width = width;
            C = c;
            F = f;
            Pad = pad;
            OutHeight = height + 2 * pad - 4;
            OutWidth = width + 2 * pad - 4;
            TilesX = (OutWidth + M - 1) / M;
            TilesY = (OutHeight + M - 1) / M;
            // Whole six-tile register tiles, at least one, at most the picture.
            long fit = BlockBudget / ((long)Positions * (c + f) * sizeof(float)) / 6 * 6;
            Block = (int)Math.Min(Math.Max(fit, 6), Math.Max((long)TilesX * TilesY, 1));
        }

        public static long Stride(long matrix) => matrix + Skew;

        public long FilterLength => Positions * Stride((long)C * F);

        public long ScratchLength => FilterLength + Positions * (Stride((long)Block * C) + Stride((long)Block * F));
    }

    private static void Run<TV, TO>(
        KernelPath path, in Plan p, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        var scratch = WinogradKernels.Scratch(p.ScratchLength);
        var u = scratch.Slice(0, (int)p.FilterLength);
        // Whole vectors of filters on the vector path, the filters after them one at a time.
        int vectorF = p.F / TO.Lanes * TO.Lanes;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float s = ref MemoryMarshal.GetReference(scale);
        ref float uRef = ref MemoryMarshal.GetReference(u);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        Filters<TV, TO>(p, ref w, ref s, !scale.IsEmpty, ref uRef, uStride, 0, vectorF, stackalloc TV[25 + 30 + Positions]);
        Filters<float, ScalarOps>(p, ref w, ref s, !scale.IsEmpty, ref uRef, uStride, vectorF, p.F, stackalloc float[25 + 30 + Positions]);
        Tiles<TV, TO>(path, p, u, scratch.Slice((int)p.FilterLength), bias, input, output, rows, fused, alpha);
    }

    private static void Tiles<TV, TO>(
        KernelPath path, in Plan p, ReadOnlySpan<float> u, Span<float> rest, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> input, Span<float> output, Rows rows, Activation fused, float alpha)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        // Whole vectors of channels on the vector path, the channels after them one at a time.
        int vectorC = p.C / TO.Lanes * TO.Lanes, vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[Positions];
        Span<float> d1 = stackalloc float[Positions];
        ref float b = ref MemoryMarshal.GetReference(bias);
        nint uStride = (nint)Plan.Stride((long)p.C * p.F);
        nint inputLength = (nint)p.Height * p.Width * p.C, outputLength = (nint)p.OutHeight * p.OutWidth * p.F;
        var gemmPath = GemmPath(path, p.F);
        foreach (int n in rows.Samples(p.OutHeight))
        {
            var own = rows.Of(n, p.OutHeight);
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * inputLength);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * outputLength);
            // The tile rows that hold the share's output rows; a tile row cut by the share's edge is
            // computed by both threads, each storing its own rows.
            int first = own.Start / M * p.TilesX, end = (own.End + M - 1) / M * p.TilesX;
            for (int t0 = first; t0 < end; t0 += p.Block)
            {
                int count = Math.Min(p.Block, end - t0);
                int vStride = (int)Plan.Stride((long)count * p.C), mStride = (int)Plan.Stride((long)count * p.F);
                var v = rest.Slice(0, Positions * vStride);
                var m = rest.Slice(v.Length, Positions * mStride);
                ref float vRef = ref MemoryMarshal.GetReference(v);
                ref float mRef = ref MemoryMarshal.GetReference(m);
                for (int t = 0; t < count; t++)
                {
                    ref float vt = ref Unsafe.Add(ref vRef, (nint)t * p.C);
                    InputTile<TV, TO>(p, ref x, t0 + t, ref vt, vStride, 0, vectorC, d);
                    InputTile<float, ScalarOps>(p, ref x, t0 + t, ref vt, vStride, vectorC, p.C, d1);
                }
                for (int q = 0; q < Positions; q++)
                {
                    DenseKernels.Forward(gemmPath, v.Slice(q * vStride, count * p.C), u.Slice(q * (int)uStride, p.C * p.F), default,
                        m.Slice(q * mStride, count * p.F), count, p.C, p.F, Activation.Linear, 0f);
                }
                for (int t = 0; t < count; t++)
                {
                    ref float mt = ref Unsafe.Add(ref mRef, (nint)t * p.F);
                    OutputTile<TV, TO>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, own, 0, vectorF, d);
                    OutputTile<float, ScalarOps>(p, ref mt, mStride, t0 + t, ref b, !bias.IsEmpty, fused, alpha, ref y, own, vectorF, p.F, d1);
                }
            }
        }
    }

    /// <summary>
    /// The GEMMs' vectors: the GEMM's register tiles are strips of four vectors of filters, its filters after the last
    /// strip one vector and one sample at a time (a load per multiply-add). With 512-bit vectors a layer of 32 or 48
    /// filters (the input gradient of a 32-channel layer) would be all such leftovers; 256-bit strips of 32 take them
    /// whole. A function of the filter count alone, so every share and thread sums the same way.
    /// </summary>
    internal static KernelPath GemmPath(KernelPath path, int filters) =>
        path == KernelPath.Vector512 && filters % 64 >= 16 ? KernelPath.Vector256 : path;

    /// <summary><c>U[q][c][f] = (G (scale[f] g[., ., c, f]) Gᵀ)[q]</c> for filters f0..f1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filters<TV, TO>(in Plan p, ref float w, ref float scale, bool hasScale, ref float u, nint positionStride, int f0, int f1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        var g = d.Slice(0, 25);
        var t = d.Slice(25, 30);
        var uu = d.Slice(55, Positions);
        for (int c = 0; c < p.C; c++)
        {
            for (int f = f0; f < f1; f += TO.Lanes)
            {
                TV sc = hasScale ? TO.Load(ref scale, f) : TO.Broadcast(1f);
                for (int k = 0; k < 25; k++)
                {
                    TV gk = TO.Load(ref w, (k * p.C + c) * (nint)p.F + f);
                    g[k] = hasScale ? TO.Multiply(gk, sc) : gk;
                }
                // Down the 5 columns (5 rows into 6), then along the 6 rows (5 columns into 6).
                for (int kx = 0; kx < 5; kx++) Winograd5x5Transforms.Filter<TV, TO>(g, kx, 5, t, kx, 5);
                for (int i = 0; i < Alpha; i++) Winograd5x5Transforms.Filter<TV, TO>(t, 5 * i, 1, uu, Alpha * i, 1);
                ref float uc = ref Unsafe.Add(ref u, (nint)c * p.F + f);
                for (int q = 0; q < Positions; q++)
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
        int iy0 = tile / p.TilesX * M - p.Pad, ix0 = tile % p.TilesX * M - p.Pad;
        bool inside = iy0 >= 0 && ix0 >= 0 && iy0 + Alpha <= p.Height && ix0 + Alpha <= p.Width;
        nint rowStride = (nint)p.Width * p.C;
        for (int c = c0; c < c1; c += TO.Lanes)
        {
            for (int i = 0; i < Alpha; i++)
            {
                int iy = iy0 + i;
                ref float row = ref Unsafe.Add(ref x, iy * rowStride + (nint)ix0 * p.C + c);
                for (int j = 0; j < Alpha; j++)
                {
                    d[i * Alpha + j] = inside || ((uint)iy < (uint)p.Height && (uint)(ix0 + j) < (uint)p.Width) ? TO.Load(ref row, (nint)j * p.C) : TO.Zero;
                }
            }
            for (int j = 0; j < Alpha; j++) WinogradTransforms.InputF4<TV, TO>(d, j, Alpha);
            for (int i = 0; i < Alpha; i++) WinogradTransforms.InputF4<TV, TO>(d, Alpha * i, 1);
            for (int q = 0; q < Positions; q++)
            {
                TO.Store(d[q], ref v, q * positionStride + c);
            }
        }
    }

    /// <summary>Output pixels of tile <paramref name="tile"/> in the map and in the share's rows, filters f0..f1: <c>fused((Aᵀ M A) + bias)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTile<TV, TO>(in Plan p, ref float mt, nint positionStride, int tile, ref float biasRef, bool hasBias, Activation fused, float alpha, ref float y, RowRange own, int f0, int f1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int oy0 = tile / p.TilesX * M, ox0 = tile % p.TilesX * M;
        int rowStart = Math.Max(own.Start - oy0, 0), rowEnd = Math.Min(own.End - oy0, M);
        int columns = Math.Min(p.OutWidth - ox0, M);
        for (int f = f0; f < f1; f += TO.Lanes)
        {
            for (int q = 0; q < Positions; q++)
            {
                d[q] = TO.Load(ref mt, q * positionStride + f);
            }
            for (int j = 0; j < Alpha; j++) Winograd5x5Transforms.Output<TV, TO>(d, j, Alpha);
            for (int i = 0; i < M; i++) Winograd5x5Transforms.Output<TV, TO>(d, Alpha * i, 1);
            TV bias = hasBias ? TO.Load(ref biasRef, f) : TO.Zero;
            for (int i = rowStart; i < rowEnd; i++)
            {
                ref float yRow = ref Unsafe.Add(ref y, ((nint)(oy0 + i) * p.OutWidth + ox0) * p.F + f);
                for (int j = 0; j < columns; j++)
                {
                    TO.Store(WinogradKernels.Activate<TV, TO>(TO.Add(d[i * Alpha + j], bias), fused, alpha), ref yRow, (nint)j * p.F);
                }
            }
        }
    }
}
