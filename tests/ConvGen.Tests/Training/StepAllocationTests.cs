using System;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Training;

/// <summary>A small fashion-like network: padded convolutions (their kernels borrow a zero-bordered buffer), max pooling, dense layers.</summary>
[Network(Input = "12x12x1")]
[Conv2D(16, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(32, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(40, Activation = Activation.Relu)]
[Dense(5)]
public sealed partial class PaddedStepNet;

/// <summary>
/// Steady-state training steps of generated code allocate nothing: the padded kernels' scratch
/// buffers come from the shared array pool and go back to it, and no kernel boxes or captures.
/// Measured with the exact per-thread allocation counter (no timing).
/// </summary>
public sealed class StepAllocationTests
{
    [Fact]
    public void Forward_and_backward_after_warm_up_allocate_nothing() => AssertStepsAllocateNothing(new PaddedStepNet(), batch: 6);

    /// <summary>A 5x5 layer whose forward, weight gradient and input gradient run as Winograd F(2x2, 5x5): the runtime's per-thread scratch is kept between steps.</summary>
    [Fact]
    public void Winograd_5x5_steps_after_warm_up_allocate_nothing() => AssertStepsAllocateNothing(new Winograd5x5InputGradientNet(), batch: 4);

    private static void AssertStepsAllocateNothing(ITrainableNetwork network, int batch)
    {
        network.InitializeParameters(7);
        var inputs = SeededData.Uniform(batch * network.InputShape.Length, 11);
        var workspace = network.CreateTrainingWorkspace(batch);
        var dropout = new DropoutContext(3, 0);
        void Step()
        {
            network.ForwardTraining(inputs, workspace, batch, dropout);
            workspace.OutputGradient.Fill(0.1f);
            workspace.Gradients.Clear();
            network.Backward(inputs, workspace, batch, gradientIsForLogits: true);
        }
        Step();
        Step();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Contains(workspace.Gradients.ToArray(), g => g != 0f); // the step did run
    }
}
