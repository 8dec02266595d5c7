using System;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.Parallel;
using ConvGen.Tests.Infrastructure;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// BatchNorm normalises over the whole batch however many threads share it: the threads
/// exchange their parts' statistics (and backward's sums) at a barrier, so a batch split over
/// threads computes what one thread computes over the whole batch, and a thread with one sample
/// does not reduce BatchNorm to its β.
/// </summary>
public sealed class WholeBatchStatisticsTests
{
    private const int Batch = 7;

    [Theory]
    [InlineData(new[] { 4, 3 })]
    [InlineData(new[] { 3, 2, 2 })]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1 })]
    public void A_batch_split_over_threads_normalises_and_backpropagates_like_the_whole_batch(int[] parts)
    {
        var network = ResidualShapesNet.Create(5);
        var data = SyntheticData.Shapes(Batch, 4);
        float[] inputs = data.Inputs.ToArray();
        int outputLength = network.OutputShape.Length;
        float[] outputGradient = SeededData.Uniform(Batch * outputLength, 77);

        // One thread, the whole batch.
        var whole = network.CreateTrainingWorkspace(Batch);
        network.ForwardTraining(inputs, whole, Batch, DropoutContext.Off, batchStatistics: true);
        float[] expectedOutputs = whole.Outputs[..(Batch * outputLength)].ToArray();
        outputGradient.CopyTo(whole.OutputGradient);
        whole.Gradients.Clear();
        network.Backward(inputs, whole, Batch, gradientIsForLogits: true);
        float[] expectedGradients = whole.Gradients.ToArray();

        // The same batch split over threads that share it.
        using var group = new BatchParts(parts.Length);
        group.Begin(parts.Length);
        var workspaces = parts.Select(count => network.CreateTrainingWorkspace(count)).ToArray();
        var starts = parts.Select((_, p) => parts.Take(p).Sum()).ToArray();
        System.Threading.Tasks.Parallel.For(0, parts.Length, new ParallelOptions { MaxDegreeOfParallelism = parts.Length }, p =>
        {
            var workspace = workspaces[p];
            workspace.Share = group.ShareOf(p);
            var part = inputs.AsSpan(starts[p] * network.InputShape.Length, parts[p] * network.InputShape.Length);
            network.ForwardTraining(part, workspace, parts[p], DropoutContext.Off, batchStatistics: true);
            outputGradient.AsSpan(starts[p] * outputLength, parts[p] * outputLength).CopyTo(workspace.OutputGradient);
            workspace.Gradients.Clear();
            network.Backward(part, workspace, parts[p], gradientIsForLogits: true);
        });

        for (int p = 0; p < parts.Length; p++)
        {
            NumericAssert.Near(expectedOutputs.AsSpan(starts[p] * outputLength, parts[p] * outputLength).ToArray(),
                workspaces[p].Outputs[..(parts[p] * outputLength)].ToArray(), $"outputs of part {p} of {string.Join("+", parts)}");
        }
        var summed = new float[expectedGradients.Length];
        foreach (var workspace in workspaces)
        {
            for (int i = 0; i < summed.Length; i++) summed[i] += workspace.Gradients[i];
        }
        NumericAssert.Near(expectedGradients, summed, $"parameter gradients of {string.Join("+", parts)}");
    }

    [Fact]
    public void One_sample_per_thread_trains_like_one_thread()
    {
        var data = SyntheticData.Shapes(96, 6);
        float[] Train(int threads)
        {
            var network = DenseBatchNormNet.Create(3);
            network.Fit(data, new TrainingOptions
            {
                Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(0.01f), Epochs = 3, BatchSize = 4,
                Seed = 8, Threads = threads, Progress = null,
            });
            return network.Parameters.ToArray();
        }
        float[] one = Train(1);
        float[] four = Train(4);
        Assert.NotEqual(DenseBatchNormNet.Create(3).Parameters.ToArray(), one);
        // Not bit-identical (the statistics are merged from parts, the gradients summed per
        // thread), but 72 steps apart only by rounding. Per-thread statistics of one sample
        // would have zeroed the Dense layer's gradient and left its weights where they started.
        float largest = one.Zip(four, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest < 1e-3f, $"weights after 1 and 4 threads differ by up to {largest}");
    }

    [Fact]
    public void A_failing_thread_releases_the_others_and_its_error_is_the_one_reported()
    {
        const int Channels = 3;
        using var pool = new WorkerPool(3);
        using var group = new BatchParts(3);
        group.Begin(3);
        var error = Assert.Throws<System.IO.InvalidDataException>(() => pool.Run(part =>
        {
            try
            {
                if (part == 2)
                {
                    throw new System.IO.InvalidDataException("sample 13: label 9 is not one of the 4 classes");
                }
                // Parts 0 and 1 wait at the statistics barrier for part 2, which never comes.
                float[] rows = SeededData.Uniform(2 * Channels, (ulong)part);
                var statistics = new float[4 * Channels];
                ConvGen.Kernels.BatchNormKernels.TrainingForward(rows, new float[rows.Length], new float[rows.Length],
                    Enumerable.Repeat(1f, Channels).ToArray(), new float[Channels], 1e-3f,
                    statistics.AsSpan(0, Channels), statistics.AsSpan(Channels, Channels), statistics.AsSpan(2 * Channels, Channels), group.ShareOf(part));
            }
            catch
            {
                group.Abort();
                throw;
            }
        }));
        Assert.Contains("label 9", error.Message);
        Assert.True(group.Aborted);
    }
}
