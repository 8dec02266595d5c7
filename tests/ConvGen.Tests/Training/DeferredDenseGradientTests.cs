using System;
using System.Linq;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Two Dense layers large enough for the deferred weight gradient (300 x 260 without a bias, on the
/// flattened input itself, and 260 x 300 with one), then a small one that keeps the per-chunk path.
/// 260 units leave a 4-unit scalar tail after the vector strips; 300 inputs leave no row tail, the
/// 735 inputs of <see cref="SmallFashionNet"/> leave one of 3 rows.
/// </summary>
[Network(Input = "10x10x3")]
[Flatten]
[Dense(260, UseBias = false, Activation = Activation.Relu)]
[Dense(300, Activation = Activation.Relu)]
[Dense(7)]
public sealed partial class WideDenseNet;

/// <summary>
/// Large Dense layers' weight gradients made after backward, split over the threads by weight rows
/// (<see cref="DeferredDenseGradients"/>), give the same bits as the per-chunk path and its chunk
/// tree, for any thread count, and allocate nothing per step.
/// </summary>
public sealed class DeferredDenseGradientTests
{
    private static BatchBuffer Batch(INetwork network, int count, ulong seed, int capacity = 64)
    {
        var batch = new BatchBuffer(capacity, network.InputShape.Length, 1) { Count = count };
        var random = new SeededRandom(seed);
        for (int i = 0; i < batch.Inputs.Length; i++) batch.Inputs[i] = random.NextSingle() - 0.3f;
        for (int i = 0; i < count; i++) batch.Targets[i] = random.NextInt32(network.OutputShape.Length);
        return batch;
    }

    /// <summary>One step's gradient (and whether it was finite) with the deferred path on or off.</summary>
    private static (float[] Gradients, bool Finite, int Deferred) Step(ITrainableNetwork network, BatchBuffer batch, int threads, bool defer, bool checkFinite = true,
        float scale = 0f)
    {
        var gradients = new float[network.Parameters.Length];
        Array.Fill(gradients, float.NaN); // every value must be written
        var totals = default(Totals);
        using var runner = new StepRunner(network, new SparseSoftmaxCrossEntropy(), threads, 64, topK: 0) { DefersDenseWeights = defer };
        bool finite = runner.TrainBatch(batch, 5, 0, scale == 0f ? 1f / batch.Count : scale, gradients, ref totals, checkFinite);
        return (gradients, finite, runner.DeferredLayers);
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: gradient {i} is {actual[i]:R}, the per-chunk path's is {expected[i]:R}.");
            }
        }
    }

    [Theory]
    [InlineData(64)] // 8 chunks
    [InlineData(40)] // 4 chunks of 8 to 12
    [InlineData(24)] // 2 chunks
    [InlineData(12)] // 1 chunk
    public void Deferred_weight_gradients_equal_the_per_chunk_path_bit_for_bit_with_1_2_and_3_threads(int count)
    {
        var network = WideDenseNet.Create(3);
        var batch = Batch(network, count, seed: 9);
        var (expected, expectedFinite, none) = Step(network, batch, 1, defer: false);
        Assert.Equal(0, none);
        Assert.True(expectedFinite);
        Assert.Contains(expected.AsSpan(0, 300 * 260).ToArray(), g => g != 0f); // the deferred layers have gradients
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var (actual, finite, deferred) = Step(network, batch, threads, defer: true);
            Assert.Equal(2, deferred);
            Assert.True(finite);
            AssertSameBits(expected, actual, $"{threads} threads, batch {count}");
            var (unchecked_, _, _) = Step(network, batch, threads, defer: true, checkFinite: false);
            AssertSameBits(expected, unchecked_, $"{threads} threads, batch {count}, unchecked");
        }
    }

    [Fact]
    public void A_fashion_shaped_network_trains_to_the_same_weights_with_the_deferred_path_and_without()
    {
        float[] Train(int threads, bool defer)
        {
            var network = SmallFashionNet.Create(3); // Dense 735 x 96 after two convolutions, then Dropout
            var optimizer = new Adam(0.003f);
            var ranges = Trainer.TrainableRanges(network);
            var gradients = new float[network.Parameters.Length];
            using var runner = new StepRunner(network, new SparseSoftmaxCrossEntropy(), threads, 64, topK: 0) { DefersDenseWeights = defer };
            for (int step = 0; step < 4; step++)
            {
                var batch = Batch(network, step == 3 ? 36 : 64, seed: (ulong)step + 20); // the last one smaller: 4 chunks
                var totals = default(Totals);
                Assert.True(runner.TrainBatch(batch, (ulong)step, 0, 1f / batch.Count, gradients, ref totals, checkFinite: true));
                Assert.Equal(defer ? 1 : 0, runner.DeferredLayers);
                runner.Update(optimizer, gradients, ranges);
            }
            return network.Parameters.ToArray();
        }
        var expected = Train(1, defer: false);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            AssertSameBits(expected, Train(threads, defer: true), $"{threads} threads");
        }
    }

    [Fact]
    public void A_frozen_large_layer_is_not_deferred_and_keeps_a_zero_gradient()
    {
        var network = WideDenseNet.Create(4);
        var batch = Batch(network, 64, seed: 2);
        var gradients = new float[network.Parameters.Length];
        var totals = default(Totals);
        using var runner = new StepRunner(network, new SparseSoftmaxCrossEntropy(), 2, 64, topK: 0);
        runner.TrainBatch(batch, 1, 0, 1f / 64, gradients, ref totals);
        Assert.Equal(2, runner.DeferredLayers);
        network.SetFrozen(1, true); // the 300 x 260 layer on the input
        runner.TrainBatch(batch, 1, 0, 1f / 64, gradients, ref totals);
        Assert.Equal(1, runner.DeferredLayers);
        Assert.All(gradients.AsSpan(0, 300 * 260).ToArray(), g => Assert.Equal(0f, g));
        var (expected, _, _) = Step(network, batch, 1, defer: false);
        AssertSameBits(expected, gradients, "frozen first layer");
    }

    [Fact]
    public void A_non_finite_deferred_gradient_is_reported_as_the_per_chunk_path_reports_it()
    {
        var network = WideDenseNet.Create(5);
        // Input 123 of sample 17 is huge and meets zero weights (the forward pass stays finite),
        // and a large gradient scale makes its weight row's gradient, and only that, overflow.
        network.Parameters.Slice(123 * 260, 260).Clear();
        var batch = Batch(network, 64, seed: 3);
        batch.Inputs[17 * 300 + 123] = 3e38f;
        const float scale = 1e6f;
        var (expected, expectedFinite, _) = Step(network, batch, 1, defer: false, scale: scale);
        Assert.False(expectedFinite);
        // Non-finite in that row alone (where sample 17's ReLU passed a gradient).
        Assert.All(expected.Select((g, i) => (g, i)).Where(e => !float.IsFinite(e.g)), e => Assert.Equal(123, e.i / 260));
        Assert.Contains(expected.AsSpan(123 * 260, 260).ToArray(), g => !float.IsFinite(g));
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var (actual, finite, deferred) = Step(network, batch, threads, defer: true, scale: scale);
            Assert.Equal(2, deferred);
            Assert.False(finite);
            AssertSameBits(expected, actual, $"{threads} threads, overflowing row");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Steps_with_deferred_weight_gradients_allocate_nothing_after_the_first(int threads)
    {
        var network = WideDenseNet.Create(6);
        var batch = Batch(network, 64, seed: 4);
        var gradients = new float[network.Parameters.Length];
        using var runner = new StepRunner(network, new SparseSoftmaxCrossEntropy(), threads, 64, topK: 0);
        void Step()
        {
            var totals = default(Totals);
            runner.TrainBatch(batch, 1, 0, 1f / 64, gradients, ref totals, checkFinite: true);
        }
        Step();
        Step();
        GC.GetAllocatedBytesForCurrentThread(); // its first call in a process allocates
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++) // the least of three: a one-off runtime allocation shows in one round only
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) Step();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(2, runner.DeferredLayers);
        Assert.Equal(0, least);
    }
}
