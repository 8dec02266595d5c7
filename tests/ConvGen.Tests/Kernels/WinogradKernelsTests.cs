using System;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The Winograd 3x3 convolution (F(2x2) and F(4x4)) on every vector path against a plain
/// double-precision direct convolution: maps whose tiles overhang the edges (odd sizes), pad 0 and
/// 1, channel counts that fall from vectors to scalars, bias, per-filter scale and fused
/// activations; within 1e-4 of the output's scale. Also: a picture split over 2 and 3 row shares,
/// or over parts that divide its filters (one after the other, or on threads that share the transformed
/// input tiles), gives the bits of one share, a skip added in the store (a residual Add's other summand) gives the bits
/// of the separate Add on every split, a call allocates nothing once its scratch has grown, and bad
/// arguments are refused with a message that names them.
/// </summary>
public sealed class WinogradKernelsTests
{
    /// <summary>The accuracy bound: the largest error over the largest output magnitude.</summary>
    private const double RelativeBound = 1e-4;

    public static TheoryData<string, string, int, int, int, int, int> Shapes()
    {
        var rows = new TheoryData<string, string, int, int, int, int, int>();
        var shapes = new (int Height, int Width, int C, int F, int Pad)[]
        {
            (1, 1, 1, 1, 1), (5, 5, 3, 5, 1), (7, 9, 17, 20, 0), (6, 6, 64, 64, 1), (13, 11, 33, 70, 1), (8, 8, 16, 16, 0), (3, 4, 8, 24, 0), (9, 7, 64, 72, 1),
        };
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        foreach (string tile in new[] { nameof(WinogradTile.F2x2), nameof(WinogradTile.F4x4) })
        foreach (var (h, w, c, f, pad) in shapes)
        {
            rows.Add(path, tile, h, w, c, f, pad);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_a_direct_convolution(string pathName, string tileName, int height, int width, int c, int f, int pad)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var tile = Enum.Parse<WinogradTile>(tileName);
        const int batch = 2;
        var rng = new Random(height * 1000 + width * 100 + c + f + pad);
        var x = Random(rng, batch * height * width * c, 1f);
        var w = Random(rng, 9 * c * f, MathF.Sqrt(2f / (9 * c)));
        var b = Random(rng, f, 0.5f);
        var scale = Random(rng, f, 2f);
        int oh = height + 2 * pad - 2, ow = width + 2 * pad - 2;
        foreach (var (activation, useBias, useScale) in new[] { (Activation.Linear, false, false), (Activation.Relu, true, false), (Activation.LeakyRelu, true, true) })
        {
            var expected = Direct(x, w, useBias ? b : null, useScale ? scale : null, batch, height, width, c, f, pad, activation, 0.1f);
            var output = new float[batch * oh * ow * f];
            WinogradKernels.Conv3x3(path, tile, w, useBias ? b : default, x, output, batch, height, width, c, f, pad, activation, 0.1f, useScale ? scale : default);
            double largest = 0, error = 0;
            for (int i = 0; i < output.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(expected[i]));
                error = Math.Max(error, Math.Abs(output[i] - expected[i]));
            }
            Assert.True(error <= RelativeBound * Math.Max(largest, 1e-3),
                $"{tile} {path} {height}x{width}x{c}->{f} pad {pad} {activation}: error {error:G3} against outputs up to {largest:G3}");
        }
    }

    [Theory]
    [InlineData(nameof(WinogradTile.F2x2), 2)]
    [InlineData(nameof(WinogradTile.F2x2), 3)]
    [InlineData(nameof(WinogradTile.F4x4), 2)]
    [InlineData(nameof(WinogradTile.F4x4), 3)]
    public void A_picture_split_over_row_shares_gives_the_same_bits(string tileName, int parts)
    {
        var tile = Enum.Parse<WinogradTile>(tileName);
        // 11 rows of 4-row tiles: the shares' edges cut tiles; two samples: a share spans both.
        const int batch = 2, height = 11, width = 9, c = 64, f = 64;
        var rng = new Random(parts);
        var x = Random(rng, batch * height * width * c, 1f);
        var w = Random(rng, 9 * c * f, 0.05f);
        var b = Random(rng, f, 0.5f);
        var whole = new float[batch * height * width * f];
        WinogradKernels.Conv3x3(tile, w, b, x, whole, batch, height, width, c, f, 1, Activation.Relu);
        var split = new float[whole.Length];
        for (int part = 0; part < parts; part++)
        {
            WinogradKernels.Conv3x3(tile, w, b, x, split, new Rows(batch, part, parts, null), height, width, c, f, 1, Activation.Relu);
        }
        Assert.Equal(whole, split);
    }

    public static TheoryData<string, string, int, int, int> FilterSplits()
    {
        var rows = new TheoryData<string, string, int, int, int>();
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        foreach (string tile in new[] { nameof(WinogradTile.F2x2), nameof(WinogradTile.F4x4) })
        {
            rows.Add(path, tile, 20, 128, 2);  // a channel tail after the vectors; one 64-filter block each
            rows.Add(path, tile, 64, 192, 3);  // three blocks over three parts
            rows.Add(path, tile, 33, 256, 3);  // four blocks over three parts: two, one, one
            rows.Add(path, tile, 64, 256, 2);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(FilterSplits))]
    public void A_picture_split_by_filters_gives_the_bits_of_one_thread(string pathName, string tileName, int c, int f, int parts)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var tile = Enum.Parse<WinogradTile>(tileName);
        // One picture over more parts than pictures: the parts divide the filters; 11 x 9 outputs overhang the tiles.
        const int height = 11, width = 9;
        var rng = new Random(c + f + parts);
        var x = Random(rng, height * width * c, 1f);
        var w = Random(rng, 9 * c * f, MathF.Sqrt(2f / (9 * c)));
        var b = Random(rng, f, 0.5f);
        var scale = Random(rng, f, 2f);
        var u = new float[WinogradKernels.TransformedLength(tile, c, f)];
        WinogradKernels.TransformFilters(path, tile, w, scale, u, c, f, 0, f);
        var whole = new float[height * width * f];
        WinogradKernels.Conv3x3Transformed(path, tile, u, b, x, whole, 1, height, width, c, f, 1, Activation.Relu);
        var split = new float[whole.Length];
        Array.Fill(split, float.NaN);
        for (int part = 0; part < parts; part++)
        {
            WinogradKernels.Conv3x3Transformed(path, tile, u, b, x, split, new Rows(1, part, parts, null), height, width, c, f, 1, Activation.Relu);
        }
        for (int i = 0; i < whole.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(whole[i]) == BitConverter.SingleToInt32Bits(split[i]),
                $"{tile} {path} {c}->{f} over {parts} parts, pixel {i / f} filter {i % f}: {whole[i]:G9} on one thread, {split[i]:G9} split");
        }
        // On threads that share the transformed tiles (each its share, a barrier, then its filters' GEMMs), and on
        // threads of a workspace without the shared buffer (each transforms every tile): the same bits again.
        AssertBitIdentical(whole, SplitOnThreads(path, tile, u, b, x, height, width, c, f, parts, shared: true), $"{tile} {path} {c}->{f} over {parts} threads sharing V");
        AssertBitIdentical(whole, SplitOnThreads(path, tile, u, b, x, height, width, c, f, parts, shared: false), $"{tile} {path} {c}->{f} over {parts} threads");
        // And the one-thread bits are the convolution's, within the accuracy bound.
        var expected = Direct(x, w, b, scale, 1, height, width, c, f, 1, Activation.Relu, 0f);
        double largest = 0, error = 0;
        for (int i = 0; i < whole.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(whole[i] - expected[i]));
        }
        Assert.True(error <= RelativeBound * largest, $"{tile} {path} {c}->{f}: error {error:G3} against outputs up to {largest:G3}");
    }

    /// <summary>
    /// <c>Conv3x3Transformed</c> on <paramref name="threads"/> threads of a workspace (the layer barrier between them), one picture:
    /// the threads divide the filters; with <paramref name="shared"/>, through the workspace's shared tiles, which must then hold V.
    /// </summary>
    private static float[] SplitOnThreads(KernelPath path, WinogradTile tile, float[] u, float[] b, float[] x, int height, int width, int c, int f, int threads, bool shared, float[]? skip = null)
    {
        int m = (int)tile, alpha = m + 2;
        int tilesLength = shared ? alpha * alpha * (((height + m - 1) / m) * ((width + m - 1) / m) * c + 16) : 0;
        using var workspace = new KernelWorkspace(tilesLength) { Path = path, Tile = tile, Bias = b, Skip = skip ?? [], Height = height, Width = width, C = c, F = f };
        workspace.SplitOver(threads);
        var y = new float[height * width * f];
        Array.Fill(y, float.NaN);
        workspace.Run<KernelWorkspace>(u, x, y, 1, static (transformed, ws, input, output, rows) =>
            WinogradKernels.Conv3x3Transformed(ws.Path, ws.Tile, transformed, ws.Bias, input, output, rows, ws.Height, ws.Width, ws.C, ws.F, 1, Activation.Relu, 0f, ws.Skip));
        Assert.Equal(shared, workspace.SharedTiles.IndexOfAnyExcept(0f) >= 0);
        return y;
    }

    /// <summary>A workspace for a kernel alone: its threads, barrier and shared tiles, and the call's arguments.</summary>
    private sealed class KernelWorkspace(int sharedTilesLength) : InferenceWorkspace
    {
        public override int Capacity => 1;

        protected override int SharedTilesLength => sharedTilesLength;

        public KernelPath Path;
        public WinogradTile Tile;
        public float[] Bias = [];
        public float[] Skip = [];
        public int Height, Width, C, F;
    }

    public static TheoryData<string, string> PathsAndTiles()
    {
        var rows = new TheoryData<string, string>();
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        foreach (string tile in new[] { nameof(WinogradTile.F2x2), nameof(WinogradTile.F4x4) })
        {
            rows.Add(path, tile);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(PathsAndTiles))]
    public void A_skip_gives_the_bits_of_the_linear_convolution_then_the_add_and_the_activation(string pathName, string tileName)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var tile = Enum.Parse<WinogradTile>(tileName);
        // 20 channels: vectors and a tail; 128 filters: two blocks for a split by filters; 11 x 9 outputs overhang the tiles.
        const int batch = 2, height = 11, width = 9, c = 20, f = 128;
        var rng = new Random(7);
        var x = Random(rng, batch * height * width * c, 1f);
        var w = Random(rng, 9 * c * f, MathF.Sqrt(2f / (9 * c)));
        var b = Random(rng, f, 0.5f);
        var scale = Random(rng, f, 2f);
        var skip = Random(rng, batch * height * width * f, 1f);
        // The residual Add on its own: the convolution stored without activation, then the sum and its ReLU.
        var expected = new float[skip.Length];
        WinogradKernels.Conv3x3(path, tile, w, b, x, expected, batch, height, width, c, f, 1, Activation.Linear, 0f, scale);
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = MathF.Max(expected[i] + skip[i], 0f);
        }
        var whole = new float[expected.Length];
        WinogradKernels.Conv3x3(path, tile, w, b, x, whole, batch, height, width, c, f, 1, Activation.Relu, 0f, scale, skip);
        AssertBitIdentical(expected, whole, $"{tile} {path} with a skip");
        // Two pictures over three row shares (tile rows cut by the shares' edges).
        var rowShares = new float[expected.Length];
        for (int part = 0; part < 3; part++)
        {
            WinogradKernels.Conv3x3(path, tile, w, b, x, rowShares, new Rows(batch, part, 3, null), height, width, c, f, 1, Activation.Relu, 0f, scale, skip);
        }
        AssertBitIdentical(expected, rowShares, $"{tile} {path} with a skip over row shares");
        // One picture split by filters: one part after the other, then on threads with and without the shared tiles.
        var u = new float[WinogradKernels.TransformedLength(tile, c, f)];
        WinogradKernels.TransformFilters(path, tile, w, scale, u, c, f, 0, f);
        int picture = height * width * f;
        var first = expected.AsSpan(0, picture).ToArray();
        var byFilters = new float[picture];
        for (int part = 0; part < 2; part++)
        {
            WinogradKernels.Conv3x3Transformed(path, tile, u, b, x, byFilters, new Rows(1, part, 2, null), height, width, c, f, 1, Activation.Relu, 0f, skip.AsSpan(0, picture));
        }
        AssertBitIdentical(first, byFilters, $"{tile} {path} with a skip split by filters");
        var pictureSkip = skip.AsSpan(0, picture).ToArray();
        AssertBitIdentical(first, SplitOnThreads(path, tile, u, b, x, height, width, c, f, 2, shared: true, pictureSkip), $"{tile} {path} with a skip over threads sharing V");
        AssertBitIdentical(first, SplitOnThreads(path, tile, u, b, x, height, width, c, f, 2, shared: false, pictureSkip), $"{tile} {path} with a skip over threads");
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}, value {i}: {expected[i]:G9} on one thread, {actual[i]:G9} split");
        }
    }

    [Theory]
    [InlineData(nameof(WinogradTile.F2x2))]
    [InlineData(nameof(WinogradTile.F4x4))]
    public void A_part_of_a_split_by_filters_allocates_nothing_once_its_scratch_has_grown(string tileName)
    {
        var tile = Enum.Parse<WinogradTile>(tileName);
        const int height = 14, width = 14, c = 64, f = 128;
        var x = new float[height * width * c];
        var u = new float[WinogradKernels.TransformedLength(tile, c, f)];
        var b = new float[f];
        var y = new float[height * width * f];
        var rows = new Rows(1, 1, 2, null);
        WinogradKernels.Conv3x3Transformed(tile, u, b, x, y, rows, height, width, c, f, 1, Activation.Relu);
        long before = GC.GetAllocatedBytesForCurrentThread();
        WinogradKernels.Conv3x3Transformed(tile, u, b, x, y, rows, height, width, c, f, 1, Activation.Relu);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(nameof(WinogradTile.F2x2))]
    [InlineData(nameof(WinogradTile.F4x4))]
    public void A_call_allocates_nothing_once_its_scratch_has_grown(string tileName)
    {
        var tile = Enum.Parse<WinogradTile>(tileName);
        const int height = 14, width = 14, c = 64, f = 64;
        var x = new float[height * width * c];
        var w = new float[9 * c * f];
        var b = new float[f];
        var y = new float[height * width * f];
        WinogradKernels.Conv3x3(tile, w, b, x, y, 1, height, width, c, f, 1, Activation.Relu);
        long before = GC.GetAllocatedBytesForCurrentThread();
        WinogradKernels.Conv3x3(tile, w, b, x, y, 1, height, width, c, f, 1, Activation.Relu);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        var x = new float[5 * 5 * 4];
        var w = new float[9 * 4 * 8];
        var y = new float[5 * 5 * 8];
        var pad = Assert.Throws<ArgumentOutOfRangeException>(() => WinogradKernels.Conv3x3(WinogradTile.F2x2, w, default, x, y, 1, 5, 5, 4, 8, 2));
        Assert.Contains("pad 2", pad.Message);
        var weights = Assert.Throws<ArgumentException>(() => WinogradKernels.Conv3x3(WinogradTile.F2x2, w.AsSpan(1), default, x, y, 1, 5, 5, 4, 8, 1));
        Assert.Contains("weights holds 287 floats, expected 288", weights.Message);
        var output = Assert.Throws<ArgumentException>(() => WinogradKernels.Conv3x3(WinogradTile.F4x4, w, default, x, y.AsSpan(0, 10), 1, 5, 5, 4, 8, 1));
        Assert.Contains("output holds 10 floats", output.Message);
        var fused = Assert.Throws<ArgumentException>(() => WinogradKernels.Conv3x3(WinogradTile.F4x4, w, default, x, y, 1, 5, 5, 4, 8, 1, Activation.Sigmoid));
        Assert.Contains("Sigmoid", fused.Message);
    }

    private static float[] Random(Random rng, int length, float range)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1) * range;
        return values;
    }

    /// <summary>The convolution in doubles, term by term: the reference the fast algorithm must stay near.</summary>
    private static double[] Direct(float[] x, float[] w, float[]? bias, float[]? scale, int batch, int height, int width, int c, int f, int pad, Activation activation, float alpha)
    {
        int oh = height + 2 * pad - 2, ow = width + 2 * pad - 2;
        var y = new double[batch * oh * ow * f];
        for (int n = 0; n < batch; n++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int o = 0; o < f; o++)
        {
            double sum = 0;
            for (int ky = 0; ky < 3; ky++)
            for (int kx = 0; kx < 3; kx++)
            {
                int iy = oy + ky - pad, ix = ox + kx - pad;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                for (int i = 0; i < c; i++)
                {
                    sum += (double)x[((n * height + iy) * width + ix) * c + i] * w[((ky * 3 + kx) * c + i) * f + o];
                }
            }
            sum = sum * (scale?[o] ?? 1f) + (bias?[o] ?? 0f);
            y[((n * oh + oy) * ow + ox) * f + o] = activation switch
            {
                Activation.Relu => Math.Max(sum, 0),
                Activation.LeakyRelu => sum > 0 ? sum : alpha * sum,
                _ => sum,
            };
        }
        return y;
    }
}
