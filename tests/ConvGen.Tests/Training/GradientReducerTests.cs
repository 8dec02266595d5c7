using System;
using System.Collections.Generic;
using ConvGen.Distributed;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// The bucketed, overlapped gradient sum over processes, checked in one process against a
/// communicator that plays a second rank holding identical gradients (so every sum doubles).
/// </summary>
public sealed class GradientReducerTests
{
    [Fact]
    public void Buckets_are_whole_layers_from_the_top_down_and_cover_every_parameter_once()
    {
        var network = ShapesNet.Create(1); // conv 80, conv 1,168, dense 68 parameters
        Assert.Equal(new[] { (80, 1236), (0, 80) }, GradientReducer.Buckets(network, 100));
        Assert.Equal(new[] { (1248, 68), (80, 1168), (0, 80) }, GradientReducer.Buckets(network, 1));
        Assert.Equal(new[] { (0, 1316) }, GradientReducer.Buckets(network, 1 << 16));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 64)]
    [InlineData(2, 1)]
    [InlineData(2, 1 << 16)]
    public void Summed_gradients_equal_the_local_sum_over_both_ranks_exactly(int threads, int bucketValues)
    {
        var network = ShapesNet.Create(3);
        var batch = Batch(network, 12, seed: 4);
        var loss = new SparseSoftmaxCrossEntropy();
        var local = new float[network.Parameters.Length];
        var summed = new float[network.Parameters.Length];
        var totals = default(Totals);
        using (var runner = new StepRunner(network, loss, threads, 12, topK: 0))
        {
            runner.TrainBatch(batch, 7, 0, 1f / 12, local, ref totals);
        }
        var mirror = new MirrorCommunicator();
        using (var runner = new StepRunner(network, loss, threads, 12, topK: 0, mirror, bucketValues))
        {
            for (int step = 0; step < 2; step++) // the second step reuses the request slots
            {
                Array.Fill(summed, float.NaN);
                runner.TrainBatch(batch, 7, 0, 1f / 12, summed, ref totals);
                for (int i = 0; i < local.Length; i++)
                {
                    Assert.Equal(2 * local[i], summed[i]);
                }
            }
            Assert.Equal(runner.Reducer!.BucketCount * 2, mirror.Completed);
            Assert.Equal(0, mirror.InFlight);
            if (threads == 1)
            {
                // One thread reports after every layer with weights, the first layer included:
                // every bucket's sum is started inside backward.
                Assert.Equal(runner.Reducer.BucketCount, runner.Reducer.StartedDuringBackward);
            }
        }
    }

    [Fact]
    public void Sums_start_from_the_top_layer_down_while_backward_runs()
    {
        var network = ShapesNet.Create(3);
        var mirror = new MirrorCommunicator();
        var totals = default(Totals);
        using var runner = new StepRunner(network, new SparseSoftmaxCrossEntropy(), 1, 8, topK: 0, mirror, bucketValues: 1);
        runner.TrainBatch(Batch(network, 8, seed: 2), 1, 0, 1f / 8, new float[network.Parameters.Length], ref totals);
        Assert.Equal(new[] { 1248, 80, 0 }, mirror.StartOffsets);
        // The dense layer's sum was polled (progressed) while the convolutions were still differentiated.
        Assert.True(mirror.PolledBeforeLastStart, "no sum was polled before the last bucket started");
    }

    private static BatchBuffer Batch(INetwork network, int count, ulong seed)
    {
        var batch = new BatchBuffer(count, network.InputShape.Length, 1) { Count = count };
        var random = new SeededRandom(seed);
        for (int i = 0; i < batch.Inputs.Length; i++) batch.Inputs[i] = random.NextSingle();
        for (int i = 0; i < count; i++) batch.Targets[i] = random.NextInt32(network.OutputShape.Length);
        return batch;
    }

    /// <summary>Rank 0 of two, where rank 1 always holds the same values: a sum doubles them (exact in float).</summary>
    private sealed class MirrorCommunicator : ICommunicator
    {
        private readonly List<Memory<float>> _started = new();

        public int Rank => 0;
        public int Size => 2;
        public int Completed { get; private set; }
        public int InFlight { get; private set; }
        public List<int> StartOffsets { get; } = new();
        public bool PolledBeforeLastStart { get; private set; }
        private bool _polled;

        public void AllReduceSum(Span<float> values) => throw new InvalidOperationException("gradients must go through StartAllReduceSum");
        public void AllReduceSum(Span<double> values) { for (int i = 0; i < values.Length; i++) values[i] *= 2; }
        public void Broadcast(Span<float> values, int root = 0) { }
        public void Broadcast(Span<long> values, int root = 0) { }
        public void Barrier() { }

        public PendingSum StartAllReduceSum(Memory<float> values)
        {
            if (_polled) PolledBeforeLastStart = true;
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray<float>(values, out var segment)) StartOffsets.Add(segment.Offset);
            _started.Add(values);
            InFlight++;
            return new PendingSum(_started.Count - 1);
        }

        public bool Poll(PendingSum sum)
        {
            _polled = true;
            return false; // still travelling: the reducer must wait for it in Complete
        }

        public void Complete(PendingSum sum)
        {
            var span = _started[sum.Slot].Span;
            for (int i = 0; i < span.Length; i++) span[i] *= 2;
            InFlight--;
            Completed++;
            if (InFlight == 0) _started.Clear();
        }
    }
}
