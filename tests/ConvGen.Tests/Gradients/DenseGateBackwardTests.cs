using System;
using ConvGen.Data;
using ConvGen.Kernels;

namespace ConvGen.Tests.Gradients;

/// <summary>fashion's head in small: a ReLU Dense read only by a Dropout read only by a Dense.</summary>
[Network(Input = "3x3x2")]
[Flatten]
[Dense(13, Activation = Activation.Relu)]
[Dropout(0.5)]
[Dense(5)]
public sealed partial class DenseDropoutHeadNet;

/// <summary>
/// The last Dense's input gradient goes back through the Dropout's mask and the ReLU's
/// derivative as it is stored (no DropoutBackward or ActivationBackward pass of their own): the
/// ReLU Dense's output gradient must be, bit for bit, what the unfused passes give.
/// </summary>
public sealed class DenseGateBackwardTests
{
    private const int Batch = 6, Hidden = 13, Classes = 5;

    [Fact]
    public void The_gated_input_gradient_gives_the_bits_of_the_dropout_and_relu_passes()
    {
        var network = DenseDropoutHeadNet.Create(3);
        var workspace = (DenseDropoutHeadNet.TrainingWorkspace)network.CreateTrainingWorkspace(Batch);
        var random = new SeededRandom(11);
        var inputs = new float[Batch * network.InputShape.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle() - 0.5f;
        network.ForwardTraining(inputs, workspace, Batch, new DropoutContext(5, 0));
        for (int i = 0; i < Batch * Classes; i++) workspace.OutputGradient[i] = random.NextSingle() - 0.5f;
        workspace.GradientA.AsSpan().Fill(float.NaN);
        workspace.GradientB.AsSpan().Fill(float.NaN);

        network.Backward(inputs, workspace, Batch, gradientIsForLogits: true);

        // The unfused passes: the last Dense's plain input gradient, the mask, the ReLU's derivative.
        var expected = new float[Batch * Hidden];
        DenseKernels.InputGradient(network.Dense1Weight, workspace.OutputGradient.Slice(0, Batch * Classes), expected, Batch, Hidden, Classes);
        var mask = workspace.Layer2Mask.AsSpan(0, Batch * Hidden);
        var relu = workspace.Layer1Output.AsSpan(0, Batch * Hidden);
        TrainingKernels.DropoutBackward(mask, expected);
        TrainingKernels.ActivationBackward(Activation.Relu, 0f, relu, relu, expected, Hidden); // reads only the output
        int dropped = 0, clamped = 0, passed = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            // The backward's last swap leaves the ReLU Dense's output gradient in GradientB.
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(workspace.GradientB[i]),
                $"element {i}: {workspace.GradientB[i]} fused, {expected[i]} unfused");
            if (mask[i] == 0f) dropped++;
            else if (!(relu[i] > 0f)) clamped++;
            else passed++;
        }
        // Every side of the gate is exercised: dropped, ReLU-clamped and passed elements.
        Assert.True(dropped > 0 && clamped > 0 && passed > 0, $"dropped {dropped}, clamped {clamped}, passed {passed}");
    }
}
