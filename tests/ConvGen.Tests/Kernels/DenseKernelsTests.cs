using System;
using System.Collections.Generic;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The dense GEMM kernels on every vector path (Vector512, Vector256, scalar) against plain
/// double-precision loops. The shapes cover whole 6 x 4 and 4 x 4 tiles, their sample, row and
/// column edges, units that fall from 512-bit to 256-bit vectors to scalars, tiny layers, inputs
/// that span several of the forward's row blocks, and layers wide enough to pack their weights.
/// The generated-network tests run only the path this CPU prefers; this class runs all of them.
/// </summary>
public sealed class DenseKernelsTests
{
    public static TheoryData<string, int, int, int> Shapes()
    {
        var rows = new TheoryData<string, int, int, int>();
        var shapes = new (int Batch, int Inputs, int Units)[]
        {
            (1, 1, 1), (3, 5, 10), (4, 8, 64), (9, 13, 120), (5, 7, 84), (8, 33, 72), (2, 4, 200), (6, 21, 17),
            // more input rows than one forward row block (128): whole blocks, a short last block, and 129
            (9, 300, 80), (8, 256, 64), (5, 129, 130),
            // six-row tiles with a four-row remainder, the sample remainder of the input gradient's 6 x 4 tile
            (7, 10, 100),
            // wide layers whose strips are packed into a panel (units >= 512, batch >= 12): 6-, 3- and
            // 1-sample forward tiles, a short last row block, a vector and scalars after the strips
            (13, 300, 530), (17, 130, 600), (12, 6, 512),
            // one sample of a wide layer: no packing, the strips' one-sample tile
            (1, 9, 1030),
        };
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        {
            foreach (var (batch, inputs, units) in shapes)
            {
                rows.Add(path, batch, inputs, units);
            }
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_matches_plain_loops(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (x, w, b, g) = Operands(batch, inputs, units);
        foreach (var (activation, alpha) in new[] { (Activation.Linear, 0f), (Activation.Relu, 0f), (Activation.LeakyRelu, 0.1f) })
        {
            foreach (bool useBias in new[] { true, false })
            {
                var output = new float[batch * units];
                DenseKernels.Forward(path, x, w, useBias ? b : default, output, batch, inputs, units, activation, alpha);
                for (int n = 0; n < batch; n++)
                for (int u = 0; u < units; u++)
                {
                    double sum = useBias ? b[u] : 0;
                    for (int i = 0; i < inputs; i++) sum += (double)x[n * inputs + i] * w[i * units + u];
                    double expected = activation switch
                    {
                        Activation.Relu => Math.Max(sum, 0),
                        Activation.LeakyRelu => sum > 0 ? sum : alpha * sum,
                        _ => sum,
                    };
                    AssertClose(expected, output[n * units + u], inputs, $"{path} {activation} bias={useBias} y[{n},{u}]");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weight_gradient_accumulates_like_plain_loops(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (x, _, _, g) = Operands(batch, inputs, units);
        // Gradients accumulate: start from non-zero values.
        var dw = SeededData.Uniform(inputs * units, 41);
        var db = SeededData.Uniform(units, 42);
        var dw0 = (float[])dw.Clone();
        var db0 = (float[])db.Clone();
        DenseKernels.WeightGradient(path, x, g, dw, db, batch, inputs, units);
        for (int i = 0; i < inputs; i++)
        for (int u = 0; u < units; u++)
        {
            double sum = dw0[i * units + u];
            for (int n = 0; n < batch; n++) sum += (double)x[n * inputs + i] * g[n * units + u];
            AssertClose(sum, dw[i * units + u], batch, $"{path} dW[{i},{u}]");
        }
        for (int u = 0; u < units; u++)
        {
            double sum = db0[u];
            for (int n = 0; n < batch; n++) sum += g[n * units + u];
            AssertClose(sum, db[u], batch, $"{path} db[{u}]");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Input_gradient_matches_plain_loops(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (_, w, _, g) = Operands(batch, inputs, units);
        var dx = new float[batch * inputs];
        Array.Fill(dx, float.NaN); // overwritten, not accumulated
        DenseKernels.InputGradient(path, w, g, dx, batch, inputs, units);
        for (int n = 0; n < batch; n++)
        for (int i = 0; i < inputs; i++)
        {
            double sum = 0;
            for (int u = 0; u < units; u++) sum += (double)w[i * units + u] * g[n * units + u];
            AssertClose(sum, dx[n * inputs + i], units, $"{path} dx[{n},{i}]");
        }
    }

    /// <summary>
    /// The input gradient that goes on through a dropout mask and a ReLU's derivative as it is
    /// stored (fashion's Dense - ReLU - Dropout - Dense): bit for bit the plain input gradient
    /// followed by the two passes it replaces, with the mask alone, the ReLU alone, and both.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gated_input_gradient_matches_the_dropout_and_relu_passes(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (_, w, _, g) = Operands(batch, inputs, units);
        var random = new Random(batch * 1000 + inputs);
        // A dropout mask of 0 and 1/(1 - 0.4); a ReLU output with zeros, positives, -0 and NaN (not above 0: no gradient).
        var mask = new float[batch * inputs];
        var relu = new float[batch * inputs];
        for (int e = 0; e < mask.Length; e++)
        {
            mask[e] = random.NextDouble() < 0.4 ? 0f : 1f / 0.6f;
            relu[e] = (e % 7) switch { 0 => -0f, 1 => float.NaN, 2 or 3 => 0f, _ => (float)random.NextDouble() + 0.01f };
        }
        foreach (var (useMask, useRelu) in new[] { (true, false), (false, true), (true, true) })
        {
            var expected = new float[batch * inputs];
            DenseKernels.InputGradient(path, w, g, expected, batch, inputs, units);
            if (useMask) TrainingKernels.DropoutBackward(mask, expected);
            if (useRelu) TrainingKernels.ActivationBackward(Activation.Relu, 0f, relu, relu, expected, inputs);
            var actual = new float[batch * inputs];
            Array.Fill(actual, float.NaN); // overwritten, not accumulated
            DenseKernels.InputGradient(path, w, g, actual, batch, inputs, units, useMask ? mask : default, useRelu ? relu : default);
            for (int e = 0; e < actual.Length; e++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[e]) == BitConverter.SingleToInt32Bits(actual[e]),
                    $"{path} mask={useMask} relu={useRelu} dx[{e / inputs},{e % inputs}]: expected {expected[e]:R}, got {actual[e]:R}");
            }
        }
    }

    [Fact]
    public void Gated_input_gradient_names_a_mask_of_the_wrong_length()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            DenseKernels.InputGradient(new float[6], new float[6], new float[4], 2, 2, 3, new float[3], default));
        Assert.Contains("mask holds 3 floats, expected 4", error.Message);
        error = Assert.Throws<ArgumentException>(() =>
            DenseKernels.InputGradient(new float[6], new float[6], new float[4], 2, 2, 3, default, new float[5]));
        Assert.Contains("reluOutput holds 5 floats, expected 4", error.Message);
    }

    [Fact]
    public void Forward_rejects_an_activation_it_cannot_fuse()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            DenseKernels.Forward(new float[2], new float[2], default, new float[1], 1, 2, 1, Activation.Tanh, 0f));
        Assert.Contains("Tanh", error.Message);
    }

    [Fact]
    public void Wrong_lengths_name_the_operand()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            DenseKernels.InputGradient(new float[6], new float[3], new float[4], 2, 2, 3));
        Assert.Contains("outputGradient holds 3 floats, expected 6", error.Message);
    }

    private static (float[] X, float[] W, float[] B, float[] G) Operands(int batch, int inputs, int units) =>
        (SeededData.Uniform(batch * inputs, SeededData.Seed($"x{batch}.{inputs}.{units}")),
         SeededData.Uniform(inputs * units, SeededData.Seed($"w{batch}.{inputs}.{units}")),
         SeededData.Uniform(units, SeededData.Seed($"b{batch}.{inputs}.{units}")),
         SeededData.Uniform(batch * units, SeededData.Seed($"g{batch}.{inputs}.{units}")));

    /// <summary>Float sums of <paramref name="terms"/> products of values in [-1, 1]: error grows with the length.</summary>
    private static void AssertClose(double expected, float actual, int terms, string what)
    {
        double tolerance = 1e-6 * (terms + 1) + 1e-6 * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:G9}, got {actual:G9}");
    }
}
