using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Layers.Normalization;

/// <summary>
/// BatchNorm's running statistics and modes: after a training step they move towards the
/// statistics of the whole batch (momentum as in Keras / ONNX), the same whether the batch ran
/// on one thread or was split over several (each thread normalises with its own part, but the
/// parts are merged exactly for the running averages); evaluation passes leave them alone; a
/// frozen BatchNorm computes in training exactly what it computes at inference and keeps its
/// statistics.
/// </summary>
public sealed class BatchNormStatisticsTests(BatchNormStatisticsTests.Networks networks)
    : IClassFixture<BatchNormStatisticsTests.Networks>
{
    private const int BatchNormLayer = 1;
    private const int Channels = 5;
    private const float Momentum = 0.9f;

    public sealed class Networks() : NetworkFixture(nameof(BatchNormStatisticsTests), new[] { StatisticsCase });

    private static readonly ForwardCase StatisticsCase = new("BatchNormStatistics", 4, 5, 3,
        new Conv2DLayer(Channels, 3, 3, Same: true, UseBias: false), new BatchNormLayer(1e-3, Momentum),
        new ActivationLayer(Activation.Relu), new GlobalPool2DLayer(Max: false), new DenseLayer(2));

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 4, 3 })]
    [InlineData(new[] { 2, 0, 3, 2 })] // a thread without samples contributes nothing
    public void Running_statistics_move_towards_the_whole_batch_however_it_is_split(int[] parts)
    {
        var (network, inputs, batch) = Prepare();
        var oldMean = Stat(network, "running_mean");
        var oldVariance = Stat(network, "running_var");
        var (mean, variance) = ReferenceBatchNorm.Statistics(ConvOutput(network, inputs, batch));

        var workspaces = new List<ITrainingWorkspace>();
        int offset = 0;
        foreach (int count in parts)
        {
            var workspace = network.CreateTrainingWorkspace(Math.Max(count, 1));
            if (count > 0)
            {
                network.ForwardTraining(inputs.AsSpan(offset * network.InputShape.Length, count * network.InputShape.Length), workspace, count, new DropoutContext(1, offset));
            }
            workspaces.Add(workspace);
            offset += count;
        }
        ((IRunningStatistics)network).UpdateRunningStatistics(workspaces);

        var newMean = Stat(network, "running_mean");
        var newVariance = Stat(network, "running_var");
        for (int c = 0; c < Channels; c++)
        {
            NumericAssert.Near(Momentum * oldMean[c] + (1 - Momentum) * mean[c], newMean[c], 1e-6, $"running mean [{c}] with parts {string.Join("+", parts)}");
            NumericAssert.Near(Momentum * oldVariance[c] + (1 - Momentum) * variance[c], newVariance[c], 1e-6, $"running variance [{c}] with parts {string.Join("+", parts)}");
        }

        // The records are consumed: a second update without a new forward pass changes nothing.
        ((IRunningStatistics)network).UpdateRunningStatistics(workspaces);
        Assert.Equal(newMean, Stat(network, "running_mean"));
        Assert.Equal(newVariance, Stat(network, "running_var"));
    }

    [Fact]
    public void Running_statistics_are_saved_but_not_trained()
    {
        var network = networks.Create(StatisticsCase.Name);
        var tensors = network.ParameterTensors.Where(t => t.LayerIndex == BatchNormLayer).ToDictionary(t => t.Name, t => t.Trainable);
        Assert.Equal(new Dictionary<string, bool>
        {
            ["batch_normalization.gamma"] = true,
            ["batch_normalization.beta"] = true,
            ["batch_normalization.running_mean"] = false,
            ["batch_normalization.running_var"] = false,
        }, tensors);
        Assert.Equal(4 * Channels, network.Layers[BatchNormLayer].ParameterCount);
        Assert.Equal(2 * Channels, network.Layers[BatchNormLayer].NonTrainableParameterCount);
        Assert.Contains($"Non-trainable params: {2 * Channels}", ModelSummary.Format(network));
        // A fresh network starts as Keras does: gamma 1, beta 0, mean 0, variance 1.
        var fresh = (ITrainableNetwork)networks.Create(StatisticsCase.Name);
        fresh.InitializeParameters(3);
        Assert.All(fresh.Parameter("batch_normalization.gamma").ToArray(), v => Assert.Equal(1f, v));
        Assert.All(fresh.Parameter("batch_normalization.running_var").ToArray(), v => Assert.Equal(1f, v));
        Assert.All(fresh.Parameter("batch_normalization.running_mean").ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Evaluation_pass_uses_and_keeps_the_running_statistics()
    {
        var (network, inputs, batch) = Prepare();
        var before = network.Parameters.ToArray();
        var workspace = network.CreateTrainingWorkspace(batch);
        network.ForwardTraining(inputs, workspace, batch, DropoutContext.Off);
        ((IRunningStatistics)network).UpdateRunningStatistics(new[] { workspace });
        Assert.Equal(before, network.Parameters.ToArray());

        var predicted = new float[batch * 2];
        network.Predict(inputs, predicted);
        NumericAssert.Near(predicted, workspace.Outputs[..predicted.Length], "evaluation pass against Predict");
    }

    // BatchNorm's mode is a flag of its own: batch statistics with dropout off, the running
    // statistics with dropout on; only a pass with batch statistics records them.
    [Fact]
    public void Batch_statistics_are_a_flag_of_their_own_apart_from_dropout()
    {
        var (network, inputs, batch) = Prepare();
        var statistics = (IRunningStatistics)network;
        var before = network.Parameters.ToArray();
        float[] Run(DropoutContext dropout, bool? batchStatistics, out ITrainingWorkspace workspace)
        {
            workspace = network.CreateTrainingWorkspace(batch);
            if (batchStatistics is { } flag)
            {
                network.ForwardTraining(inputs, workspace, batch, dropout, flag);
            }
            else
            {
                network.ForwardTraining(inputs, workspace, batch, dropout);
            }
            return workspace.Outputs[..(batch * 2)].ToArray();
        }

        float[] training = Run(new DropoutContext(5, 0), null, out _);
        float[] evaluation = Run(DropoutContext.Off, null, out _);
        Assert.NotEqual(training, evaluation);
        Assert.Equal(training, Run(DropoutContext.Off, batchStatistics: true, out var withoutDropout));
        Assert.Equal(evaluation, Run(new DropoutContext(5, 0), batchStatistics: false, out var withDropout));

        statistics.UpdateRunningStatistics(new[] { withDropout });
        Assert.Equal(before, network.Parameters.ToArray());
        statistics.UpdateRunningStatistics(new[] { withoutDropout });
        Assert.NotEqual(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Frozen_batch_norm_trains_like_inference_and_keeps_its_statistics()
    {
        var (network, inputs, batch) = Prepare();
        network.SetFrozen(BatchNormLayer, true);
        var before = network.Parameters.ToArray();
        var workspace = network.CreateTrainingWorkspace(batch);
        network.ForwardTraining(inputs, workspace, batch, new DropoutContext(5, 0));
        ((IRunningStatistics)network).UpdateRunningStatistics(new[] { workspace });
        Assert.Equal(before, network.Parameters.ToArray());

        var predicted = new float[batch * 2];
        network.Predict(inputs, predicted);
        NumericAssert.Near(predicted, workspace.Outputs[..predicted.Length], "frozen training pass against Predict");
    }

    // The trainer merges the statistics after every step, over its threads' workspaces as an
    // IReadOnlyList: walking that interface with foreach would allocate an enumerator per layer.
    [Fact]
    public void Merging_the_statistics_of_a_step_allocates_nothing()
    {
        var (network, inputs, batch) = Prepare();
        var statistics = (IRunningStatistics)network;
        var workspace = network.CreateTrainingWorkspace(batch);
        IReadOnlyList<ITrainingWorkspace> workspaces = new List<ITrainingWorkspace> { workspace, network.CreateTrainingWorkspace(1) };
        void Merge()
        {
            network.ForwardTraining(inputs, workspace, batch, DropoutContext.Off, batchStatistics: true);
            statistics.UpdateRunningStatistics(workspaces);
        }
        Merge();
        Merge();
        GC.GetAllocatedBytesForCurrentThread(); // its first call in a process allocates
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++) // the least of three rounds: a one-off allocation by the runtime shows in one only
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                Merge();
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }

    private (ITrainableNetwork Network, float[] Inputs, int Batch) Prepare()
    {
        const int batch = 7;
        var network = (ITrainableNetwork)networks.Create(StatisticsCase.Name);
        NetworkParameters.Randomize(network, SeededData.Seed(StatisticsCase.Name));
        var inputs = SeededData.Uniform(batch * network.InputShape.Length, SeededData.Seed(StatisticsCase.Name, batch));
        return (network, inputs, batch);
    }

    private static ReferenceTensor ConvOutput(INetwork network, float[] inputs, int batch)
    {
        var weights = NetworkParameters.Weights(network, 0, "HWIO", 3, 3, 3, Channels);
        var input = ReferenceTensor.FromNhwc(inputs, batch, 4, 5, 3);
        return ReferenceConv2D.Forward(input, weights, null, Channels, 3, 3, 1, 1, same: true);
    }

    private static float[] Stat(INetwork network, string role) => network.Parameter($"batch_normalization.{role}").ToArray();
}
