using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Freezing: a frozen layer receives no gradient (its part of the gradient buffer is left as it
/// was), and every other layer gets exactly what it gets with nothing frozen, including layers
/// below a frozen one (the gradient must still flow through it). Backward adds into the
/// gradient buffer rather than overwriting it, and reads nothing of a reused workspace past the
/// current batch.
/// </summary>
public sealed class FrozenLayerGradientTests(FrozenLayerGradientTests.Networks networks)
    : IClassFixture<FrozenLayerGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(FrozenLayerGradientTests), new[] { Net });

    /// <summary>Layers 0, 1, 4 and 5 have parameters; 2 and 3 have none.</summary>
    internal static readonly ForwardCase Net = new("FrozenGradientNet", 6, 6, 2,
        new Conv2DLayer(4, 3, 3, Same: true, Activation: Activation.Tanh),
        new Conv2DLayer(5, 2, 2),
        new Pool2DLayer(true, 2, 2),
        new FlattenLayer(),
        new DenseLayer(6, Activation.Tanh),
        new DenseLayer(3));

    private const int Batch = 3;

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Fact]
    public void Unfrozen_gradients_match_finite_differences()
    {
        var network = (ITrainableNetwork)networks.Create(Net.Name);
        var weights = SeededData.Uniform(Batch * network.OutputShape.Length, SeededData.Seed(Net.Name, 1));
        GradientCheck.Run(network, Net, Batch, new ProjectionObjective(weights));
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 4 })]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 0, 4 })]
    [InlineData(new[] { 1, 5 })]
    [InlineData(new[] { 0, 1, 4 })]
    [InlineData(new[] { 4, 5 })]
    [InlineData(new[] { 0, 1, 4, 5 })]
    public void Frozen_layers_get_no_gradient_and_the_others_are_unchanged(int[] frozen)
    {
        var network = (ITrainableNetwork)networks.Create(Net.Name);
        var setup = GradientCheck.Prepare(network, Net, Batch);
        var workspace = setup.Workspace;
        var outputGradient = SeededData.Uniform(Batch * network.OutputShape.Length, SeededData.Seed(Net.Name, 2));

        float[] Backward()
        {
            outputGradient.CopyTo(workspace.OutputGradient);
            workspace.Gradients.Clear();
            network.Backward(setup.Inputs, workspace, Batch, gradientIsForLogits: false);
            return workspace.Gradients.ToArray();
        }

        var reference = Backward();
        foreach (int layer in frozen)
        {
            network.SetFrozen(layer, true);
        }
        for (int layer = 0; layer < Net.Layers.Count; layer++)
        {
            Assert.Equal(frozen.Contains(layer), network.IsFrozen(layer));
        }
        var gradients = Backward();

        foreach (var tensor in network.ParameterTensors)
        {
            var actual = gradients.AsSpan(tensor.Offset, tensor.Length);
            if (frozen.Contains(tensor.LayerIndex))
            {
                Assert.True(actual.IndexOfAnyExcept(0f) < 0, $"{tensor.Name} is frozen but got a gradient");
            }
            else
            {
                Assert.True(actual.SequenceEqual(reference.AsSpan(tensor.Offset, tensor.Length)),
                    $"{tensor.Name} is not frozen but its gradient changed when layers {string.Join(", ", frozen)} were frozen");
                Assert.True(actual.IndexOfAnyExcept(0f) >= 0, $"{tensor.Name} got no gradient");
            }
        }

        // Unfreezing restores the full gradient.
        foreach (int layer in frozen)
        {
            network.SetFrozen(layer, false);
        }
        Assert.Equal(reference, Backward());
    }

    [Fact]
    public void Backward_adds_to_the_gradients_already_there_and_leaves_frozen_ones_alone()
    {
        var network = (ITrainableNetwork)networks.Create(Net.Name);
        var setup = GradientCheck.Prepare(network, Net, Batch);
        var workspace = setup.Workspace;
        SeededData.Uniform(Batch * network.OutputShape.Length, SeededData.Seed(Net.Name, 3)).CopyTo(workspace.OutputGradient);
        workspace.Gradients.Clear();
        network.Backward(setup.Inputs, workspace, Batch, gradientIsForLogits: false);
        var fresh = workspace.Gradients.ToArray();

        network.SetFrozen(1, true);
        var existing = SeededData.Uniform(fresh.Length, SeededData.Seed(Net.Name, 4));
        existing.CopyTo(workspace.Gradients);
        network.Backward(setup.Inputs, workspace, Batch, gradientIsForLogits: false);

        var frozenTensors = network.ParameterTensors.Where(t => t.LayerIndex == 1).ToList();
        for (int i = 0; i < fresh.Length; i++)
        {
            bool frozen = frozenTensors.Any(t => i >= t.Offset && i < t.Offset + t.Length);
            double expected = frozen ? existing[i] : existing[i] + (double)fresh[i];
            double tolerance = frozen ? 0 : 1e-6 * (Math.Abs(existing[i]) + Math.Abs(fresh[i]));
            Assert.True(Math.Abs(workspace.Gradients[i] - expected) <= tolerance,
                $"parameter {i}: expected {expected:G7} ({(frozen ? "frozen, unchanged" : "existing + new")}), got {workspace.Gradients[i]:G7}");
        }
    }

    /// <summary>The trainer's last batch of an epoch is smaller: stale values past it in the workspace must not leak in.</summary>
    [Fact]
    public void A_workspace_reused_with_a_smaller_batch_gives_the_gradients_of_a_fresh_one()
    {
        var network = (ITrainableNetwork)networks.Create(Net.Name);
        var setup = GradientCheck.Prepare(network, Net, Batch);
        SeededData.Uniform(Batch * network.OutputShape.Length, SeededData.Seed(Net.Name, 5)).CopyTo(setup.Workspace.OutputGradient);
        network.Backward(setup.Inputs, setup.Workspace, Batch, gradientIsForLogits: false);

        const int smaller = 2;
        var inputs = SeededData.Uniform(smaller * network.InputShape.Length, SeededData.Seed(Net.Name, 6));
        var outputGradient = SeededData.Uniform(smaller * network.OutputShape.Length, SeededData.Seed(Net.Name, 7));
        float[] Gradients(ITrainingWorkspace workspace)
        {
            network.ForwardTraining(inputs, workspace, smaller, DropoutContext.Off);
            outputGradient.CopyTo(workspace.OutputGradient);
            workspace.Gradients.Clear();
            network.Backward(inputs, workspace, smaller, gradientIsForLogits: false);
            return workspace.Gradients.ToArray();
        }

        Assert.Equal(Gradients(network.CreateTrainingWorkspace(smaller)), Gradients(setup.Workspace));
    }
}
