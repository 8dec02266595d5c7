using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;

namespace ConvGen.Tests.Training;

/// <summary>The ReLU layers training stores in the kernel, as inference does (see TrainingBufferPlan.StoresActivationInKernel).</summary>
[Network(Input = "5x5x3")]
[Conv2D(11, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Flatten]
[Dense(13, Activation = Activation.Relu)]
[Dense(2, Activation = Activation.Softmax)]
public sealed partial class ReluStoreNet;

/// <summary><see cref="ReluStoreNet"/> with linear layers: the sums before the ReLU.</summary>
[Network(Input = "5x5x3")]
[Conv2D(11, 3, Padding = Padding.Same)]
[Flatten]
[Dense(13)]
[Dense(2, Activation = Activation.Softmax)]
public sealed partial class LinearStoreNet;

/// <summary>
/// A ReLU stored by a kernel (the generated convolution's epilogue, the runtime's
/// <c>VectorOps.Relu</c> in the Dense, Winograd and other kernels) has the bits of the separate pass
/// training ran before, <c>TensorPrimitives.Max(x, 0)</c>: NaN stays NaN (a diverged network shows
/// as non-finite outputs, not zeros), -0 becomes +0.
/// </summary>
public sealed class ReluStoreTests
{
    private static readonly float[] Specials =
    {
        float.NaN, -float.NaN, -0f, 0f, float.Epsilon, -float.Epsilon, 1e-38f, -1e-38f, 1f, -1f,
        float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 3.5f, -2.25f,
    };

    [Fact]
    public void Every_vector_width_has_the_bits_of_TensorPrimitives_Max()
    {
        var values = new float[64];
        var random = new SeededRandom(3);
        for (int i = 0; i < values.Length; i++) values[i] = i < Specials.Length ? Specials[i] : (random.NextSingle() - 0.5f) * 10f;
        var expected = new float[values.Length];
        TensorPrimitives.Max(values, 0f, expected);
        for (int i = 0; i < values.Length; i++)
        {
            AssertSameBits(expected[i], ScalarOps.Relu(values[i]), $"scalar relu({values[i]})");
        }
        for (int i = 0; i < values.Length; i += 8)
        {
            var v = Vector256Ops.Relu(Vector256.Create(values, i));
            for (int k = 0; k < 8; k++) AssertSameBits(expected[i + k], v[k], $"Vector256 relu({values[i + k]})");
        }
        for (int i = 0; i < values.Length; i += 16)
        {
            var v = Vector512Ops.Relu(Vector512.Create(values, i));
            for (int k = 0; k < 16; k++) AssertSameBits(expected[i + k], v[k], $"Vector512 relu({values[i + k]})");
        }
    }

    [Fact]
    public void Training_stores_each_ReLU_layer_with_the_bits_of_the_separate_pass_over_its_sums()
    {
        const int batch = 3;
        var relu = ReluStoreNet.Create(7);
        var linear = LinearStoreNet.Create(7);
        Assert.Equal(ReluStoreNet.ParameterCount, LinearStoreNet.ParameterCount);
        var random = new SeededRandom(5);
        var parameters = new float[ReluStoreNet.ParameterCount];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = random.NextSingle() - 0.5f;
        // Convolution filter 0's weights and bias -0 and the inputs +0 at sample 0: sums of -0 there
        // (-0 * 0 + -0), which the ReLU makes +0.
        for (int t = 0; t < 27; t++) parameters[t * 11] = -0f;
        parameters[27 * 11] = -0f;
        parameters.CopyTo(relu.Parameters);
        parameters.CopyTo(linear.Parameters);

        var inputs = new float[batch * relu.InputShape.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle() - 0.5f;
        inputs.AsSpan(0, 75).Clear();
        inputs[75 + 12 * 3 + 1] = float.NaN; // sample 1: NaN through the convolution's window and the Dense

        var reluWorkspace = (ReluStoreNet.TrainingWorkspace)relu.CreateTrainingWorkspace(batch);
        var linearWorkspace = (LinearStoreNet.TrainingWorkspace)linear.CreateTrainingWorkspace(batch);
        relu.ForwardTraining(inputs, reluWorkspace, batch, DropoutContext.Off);
        linear.ForwardTraining(inputs, linearWorkspace, batch, DropoutContext.Off);

        var convolution = new float[batch * 5 * 5 * 11];
        TensorPrimitives.Max(linearWorkspace.Layer0Output.AsSpan(0, convolution.Length), 0f, convolution);
        int nan = 0, negativeZeroSums = 0;
        for (int i = 0; i < convolution.Length; i++)
        {
            AssertSameBits(convolution[i], reluWorkspace.Layer0Output[i], $"convolution output {i}");
            if (float.IsNaN(convolution[i])) nan++;
            if (BitConverter.SingleToInt32Bits(linearWorkspace.Layer0Output[i]) == int.MinValue) negativeZeroSums++;
        }
        Assert.True(nan > 0 && negativeZeroSums > 0, $"{nan} NaN outputs, {negativeZeroSums} sums of -0");

        // The Dense over the ReLU net's own convolution output (the linear net's Dense read other
        // values): its sums from the runtime kernel the layer calls, with no activation.
        var sums = new float[batch * 13];
        DenseKernels.Forward(reluWorkspace.Layer0Output.AsSpan(0, convolution.Length), relu.DenseWeight, relu.DenseBias, sums, batch, 275, 13, Activation.Linear, 0f);
        var dense = new float[sums.Length];
        TensorPrimitives.Max(sums, 0f, dense);
        for (int i = 0; i < dense.Length; i++)
        {
            AssertSameBits(dense[i], reluWorkspace.Layer2Output[i], $"Dense output {i}");
        }
        Assert.Contains(dense, float.IsNaN);
    }

    private static void AssertSameBits(float expected, float actual, string what) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{what}: {actual}, expected {expected}");
}
