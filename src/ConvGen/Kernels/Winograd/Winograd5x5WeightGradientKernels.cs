using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The weight gradient of a 5x5, stride 1 convolution (NHWC activations, HWIO weights) by Winograd's F(2x2, 5x5):
/// the forward's tile is <c>Y = Aᵀ [U ⊙ V] A</c> (<see cref="Winograd5x5Kernels"/>), so the transformed filters'
/// gradient is <c>dU[position][C][F] = Σ_tiles V[position][tile][C]ᵀ M'[position][tile][F]</c>, with
/// <c>V = Bᵀ d B</c> the input tile and <c>M' = A dY Aᵀ</c> the output-gradient tile, one GEMM per position (the
/// register-tiled <see cref="DenseKernels.WeightGradientRows"/>, the tiles of every sample its depth), and the
/// filters' gradient is <c>Gᵀ dU G</c> (<see cref="Winograd5x5GradientTransforms"/>): 36 multiplies per tile and
/// (input channel, filter) for the direct gradient's 100. The tiles are taken a block at a time (V and M' of a block
/// stay in L2); every GEMM adds its tiles one after the other in tile order whatever the blocks, so a call's bits
/// depend on its samples alone (a training chunk's, never the thread count). Scratch is the Winograd kernels' one
/// array per thread (<see cref="WinogradKernels"/>): no allocation once it has grown to the largest layer.
/// </summary>
public static class Winograd5x5WeightGradientKernels
{
    /// <summary>Outputs per tile side.</summary>
    private const int M = 2;

    /// <summary>Input tile side.</summary>
    private const int Alpha = 6;

    private const int Positions = Alpha * Alpha;

    /// <summary>Bytes of a block's V and M' (see <see cref="Plan"/> for the measurements behind it).</summary>
    private const long BlockBudget = 1 << 20;

    /// <summary>Floats past a position's matrix: one cache line, so that the positions' rows written side by side by a transform do not share an L1 set.</summary>
    private const int Skew = 16;

    /// <summary>
    /// <c>weightGradient += dL/dW</c> and <c>biasGradient += dL/db</c> (unless empty) of <c>conv5x5</c> over
    /// <paramref name="batch"/> samples: input <c>[batch, height, width, inputChannels]</c>, output gradient
    /// <c>[batch, height + 2 pad - 4, width + 2 pad - 4, outputChannels]</c>, weight gradient
    /// <c>[5, 5, inputChannels, outputChannels]</c>, <paramref name="pad"/> 0 to 4 on every side.
    /// </summary>
    public static void WeightGradient5x5(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int height, int width, int inputChannels, int outputChannels, int pad) =>
        WeightGradient5x5(KernelPaths.Preferred, input, outputGradient, weightGradient, biasGradient, batch, height, width, inputChannels, outputChannels, pad);

    internal static void WeightGradient5x5(
        KernelPath path, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int height, int width, int inputChannels, int outputChannels, int pad)
    {
        var p = Check(input, outputGradient, weightGradient, biasGradient, batch, height, width, inputChannels, outputChannels, pad);
        if (!biasGradient.IsEmpty)
        {
            int pixels = p.OutHeight * p.OutWidth * p.F;
            for (int n = 0; n < batch; n++)
            {
                VectorMath.AddRowsInPlace(biasGradient, outputGradient.Slice(n * pixels, pixels));
            }
        }
        if (batch == 0)
        {
            return;
        }
        if (path == KernelPath.Vector512)
        {
            Run<Vector512<float>, Vector512Ops>(path, p, input, outputGradient, weightGradient);
        }
        else if (path == KernelPath.Vector256)
        {
            Run<Vector256<float>, Vector256Ops>(path, p, input, outputGradient, weightGradient);
        }
        else
        {
            Run<float, ScalarOps>(path, p, input, outputGradient, weightGradient);
        }
    }

    /// <summary>Floats of per-thread scratch a call needs (dU, and one block's V and M').</summary>
    internal static long ScratchLength(int batch, int height, int width, int inputChannels, int outputChannels, int pad) =>
        new Plan(batch, height, width, inputChannels, outputChannels, pad).ScratchLength;

    private static Plan Check(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int height, int width, int inputChannels, int outputChannels, int pad)
    {
        const string kernel = nameof(Winograd5x5WeightGradientKernels);
        if (pad is < 0 or > Winograd5x5Kernels.MaxPad)
        {
            throw new ArgumentOutOfRangeException(nameof(pad), $"{kernel}: pad {pad} is not between 0 and {Winograd5x5Kernels.MaxPad}.");
        }
        if (inputChannels < 1 || outputChannels < 1 || height < 1 || width < 1 || height + 2 * pad < 5 || width + 2 * pad < 5 || batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"{kernel}: a batch of {batch} {height}x{width}x{inputChannels} inputs with pad {pad} and {outputChannels} filters has no 5x5 output.");
        }
        var p = new Plan(batch, height, width, inputChannels, outputChannels, pad);
        WinogradKernels.CheckLength(nameof(input), input.Length, (long)batch * height * width * inputChannels, exact: false, kernel);
        WinogradKernels.CheckLength(nameof(outputGradient), outputGradient.Length, (long)batch * p.OutHeight * p.OutWidth * outputChannels, exact: false, kernel);
        WinogradKernels.CheckLength(nameof(weightGradient), weightGradient.Length, 25L * inputChannels * outputChannels, exact: true, kernel);
        if (!biasGradient.IsEmpty) WinogradKernels.CheckLength(nameof(biasGradient), biasGradient.Length, outputChannels, exact: true, kernel);
        if (p.ScratchLength > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), $"{kernel}: {inputChannels} input channels and {outputChannels} filters need {p.ScratchLength} floats of transformed gradients and tiles, more than an array holds.");
        }
        return p;
    }

    /// <summary>
    /// The geometry of one call. The block budget hardly matters: fashion's conv2 (14x14, 32 -> 64, pad 2) in a chunk
    /// of 8 samples (392 tiles), one thread, AVX-512, ran 0.54-0.58 ms with 256 KB to 4 MB blocks on a loaded machine
    /// (2026-12-06), within the noise; 1 MB (6 blocks of 66 tiles there) was the best of those runs.
    /// </summary>
    private readonly struct Plan
    {
        public readonly int Height, Width, C, F, Pad, OutHeight, OutWidth, TilesX, TilesY, Block;
        public readonly long Tiles;

        public Plan(int batch, int height, int width, int c, int f, int pad)
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
            Tiles = (long)batch * TilesX * TilesY;
            // As few blocks as the budget allows, of even sizes (at least 6 tiles), at most the batch.
            long fit = Math.Max(BlockBudget / ((long)Positions * (c + f) * sizeof(float)), 6);
            long blocks = Math.Max((Tiles + fit - 1) / fit, 1);
            Block = (int)Math.Max(Math.Min((Tiles + blocks - 1) / blocks, Tiles), 1);
        }

        public int TilesPerSample => TilesX * TilesY;

        public static long Stride(long matrix) => matrix + Skew;

        public long FilterLength => Positions * Stride((long)C * F);

        public long ScratchLength => FilterLength + Positions * (Stride((long)Block * C) + Stride((long)Block * F));
    }

    private static void Run<TV, TO>(KernelPath path, in Plan p, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        var scratch = WinogradKernels.Scratch(p.ScratchLength);
        int uStride = (int)Plan.Stride((long)p.C * p.F);
        var du = scratch.Slice(0, (int)p.FilterLength);
        var rest = scratch.Slice((int)p.FilterLength);
        // Whole vectors of channels on the vector path, the channels after them one at a time.
        int vectorC = p.C / TO.Lanes * TO.Lanes, vectorF = p.F / TO.Lanes * TO.Lanes;
        Span<TV> d = stackalloc TV[Positions];
        Span<float> d1 = stackalloc float[Positions];
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float dy = ref MemoryMarshal.GetReference(outputGradient);
        var gemmPath = GemmPath(path, p.F);
        for (long t0 = 0; t0 < p.Tiles; t0 += p.Block)
        {
            int count = (int)Math.Min(p.Block, p.Tiles - t0);
            int vStride = (int)Plan.Stride((long)count * p.C), mStride = (int)Plan.Stride((long)count * p.F);
            var v = rest.Slice(0, Positions * vStride);
            var m = rest.Slice(v.Length, Positions * mStride);
            ref float vRef = ref MemoryMarshal.GetReference(v);
            ref float mRef = ref MemoryMarshal.GetReference(m);
            for (int t = 0; t < count; t++)
            {
                long tile = t0 + t;
                int n = (int)(tile / p.TilesPerSample), inSample = (int)(tile % p.TilesPerSample);
                ref float xn = ref Unsafe.Add(ref x, (nint)n * p.Height * p.Width * p.C);
                ref float dyn = ref Unsafe.Add(ref dy, (nint)n * p.OutHeight * p.OutWidth * p.F);
                ref float vt = ref Unsafe.Add(ref vRef, (nint)t * p.C);
                ref float mt = ref Unsafe.Add(ref mRef, (nint)t * p.F);
                InputTile<TV, TO>(p, ref xn, inSample, ref vt, vStride, 0, vectorC, d);
                InputTile<float, ScalarOps>(p, ref xn, inSample, ref vt, vStride, vectorC, p.C, d1);
                GradientTile<TV, TO>(p, ref dyn, inSample, ref mt, mStride, 0, vectorF);
                GradientTile<float, ScalarOps>(p, ref dyn, inSample, ref mt, mStride, vectorF, p.F);
            }
            // dU[q] = Vᵀ M' over the block's tiles, added to the blocks before (written by the first).
            for (int q = 0; q < Positions; q++)
            {
                DenseKernels.WeightGradientRowsOn(gemmPath, v.Slice(q * vStride, count * p.C), p.C, 0, p.C, m.Slice(q * mStride, count * p.F),
                    du.Slice(q * uStride, p.C * p.F), count, p.F, overwrite: t0 == 0);
            }
        }
        ref float duRef = ref MemoryMarshal.GetReference(du);
        ref float w = ref MemoryMarshal.GetReference(weightGradient);
        Filters<TV, TO>(p, ref duRef, uStride, ref w, 0, vectorF, d);
        Filters<float, ScalarOps>(p, ref duRef, uStride, ref w, vectorF, p.F, d1);
    }

    /// <summary>
    /// The GEMMs' vectors: the weight gradient's register tiles are strips of four vectors of filters (two with 16
    /// registers), the filters after the last strip one vector at a time. With 512-bit vectors 32 or 48 filters would be
    /// all such leftovers; 256-bit strips take them whole (as the forward's GEMM does, <see cref="Winograd5x5Kernels"/>).
    /// </summary>
    private static KernelPath GemmPath(KernelPath path, int filters) =>
        path == KernelPath.Vector512 && filters % 64 >= 16 ? KernelPath.Vector256 : path;

    /// <summary>
    /// <c>V[q][tile][c] = (Bᵀ d B)[q]</c> for channels c0..c1 of tile <paramref name="tile"/> of a sample, whose pixels
    /// outside the map are zeros (the padding): along each row into <paramref name="d"/>, then down each column into V.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTile<TV, TO>(in Plan p, ref float x, int tile, ref float v, nint positionStride, int c0, int c1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int iy0 = tile / p.TilesX * M - p.Pad, ix0 = tile % p.TilesX * M - p.Pad;
        bool inside = iy0 >= 0 && ix0 >= 0 && iy0 + Alpha <= p.Height && ix0 + Alpha <= p.Width;
        nint rowStride = (nint)p.Width * p.C, pixel = p.C;
        ref TV t = ref MemoryMarshal.GetReference(d.Slice(0, Positions));
        for (int c = c0; c < c1; c += TO.Lanes)
        {
            for (int i = 0; i < Alpha; i++)
            {
                int iy = iy0 + i;
                ref float row = ref Unsafe.Add(ref x, iy * rowStride + (nint)ix0 * p.C + c);
                ref TV ti = ref Unsafe.Add(ref t, Alpha * i);
                if (inside)
                {
                    WinogradTransforms.InputF4<TV, TO>(TO.Load(ref row, 0), TO.Load(ref row, pixel), TO.Load(ref row, 2 * pixel),
                        TO.Load(ref row, 3 * pixel), TO.Load(ref row, 4 * pixel), TO.Load(ref row, 5 * pixel),
                        out ti, out Unsafe.Add(ref ti, 1), out Unsafe.Add(ref ti, 2), out Unsafe.Add(ref ti, 3), out Unsafe.Add(ref ti, 4), out Unsafe.Add(ref ti, 5));
                }
                else
                {
                    bool rowInside = (uint)iy < (uint)p.Height;
                    int width = p.Width;
                    WinogradTransforms.InputF4<TV, TO>(Pixel(ref row, 0), Pixel(ref row, 1), Pixel(ref row, 2), Pixel(ref row, 3), Pixel(ref row, 4), Pixel(ref row, 5),
                        out ti, out Unsafe.Add(ref ti, 1), out Unsafe.Add(ref ti, 2), out Unsafe.Add(ref ti, 3), out Unsafe.Add(ref ti, 4), out Unsafe.Add(ref ti, 5));

                    TV Pixel(ref float at, int j) => rowInside && (uint)(ix0 + j) < (uint)width ? TO.Load(ref at, j * pixel) : TO.Zero;
                }
            }
            for (int j = 0; j < Alpha; j++)
            {
                WinogradTransforms.InputF4<TV, TO>(Unsafe.Add(ref t, j), Unsafe.Add(ref t, Alpha + j), Unsafe.Add(ref t, 2 * Alpha + j),
                    Unsafe.Add(ref t, 3 * Alpha + j), Unsafe.Add(ref t, 4 * Alpha + j), Unsafe.Add(ref t, 5 * Alpha + j),
                    out TV v0, out TV v1, out TV v2, out TV v3, out TV v4, out TV v5);
                ref float vj = ref Unsafe.Add(ref v, j * positionStride + c);
                nint down = Alpha * positionStride;
                TO.Store(v0, ref vj, 0);
                TO.Store(v1, ref vj, down);
                TO.Store(v2, ref vj, 2 * down);
                TO.Store(v3, ref vj, 3 * down);
                TO.Store(v4, ref vj, 4 * down);
                TO.Store(v5, ref vj, 5 * down);
            }
        }
    }

    /// <summary>
    /// <c>M'[q][tile][f] = (A dY Aᵀ)[q]</c> for filters f0..f1 of tile <paramref name="tile"/> of a sample, the outputs
    /// past the map's edge zeros: each of the two rows spread over six columns, then each column over six rows, in
    /// registers, every value stored once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTile<TV, TO>(in Plan p, ref float dy, int tile, ref float mt, nint positionStride, int f0, int f1)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        int oy0 = tile / p.TilesX * M, ox0 = tile % p.TilesX * M;
        bool bottom = oy0 + 1 < p.OutHeight, right = ox0 + 1 < p.OutWidth;
        nint rowStride = (nint)p.OutWidth * p.F;
        for (int f = f0; f < f1; f += TO.Lanes)
        {
            ref float g = ref Unsafe.Add(ref dy, oy0 * rowStride + (nint)ox0 * p.F + f);
            TV y00 = TO.Load(ref g, 0);
            TV y01 = right ? TO.Load(ref g, p.F) : TO.Zero;
            TV y10 = bottom ? TO.Load(ref g, rowStride) : TO.Zero;
            TV y11 = right && bottom ? TO.Load(ref g, rowStride + p.F) : TO.Zero;
            // Column j: A times the two rows' values at j (A times each row), six positions of the column.
            ref float m = ref Unsafe.Add(ref mt, f);
            Winograd5x5GradientTransforms.OutputGradient<TV, TO>(y00, y10, ref m, Alpha * positionStride);
            Winograd5x5GradientTransforms.OutputGradient<TV, TO>(TO.Add(y00, y01), TO.Add(y10, y11), ref Unsafe.Add(ref m, positionStride), Alpha * positionStride);
            Winograd5x5GradientTransforms.OutputGradient<TV, TO>(TO.Subtract(y00, y01), TO.Subtract(y10, y11), ref Unsafe.Add(ref m, 2 * positionStride), Alpha * positionStride);
            TV y01Twice = TO.Add(y01, y01), y11Twice = TO.Add(y11, y11);
            Winograd5x5GradientTransforms.OutputGradient<TV, TO>(TO.Add(y00, y01Twice), TO.Add(y10, y11Twice), ref Unsafe.Add(ref m, 3 * positionStride), Alpha * positionStride);
            Winograd5x5GradientTransforms.OutputGradient<TV, TO>(TO.Subtract(y00, y01Twice), TO.Subtract(y10, y11Twice), ref Unsafe.Add(ref m, 4 * positionStride), Alpha * positionStride);
            Winograd5x5GradientTransforms.OutputGradient<TV, TO>(y01, y11, ref Unsafe.Add(ref m, 5 * positionStride), Alpha * positionStride);
        }
    }

    /// <summary><c>dW[., ., c, f] += Gᵀ dU[., c, f] G</c> for filters f0..f1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filters<TV, TO>(in Plan p, ref float du, nint positionStride, ref float w, int f0, int f1, Span<TV> d)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        Span<TV> t = stackalloc TV[Alpha * 5];
        Span<TV> g = stackalloc TV[25];
        for (int c = 0; c < p.C; c++)
        {
            for (int f = f0; f < f1; f += TO.Lanes)
            {
                ref float uc = ref Unsafe.Add(ref du, (nint)c * p.F + f);
                for (int q = 0; q < Positions; q++)
                {
                    d[q] = TO.Load(ref uc, q * positionStride);
                }
                // Along the 6 rows (6 columns into 5), then down the 5 columns (6 rows into 5).
                for (int i = 0; i < Alpha; i++) Winograd5x5GradientTransforms.FilterGradient<TV, TO>(d, Alpha * i, 1, t, 5 * i, 1);
                for (int kx = 0; kx < 5; kx++) Winograd5x5GradientTransforms.FilterGradient<TV, TO>(t, kx, 5, g, kx, 5);
                for (int k = 0; k < 25; k++)
                {
                    nint at = (k * p.C + c) * (nint)p.F + f;
                    TO.Store(TO.Add(TO.Load(ref w, at), g[k]), ref w, at);
                }
            }
        }
    }
}
