using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ConvGen.Data;
using ConvGen.Distributed;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// The divergence checks across processes, after an overflowing update, and their cost: nothing
/// allocated on a step that is applied.
/// </summary>
public sealed class DivergenceGuardTests
{
    private static TrainingOptions Options(int epochs, Optimizer optimizer, int batchSize, int threads, ICommunicator? communicator = null, TextWriter? progress = null, params Callback[] callbacks)
    {
        var options = new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = optimizer,
            Epochs = epochs,
            BatchSize = batchSize,
            Shuffle = false,
            Seed = 11,
            Threads = threads,
            Progress = progress,
            Communicator = communicator,
        };
        foreach (var callback in callbacks) options.Callbacks.Add(callback);
        return options;
    }

    [Fact]
    public void Two_processes_stop_at_the_same_step_when_only_one_read_the_bad_sample()
    {
        var clean = SyntheticData.Shapes(64, 2);
        var inputs = clean.Inputs.ToArray();
        inputs[45 * 144 + 3] = float.NaN; // step 3 holds samples 32-47: process 0 reads 32-39, process 1 reads 40-47
        var data = new Dataset(inputs, clean.Targets.ToArray(), 64, 144, 1, clean.ClassNames);
        var shared = new ThreadRanks();
        var networks = new[] { ShapesNet.Create(5), ShapesNet.Create(6) };
        var histories = new History[2];
        var progress = new StringWriter();
        var failures = new Exception?[2];
        var threads = Enumerable.Range(0, 2).Select(rank => new Thread(() =>
        {
            try
            {
                histories[rank] = networks[rank].Fit(data, Options(3, new Adam(0.01f), batchSize: 8, threads: 1, new ThreadCommunicator(shared, rank), progress));
            }
            catch (Exception e)
            {
                failures[rank] = e;
                shared.Barrier.RemoveParticipant(); // let the other rank fail instead of waiting forever
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Null(failures[0]);
        Assert.Null(failures[1]);

        foreach (var history in histories)
        {
            Assert.Equal((NonFiniteValue.Input, 1, 3), (history.Stop!.Value, history.Stop.Epoch, history.Stop.Step));
        }
        Assert.Contains("sample 45 of the training data (read by process 1) has a non-finite input or target value", histories[0].Stop!.Message);
        Assert.Contains("sample 45 of the training data has a non-finite input value (NaN at input position 3", histories[1].Stop!.Message);
        Assert.Contains(histories[0].Stop!.Message, progress.ToString()); // only process 0 prints
        Assert.DoesNotContain(histories[1].Stop!.Message, progress.ToString());
        Assert.Equal(networks[0].Parameters.ToArray(), networks[1].Parameters.ToArray());

        // Two good steps of the global batch of 16, as one process would take them (each process's
        // share is one of the batch's two chunks of 8, so the all-reduce adds the same two sums).
        var reference = ShapesNet.Create(5);
        reference.Fit(clean.Subset(Enumerable.Range(0, 32).ToArray()), Options(1, new Adam(0.01f), batchSize: 16, threads: 2));
        Assert.Equal(reference.Parameters.ToArray(), networks[0].Parameters.ToArray());
    }

    [Fact]
    public void An_update_that_overflows_the_weights_falls_back_to_the_start_of_its_epoch()
    {
        float[]? afterFirstEpoch = null;
        var record = new LambdaCallback((context, _) => afterFirstEpoch ??= context.Network.Parameters.ToArray());
        var network = ShapesNet.Create(5);
        var optimizer = new OverflowingSgd(0.05f, overflowAtStep: 11); // step 3 of epoch 2
        var progress = new StringWriter();
        var history = network.Fit(SyntheticData.Shapes(64, 2), Options(3, optimizer, batchSize: 8, threads: 2, progress: progress, callbacks: record));

        var stop = history.Stop!;
        Assert.Equal(NonFiniteValue.Weights, stop.Value);
        Assert.Equal(2, stop.Epoch);
        Assert.Contains("an earlier update of this epoch made conv2d", stop.Message);
        Assert.Contains("The weights and optimizer state are back to those at the start of epoch 2.", stop.Message);
        Assert.Contains(stop.Message, progress.ToString());
        Assert.Single(history.Epochs);
        Assert.Equal(afterFirstEpoch, network.Parameters.ToArray());
        Assert.Equal(8, optimizer.StepCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_checks_allocate_nothing_on_a_step_that_is_applied(bool batchNorm)
    {
        ITrainableNetwork network = batchNorm ? ResidualShapesNet.Create(3) : ShapesNet.Create(3); // BatchNorm: running statistics to snapshot
        var options = Options(1, new Adam(0.01f), batchSize: 8, threads: 2);
        var history = new History();
        var guard = new DivergenceGuard(network, options, LocalCommunicator.Instance, history, new ProgressReporter(null));
        var batch = new BatchBuffer(8, 144, 1) { Count = 8 };
        var random = new SeededRandom(4);
        for (int i = 0; i < batch.Inputs.Length; i++) batch.Inputs[i] = random.NextSingle();
        for (int i = 0; i < 8; i++) batch.Targets[i] = random.NextInt32(4);
        batch.ScanForNonFinite(144, 1);
        var gradients = new float[network.Parameters.Length];
        var ranges = Trainer.TrainableRanges(network);
        using var runner = new StepRunner(network, options.Loss, 2, 8, topK: 0);
        guard.EpochStarted();
        var verdicts = new List<StepVerdict>(100);
        void Checked()
        {
            var totals = default(Totals);
            verdicts.Add(guard.CheckBatch(batch, 0, 0, 1));
            guard.BeforeStep();
            bool finite = runner.TrainBatch(batch, 1, 0, 1f / 8, gradients, ref totals, checkFinite: true);
            verdicts.Add(guard.Check(batch, totals.LossSum, totals.Samples, finite, gradients, 0, 0, 1));
            runner.Update(options.Optimizer, gradients, ranges); // two threads: the split update
        }
        void Unchecked()
        {
            var totals = default(Totals);
            runner.TrainBatch(batch, 1, 0, 1f / 8, gradients, ref totals);
            runner.Update(options.Optimizer, gradients, ranges); // two threads: the split update
        }

        long checkedBytes = AllocatedBytes(Checked);
        long uncheckedBytes = AllocatedBytes(Unchecked);

        Assert.All(verdicts, v => Assert.Equal(StepVerdict.Apply, v));
        Assert.Equal(uncheckedBytes, checkedBytes); // the checks add nothing
        if (!batchNorm)
        {
            Assert.Equal(0, checkedBytes);
        }
        Assert.Null(history.Stop);
    }

    /// <summary>Bytes allocated by 10 calls after two warm-up calls, the least of three rounds (a one-off runtime allocation shows in one round only).</summary>
    private static long AllocatedBytes(Action action)
    {
        action();
        action();
        GC.GetAllocatedBytesForCurrentThread();
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    [Fact]
    public void The_fused_gradient_sum_matches_plain_addition_and_finds_every_kind_of_non_finite_value()
    {
        var random = new SeededRandom(1);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 64, 1000, 4099 })
        {
            var x = Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1).ToArray();
            var y = Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1).ToArray();
            var sum = new float[length];
            Assert.True(Finiteness.AddAndCheck(x, y, sum));
            Assert.Equal(x.Zip(y, (a, b) => a + b).ToArray(), sum);
            Assert.True(Finiteness.All(sum));
            for (int at = 0; at < length; at += Math.Max(1, length / 5))
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue })
                {
                    float keep = x[at];
                    x[at] = bad;
                    y[at] = bad == float.MaxValue ? float.MaxValue : y[at]; // MaxValue + MaxValue overflows
                    bool finite = Finiteness.AddAndCheck(x, y, sum);
                    Assert.False(finite, $"length {length}, {bad} at {at}");
                    Assert.False(Finiteness.All(sum));
                    Assert.Equal(at, Finiteness.FirstNonFinite(sum));
                    Assert.False(Finiteness.CopyAndCheck(sum, new float[length]));
                    x[at] = keep;
                    y[at] = random.NextSingle();
                }
            }
        }
    }

    /// <summary>Plain SGD whose given step writes an infinity into the first weight, like an update too large for float.</summary>
    private sealed class OverflowingSgd(float learningRate, int overflowAtStep) : Optimizer(learningRate)
    {
        public override IReadOnlyDictionary<string, float[]> State { get; } = new Dictionary<string, float[]>();

        public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable)
        {
            BeginStep(parameters, gradients, trainable);
            foreach (var range in trainable)
            {
                for (int i = range.Offset; i < range.Offset + range.Length; i++) parameters[i] -= LearningRate * gradients[i];
            }
            if (StepCount == overflowAtStep) parameters[0] = float.NegativeInfinity;
        }

        public override void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount) => StepCount = stepCount;
    }

    private sealed class ThreadRanks
    {
        public Barrier Barrier { get; } = new(2);
        public object?[] Slots { get; } = new object?[2];
    }

    /// <summary>Two ranks as two threads of one process: sums in rank order, so both get the same bits.</summary>
    private sealed class ThreadCommunicator(ThreadRanks shared, int rank) : ICommunicator
    {
        public int Rank => rank;
        public int Size => 2;

        public void AllReduceSum(Span<float> values) => Sum(values);
        public void AllReduceSum(Span<double> values) => Sum(values);
        public void Broadcast(Span<float> values, int root = 0) => Copy(values, root);
        public void Broadcast(Span<long> values, int root = 0) => Copy(values, root);
        public void Barrier() => Wait();

        private void Sum<T>(Span<T> values) where T : struct, System.Numerics.IAdditionOperators<T, T, T>
        {
            shared.Slots[rank] = values.ToArray();
            Wait();
            var (a, b) = ((T[])shared.Slots[0]!, (T[])shared.Slots[1]!);
            for (int i = 0; i < values.Length; i++) values[i] = a[i] + b[i];
            Wait();
        }

        private void Copy<T>(Span<T> values, int root)
        {
            if (rank == root) shared.Slots[root] = values.ToArray();
            Wait();
            if (rank != root) ((T[])shared.Slots[root]!).CopyTo(values);
            Wait();
        }

        private void Wait()
        {
            if (!shared.Barrier.SignalAndWait(TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"rank {rank}: the other rank never reached the collective");
            }
        }
    }
}
