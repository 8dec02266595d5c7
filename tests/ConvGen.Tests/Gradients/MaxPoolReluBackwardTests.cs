using System;
using ConvGen.Data;
using ConvGen.Kernels;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// A ReLU convolution read only by a 2x2 max pool: 7x7 maps leave a row and a column no window
/// covers, and 12 filters give the pool's backward a vector of 8 channels and a scalar tail of 4.
/// </summary>
[Network(Input = "9x9x2")]
[Conv2D(12, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(5)]
public sealed partial class ReluPoolNet;

/// <summary>
/// The max pool's backward applies the ReLU derivative of the layer it pools and writes the
/// cells its windows tile instead of clearing and adding: the conv's output gradient must be,
/// bit for bit, what the unfused passes give (clear, add each window's gradient at the first cell
/// that holds its maximum, then TrainingKernels.ActivationBackward), uncovered cells included.
/// </summary>
public sealed class MaxPoolReluBackwardTests
{
    private const int Batch = 3;
    private const int Height = 7, Width = 7, Channels = 12, Pooled = 3;

    [Fact]
    public void The_fused_pool_backward_gives_the_bits_of_the_pool_backward_then_the_relu_derivative()
    {
        var network = ReluPoolNet.Create(5);
        var workspace = (ReluPoolNet.TrainingWorkspace)network.CreateTrainingWorkspace(Batch);
        var random = new SeededRandom(8);
        var inputs = new float[Batch * network.InputShape.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle() - 0.5f;
        network.ForwardTraining(inputs, workspace, Batch, DropoutContext.Off);
        for (int i = 0; i < workspace.OutputGradient.Length; i++) workspace.OutputGradient[i] = random.NextSingle() - 0.5f;
        // Stale values in the gradient buffers: every cell the pool's backward owns must be written.
        workspace.GradientA.AsSpan().Fill(float.NaN);
        workspace.GradientB.AsSpan().Fill(float.NaN);

        network.Backward(inputs, workspace, Batch, gradientIsForLogits: true);

        // Backward: the Dense input gradient (the pool's output gradient) lands in GradientB, the
        // pool's input gradient (the conv's output gradient, ReLU applied) in GradientA.
        int length = Height * Width * Channels;
        var convOutput = workspace.Layer0Output.AsSpan(0, Batch * length);
        var expected = ReferencePoolBackward(convOutput, workspace.Layer1Output, workspace.GradientB);
        // ReLU's derivative reads only its output; training keeps no value before a ReLU its kernel stores.
        TrainingKernels.ActivationBackward(Activation.Relu, 0f, convOutput, convOutput, expected, Channels);
        int masked = 0, passed = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(workspace.GradientA[i]),
                $"cell {i}: {workspace.GradientA[i]} fused, {expected[i]} unfused");
            if (expected[i] != 0f) passed++;
        }
        // The case must exercise both sides of the mask: windows whose maximum is 0 (all ReLU-clamped) and windows that pass.
        for (int i = 0; i < Batch * Pooled * Pooled * Channels; i++)
        {
            if (workspace.Layer1Output[i] == 0f) masked++;
        }
        Assert.True(masked > 0 && passed > 0, $"{masked} masked windows, {passed} cells passed");
    }

    /// <summary>The unfused max-pool backward: a cleared gradient, each window's gradient added at the first cell (row-major) that holds its maximum.</summary>
    private static float[] ReferencePoolBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient)
    {
        var inputGradient = new float[Batch * Height * Width * Channels];
        for (int n = 0; n < Batch; n++)
        for (int oy = 0; oy < Pooled; oy++)
        for (int ox = 0; ox < Pooled; ox++)
        for (int c = 0; c < Channels; c++)
        {
            int cell = ((n * Pooled + oy) * Pooled + ox) * Channels + c;
            bool open = true;
            for (int ky = 0; ky < 2 && open; ky++)
            for (int kx = 0; kx < 2 && open; kx++)
            {
                int at = ((n * Height + 2 * oy + ky) * Width + 2 * ox + kx) * Channels + c;
                if (input[at] == output[cell])
                {
                    inputGradient[at] += outputGradient[cell];
                    open = false;
                }
            }
        }
        return inputGradient;
    }
}
