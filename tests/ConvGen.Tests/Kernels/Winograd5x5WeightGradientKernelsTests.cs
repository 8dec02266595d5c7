using System;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The Winograd F(2x2, 5x5) weight gradient on every vector path against a plain double-precision direct weight
/// gradient: pads 0 to 4, odd map sizes (2x2 tiles past the edge), channel counts that fall from vectors to scalars,
/// batches of 1 to 5 (several blocks of tiles), with and without a bias gradient, added to what the buffers held;
/// within 1e-4 of the gradient's scale. Also: a call allocates nothing once its scratch has grown, repeated calls give
/// the same bits, and bad arguments are refused with a message that names them.
/// </summary>
public sealed class Winograd5x5WeightGradientKernelsTests
{
    /// <summary>The accuracy bound: the largest error over the largest gradient magnitude.</summary>
    private const double RelativeBound = 1e-4;

    public static TheoryData<string, int, int, int, int, int, int> Shapes()
    {
        var rows = new TheoryData<string, int, int, int, int, int, int>();
        var shapes = new (int Batch, int Height, int Width, int C, int F, int Pad)[]
        {
            (1, 5, 5, 1, 1, 0), (2, 14, 14, 32, 64, 2), (3, 15, 13, 70, 70, 2), (5, 7, 9, 17, 20, 1), (1, 9, 7, 64, 32, 3),
            (4, 11, 11, 33, 48, 4), (2, 6, 5, 20, 9, 1), (1, 1, 1, 3, 5, 2), (3, 8, 8, 16, 16, 0), (2, 13, 5, 5, 64, 4),
        };
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        foreach (var (batch, h, w, c, f, pad) in shapes)
        {
            rows.Add(path, batch, h, w, c, f, pad);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_a_direct_weight_gradient(string pathName, int batch, int height, int width, int c, int f, int pad)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var rng = new Random(batch * 100000 + height * 1000 + width * 100 + c + f + pad);
        int oh = height + 2 * pad - 4, ow = width + 2 * pad - 4;
        var x = Random(rng, batch * height * width * c, 1f);
        var dy = Random(rng, batch * oh * ow * f, 1f);
        var (expected, expectedBias) = Direct(x, dy, batch, height, width, c, f, pad);
        foreach (bool useBias in new[] { false, true })
        {
            // Added to what was there: start from values the reference adds too.
            var start = Random(rng, 25 * c * f, 0.5f);
            var dw = (float[])start.Clone();
            var db = new float[f];
            Winograd5x5WeightGradientKernels.WeightGradient5x5(path, x, dy, dw, useBias ? db : default, batch, height, width, c, f, pad);
            double largest = 0, error = 0;
            for (int i = 0; i < dw.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(expected[i]));
                error = Math.Max(error, Math.Abs(dw[i] - start[i] - expected[i]));
            }
            Assert.True(error <= RelativeBound * Math.Max(largest, 1e-3),
                $"F(2x2, 5x5) weight gradient {path} batch {batch} {height}x{width}x{c}->{f} pad {pad}: error {error:G3} against gradients up to {largest:G3}");
            for (int o = 0; o < f; o++)
            {
                Assert.Equal(useBias ? expectedBias[o] : 0, db[o], 1e-3 * Math.Max(1, Math.Abs(expectedBias[o])));
            }
        }
    }

    [Fact]
    public void Repeated_calls_give_the_same_bits()
    {
        // Several blocks of tiles (3 samples of 64 tiles, 70 + 70 channels) and scalar channel tails.
        const int batch = 3, height = 15, width = 15, c = 70, f = 70, pad = 2;
        var rng = new Random(7);
        var x = Random(rng, batch * height * width * c, 1f);
        var dy = Random(rng, batch * height * width * f, 1f);
        var first = new float[25 * c * f];
        var second = new float[25 * c * f];
        Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, first, default, batch, height, width, c, f, pad);
        // A different layer in between leaves other values in the thread's scratch.
        Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, new float[25 * 16 * 16], default, 1, 9, 9, 16, 16, 1);
        Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, second, default, batch, height, width, c, f, pad);
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_call_allocates_nothing_once_its_scratch_has_grown()
    {
        const int batch = 8, height = 14, width = 14, c = 32, f = 64;
        var x = new float[batch * height * width * c];
        var dy = new float[batch * height * width * f];
        var dw = new float[25 * c * f];
        var db = new float[f];
        Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, dw, db, batch, height, width, c, f, 2);
        // The least of three rounds of calls: an allocation per call shows in every round, a one-off by the
        // runtime on this thread (a tiering step; a full test run once counted 7,920 bytes) in one round only.
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int call = 0; call < 3; call++)
            {
                Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, dw, db, batch, height, width, c, f, 2);
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        var x = new float[5 * 5 * 4];
        var dy = new float[5 * 5 * 8];
        var dw = new float[25 * 4 * 8];
        var pad = Assert.Throws<ArgumentOutOfRangeException>(() => Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, dw, default, 1, 5, 5, 4, 8, 5));
        Assert.Contains("pad 5", pad.Message);
        var small = Assert.Throws<ArgumentOutOfRangeException>(() => Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, dw, default, 1, 3, 3, 4, 8, 0));
        Assert.Contains("3x3x4 inputs with pad 0", small.Message);
        var weights = Assert.Throws<ArgumentException>(() => Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, dw.AsSpan(1), default, 1, 5, 5, 4, 8, 2));
        Assert.Contains("weightGradient holds 799 floats, expected 800", weights.Message);
        var gradient = Assert.Throws<ArgumentException>(() => Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy.AsSpan(0, 10), dw, default, 1, 5, 5, 4, 8, 2));
        Assert.Contains("outputGradient holds 10 floats", gradient.Message);
        var bias = Assert.Throws<ArgumentException>(() => Winograd5x5WeightGradientKernels.WeightGradient5x5(x, dy, dw, new float[7], 1, 5, 5, 4, 8, 2));
        Assert.Contains("biasGradient holds 7 floats, expected 8", bias.Message);
    }

    private static float[] Random(Random rng, int length, float range)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1) * range;
        return values;
    }

    /// <summary>The weight and bias gradients in doubles, term by term: the reference the fast algorithm must stay near.</summary>
    private static (double[] Weights, double[] Bias) Direct(float[] x, float[] dy, int batch, int height, int width, int c, int f, int pad)
    {
        int oh = height + 2 * pad - 4, ow = width + 2 * pad - 4;
        var dw = new double[25 * c * f];
        var db = new double[f];
        for (int n = 0; n < batch; n++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            int at = ((n * oh + oy) * ow + ox) * f;
            for (int o = 0; o < f; o++) db[o] += dy[at + o];
            for (int ky = 0; ky < 5; ky++)
            for (int kx = 0; kx < 5; kx++)
            {
                int iy = oy + ky - pad, ix = ox + kx - pad;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                for (int i = 0; i < c; i++)
                {
                    double xi = x[((n * height + iy) * width + ix) * c + i];
                    int row = ((ky * 5 + kx) * c + i) * f;
                    for (int o = 0; o < f; o++) dw[row + o] += xi * dy[at + o];
                }
            }
        }
        return (dw, db);
    }
}
