using System;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The Winograd F(2x2, 5x5) convolution on every vector path against a plain double-precision direct
/// convolution: maps whose 2x2 tiles overhang the edges (odd sizes), pads 0 to 4 (4 and 3: the input
/// gradients of unpadded and pad-1 layers), channel counts that fall from vectors to scalars, bias,
/// per-filter scale and fused activations; within 1e-4 of the output's scale. The same bound for a layer's
/// input gradient made through flipped, channel-swapped filters, as training makes it. Also: a picture split over
/// 2 and 3 row shares gives the bits of one share, a call allocates nothing once its scratch has grown,
/// and bad arguments are refused with a message that names them.
/// </summary>
public sealed class Winograd5x5KernelsTests
{
    /// <summary>The accuracy bound: the largest error over the largest output magnitude.</summary>
    private const double RelativeBound = 1e-4;

    public static TheoryData<string, int, int, int, int, int> Shapes()
    {
        var rows = new TheoryData<string, int, int, int, int, int>();
        var shapes = new (int Height, int Width, int C, int F, int Pad)[]
        {
            (1, 1, 1, 1, 2), (5, 5, 3, 5, 0), (7, 9, 17, 20, 1), (14, 14, 32, 64, 2), (13, 11, 33, 70, 2), (8, 8, 16, 16, 0), (3, 4, 8, 24, 4), (9, 7, 64, 40, 3), (6, 5, 20, 9, 1),
        };
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        foreach (var (h, w, c, f, pad) in shapes)
        {
            rows.Add(path, h, w, c, f, pad);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_a_direct_convolution(string pathName, int height, int width, int c, int f, int pad)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        const int batch = 2;
        var rng = new Random(height * 1000 + width * 100 + c + f + pad);
        var x = Random(rng, batch * height * width * c, 1f);
        var w = Random(rng, 25 * c * f, MathF.Sqrt(2f / (25 * c)));
        var b = Random(rng, f, 0.5f);
        var scale = Random(rng, f, 2f);
        int oh = height + 2 * pad - 4, ow = width + 2 * pad - 4;
        foreach (var (activation, useBias, useScale) in new[] { (Activation.Linear, false, false), (Activation.Relu, true, false), (Activation.LeakyRelu, true, true) })
        {
            var expected = Direct(x, w, useBias ? b : null, useScale ? scale : null, batch, height, width, c, f, pad, activation, 0.1f);
            var output = new float[batch * oh * ow * f];
            Winograd5x5Kernels.Conv5x5(path, w, useBias ? b : default, x, output, batch, height, width, c, f, pad, activation, 0.1f, useScale ? scale : default);
            double largest = 0, error = 0;
            for (int i = 0; i < output.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(expected[i]));
                error = Math.Max(error, Math.Abs(output[i] - expected[i]));
            }
            Assert.True(error <= RelativeBound * Math.Max(largest, 1e-3),
                $"F(2x2, 5x5) {path} {height}x{width}x{c}->{f} pad {pad} {activation}: error {error:G3} against outputs up to {largest:G3}");
        }
    }

    public static TheoryData<string, int, int, int, int, int> InputGradientShapes()
    {
        var rows = new TheoryData<string, int, int, int, int, int>();
        // The forward layer's input map, input channels, filters and padding: fashion's conv2 (14x14, 32 -> 64, pad 2),
        // unpadded (the gather padded by 4), pad 4 (the gather unpadded), odd maps, channels past whole vectors.
        var shapes = new (int Height, int Width, int C, int F, int Pad)[]
        {
            (14, 14, 32, 64, 2), (15, 15, 32, 32, 0), (11, 13, 33, 40, 1), (9, 7, 20, 36, 3), (6, 6, 17, 32, 4),
        };
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        foreach (var (h, w, c, f, pad) in shapes)
        {
            rows.Add(path, h, w, c, f, pad);
        }
        return rows;
    }

    /// <summary>
    /// The input gradient as the generated training code makes it when Winograd5x5InputGradientPlan applies: the
    /// filters flipped and channel-swapped by <c>TrainingKernels.TransposeKernel</c>, then this kernel on the output
    /// gradient with padding 4 minus the layer's, giving exactly the layer's input shape; against the input gradient
    /// summed in doubles from its definition.
    /// </summary>
    [Theory]
    [MemberData(nameof(InputGradientShapes))]
    public void The_input_gradient_through_flipped_filters_matches_a_direct_input_gradient(string pathName, int height, int width, int c, int f, int pad)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        const int batch = 2;
        int oh = height + 2 * pad - 4, ow = width + 2 * pad - 4;
        var rng = new Random(height * 1000 + width * 100 + c + f + pad);
        var w = Random(rng, 25 * c * f, MathF.Sqrt(2f / (25 * c)));
        var dy = Random(rng, batch * oh * ow * f, 1f);
        var flipped = new float[w.Length];
        TrainingKernels.TransposeKernel(w, flipped, 25, c, f, flipTaps: true);
        var dx = new float[batch * height * width * c];
        Winograd5x5Kernels.Conv5x5(path, flipped, default, dy, dx, batch, oh, ow, f, c, 4 - pad);

        var expected = new double[dx.Length];
        for (int n = 0; n < batch; n++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int ky = 0; ky < 5; ky++)
        for (int kx = 0; kx < 5; kx++)
        {
            int iy = oy + ky - pad, ix = ox + kx - pad;
            if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
            for (int i = 0; i < c; i++)
            {
                double sum = 0;
                for (int o = 0; o < f; o++)
                {
                    sum += (double)dy[((n * oh + oy) * ow + ox) * f + o] * w[((ky * 5 + kx) * c + i) * f + o];
                }
                expected[((n * height + iy) * width + ix) * c + i] += sum;
            }
        }
        double largest = 0, error = 0;
        for (int i = 0; i < dx.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(dx[i] - expected[i]));
        }
        Assert.True(error <= RelativeBound * Math.Max(largest, 1e-3),
            $"F(2x2, 5x5) input gradient {path} {height}x{width}x{c}->{f} pad {pad}: error {error:G3} against gradients up to {largest:G3}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_picture_split_over_row_shares_gives_the_same_bits(int parts)
    {
        // 11 rows of 2-row tiles: the shares' edges cut tiles; two samples: a share spans both.
        const int batch = 2, height = 11, width = 9, c = 32, f = 64;
        var rng = new Random(parts);
        var x = Random(rng, batch * height * width * c, 1f);
        var w = Random(rng, 25 * c * f, 0.05f);
        var b = Random(rng, f, 0.5f);
        var whole = new float[batch * height * width * f];
        Winograd5x5Kernels.Conv5x5(w, b, x, whole, batch, height, width, c, f, 2, Activation.Relu);
        var split = new float[whole.Length];
        for (int part = 0; part < parts; part++)
        {
            Winograd5x5Kernels.Conv5x5(w, b, x, split, new Rows(batch, part, parts, null), height, width, c, f, 2, Activation.Relu);
        }
        Assert.Equal(whole, split);
    }

    [Fact]
    public void A_call_allocates_nothing_once_its_scratch_has_grown()
    {
        const int height = 14, width = 14, c = 32, f = 64;
        var x = new float[height * width * c];
        var w = new float[25 * c * f];
        var b = new float[f];
        var y = new float[height * width * f];
        Winograd5x5Kernels.Conv5x5(w, b, x, y, 1, height, width, c, f, 2, Activation.Relu);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Winograd5x5Kernels.Conv5x5(w, b, x, y, 1, height, width, c, f, 2, Activation.Relu);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        var x = new float[5 * 5 * 4];
        var w = new float[25 * 4 * 8];
        var y = new float[5 * 5 * 8];
        var pad = Assert.Throws<ArgumentOutOfRangeException>(() => Winograd5x5Kernels.Conv5x5(w, default, x, y, 1, 5, 5, 4, 8, 5));
        Assert.Contains("pad 5", pad.Message);
        var small = Assert.Throws<ArgumentOutOfRangeException>(() => Winograd5x5Kernels.Conv5x5(w, default, x, y, 1, 3, 3, 4, 8, 0));
        Assert.Contains("3x3x4 input with pad 0", small.Message);
        var weights = Assert.Throws<ArgumentException>(() => Winograd5x5Kernels.Conv5x5(w.AsSpan(1), default, x, y, 1, 5, 5, 4, 8, 2));
        Assert.Contains("weights holds 799 floats, expected 800", weights.Message);
        var output = Assert.Throws<ArgumentException>(() => Winograd5x5Kernels.Conv5x5(w, default, x, y.AsSpan(0, 10), 1, 5, 5, 4, 8, 2));
        Assert.Contains("output holds 10 floats", output.Message);
        var fused = Assert.Throws<ArgumentException>(() => Winograd5x5Kernels.Conv5x5(w, default, x, y, 1, 5, 5, 4, 8, 2, Activation.Sigmoid));
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
        int oh = height + 2 * pad - 4, ow = width + 2 * pad - 4;
        var y = new double[batch * oh * ow * f];
        for (int n = 0; n < batch; n++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int o = 0; o < f; o++)
        {
            double sum = 0;
            for (int ky = 0; ky < 5; ky++)
            for (int kx = 0; kx < 5; kx++)
            {
                int iy = oy + ky - pad, ix = ox + kx - pad;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                for (int i = 0; i < c; i++)
                {
                    sum += (double)x[((n * height + iy) * width + ix) * c + i] * w[((ky * 5 + kx) * c + i) * f + o];
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
