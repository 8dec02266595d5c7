using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Batches read by the training threads during the step before (<see cref="InStepBatches"/>) are the
/// background reader's (<see cref="BatchPrefetcher"/>): the same rows, samples, augmentation, first
/// non-finite value and failures, however many threads read them, in whatever order, and when a step
/// that did not train left the next batch unread.
/// </summary>
public sealed class InStepBatchesTests
{
    private const int InputLength = 12;
    private const int TargetLength = 2;
    private const int Samples = 23;
    private const int BatchSize = 5;

    /// <summary>Adds a value drawn from the sample's stream to every input: any change in the seeding shows.</summary>
    private sealed class Jitter : ISampleAugmentation
    {
        public void Apply(Span<float> sample, ref SeededRandom random)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] += random.NextSingle();
        }
    }

    /// <summary>A source that throws when one sample is read.</summary>
    private sealed class Failing(IDataSource inner, int failingSample) : IDataSource
    {
        public int Count => inner.Count;
        public int InputLength => inner.InputLength;
        public int TargetLength => inner.TargetLength;
        public IReadOnlyList<string>? ClassNames => inner.ClassNames;

        public void Read(int index, Span<float> input, Span<float> target)
        {
            if (index == failingSample) throw new System.IO.IOException($"sample {index} is unreadable");
            inner.Read(index, input, target);
        }
    }

    private static Dataset Data(params (int Sample, int Index, float Value)[] bad)
    {
        var inputs = new float[Samples * InputLength];
        var targets = new float[Samples * TargetLength];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = i * 0.5f - 3f;
        for (int i = 0; i < targets.Length; i++) targets[i] = i % 7;
        foreach (var (sample, index, value) in bad)
        {
            if (index < InputLength) inputs[sample * InputLength + index] = value;
            else targets[sample * TargetLength + index - InputLength] = value;
        }
        return new Dataset(inputs, targets, Samples, InputLength, TargetLength);
    }

    private sealed record Batch(float[] Inputs, float[] Targets, int[] Samples, int BadRow, bool BadInTarget, int BadIndex, float BadValue);

    private static Batch Copy(BatchBuffer b) => new(
        b.Inputs.Take(b.Count * InputLength).ToArray(), b.Targets.Take(b.Count * TargetLength).ToArray(), b.Samples.Take(b.Count).ToArray(),
        b.NonFiniteRow, b.NonFiniteInTarget, b.NonFiniteIndex, b.NonFiniteRow >= 0 ? b.NonFiniteValue : 0f);

    /// <summary>An epoch's plan: a shuffled order, steps of the batch size, global positions offset as a process's share would be.</summary>
    private static (int[] Order, int[] Counts, int[] Positions) Plan()
    {
        var order = Enumerable.Range(0, Samples).Select(i => i * 7 % Samples).ToArray();
        var counts = Enumerable.Range(0, (Samples + BatchSize - 1) / BatchSize).Select(s => Math.Min(BatchSize, Samples - s * BatchSize)).ToArray();
        var positions = Enumerable.Range(0, Samples).Select(i => 100 + 2 * i).ToArray();
        return (order, counts, positions);
    }

    private static List<Batch> Read(ITrainingBatches batches, int epoch, Action<int>? duringStep = null)
    {
        var (order, counts, positions) = Plan();
        batches.Start(order, counts, positions, epoch);
        var read = new List<Batch>();
        for (int step = 0; step < counts.Length; step++)
        {
            var batch = batches.Next();
            read.Add(Copy(batch));
            duringStep?.Invoke(step);
            batches.Release(batch);
        }
        return read;
    }

    private static List<Batch> Background(IDataSource data, int epoch)
    {
        using var prefetcher = new BatchPrefetcher(data, BatchSize, new Jitter(), seed: 9);
        return Read(prefetcher, epoch);
    }

    /// <summary>The training threads' read-ahead, parts in reverse order; <paramref name="untrained"/> steps read nothing ahead (a skipped batch).</summary>
    private static List<Batch> InSteps(IDataSource data, int epoch, int parts, params int[] untrained)
    {
        using var batches = new InStepBatches(data, BatchSize, new Jitter(), seed: 9, parts);
        return Read(batches, epoch, step =>
        {
            if (untrained.Contains(step)) return;
            for (int p = parts - 1; p >= 0; p--) batches.ReadAhead(p);
        });
    }

    private static void AssertSame(List<Batch> expected, List<Batch> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int b = 0; b < expected.Count; b++)
        {
            Assert.Equal(expected[b].Inputs, actual[b].Inputs);
            Assert.Equal(expected[b].Targets, actual[b].Targets);
            Assert.Equal(expected[b].Samples, actual[b].Samples);
            Assert.Equal((expected[b].BadRow, expected[b].BadInTarget, expected[b].BadIndex), (actual[b].BadRow, actual[b].BadInTarget, actual[b].BadIndex));
            Assert.Equal(expected[b].BadValue, actual[b].BadValue);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)] // more parts than rows: some parts read nothing
    public void The_batches_are_the_background_readers_whatever_the_threads(int parts)
    {
        var data = Data();
        AssertSame(Background(data, epoch: 2), InSteps(data, epoch: 2, parts));
        AssertSame(Background(data, epoch: 3), InSteps(data, epoch: 3, parts, untrained: [0, 2]));
        Assert.NotEqual(Background(data, epoch: 2)[0].Inputs, InSteps(data, epoch: 3, parts)[0].Inputs); // the augmentation follows the epoch
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void The_first_non_finite_value_of_a_batch_is_the_one_the_background_reader_finds(int parts)
    {
        // Order i * 7 % 23: step 1 holds samples 12, 19, 3, 10, 17; step 2 1, 8, 15, 22, 6; step 3 13, 20, 4, 11, 18.
        var data = Data((10, 4, float.NaN), (17, 0, float.PositiveInfinity), (22, InputLength + 1, float.NegativeInfinity), (13, 3, float.NaN), (18, 2, float.NaN));
        var expected = Background(data, epoch: 0);
        Assert.Equal((-1, 3, 3, 0, -1), (expected[0].BadRow, expected[1].BadRow, expected[2].BadRow, expected[3].BadRow, expected[4].BadRow));
        Assert.True(expected[2].BadInTarget);
        AssertSame(expected, InSteps(data, epoch: 0, parts));
        AssertSame(expected, InSteps(data, epoch: 0, parts, untrained: [0, 2]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_failed_read_is_reported_when_its_batch_is_taken_and_names_the_cause(int parts)
    {
        var data = new Failing(Data(), failingSample: 6); // step 2's last row
        using var batches = new InStepBatches(data, BatchSize, null, seed: 9, parts);
        var (order, counts, positions) = Plan();
        batches.Start(order, counts, positions, epoch: 0);
        for (int step = 0; step < 2; step++)
        {
            var batch = batches.Next();
            for (int p = 0; p < parts; p++) batches.ReadAhead(p); // step 1's read-ahead meets the failure and keeps it
            batches.Release(batch);
        }
        var error = Assert.Throws<InvalidOperationException>(() => batches.Next());
        Assert.Contains("Reading a training batch failed", error.Message);
        Assert.Contains("sample 6 is unreadable", error.Message);
        Assert.IsType<System.IO.IOException>(error.InnerException);

        // Read at the step itself (nothing read ahead), the same report.
        batches.Start(order, counts, positions, epoch: 0);
        for (int step = 0; step < 2; step++) batches.Release(batches.Next());
        Assert.Contains("sample 6 is unreadable", Assert.Throws<InvalidOperationException>(() => batches.Next()).Message);
    }

    [Fact]
    public void A_failed_read_in_a_later_part_fails_the_batch_even_after_a_non_finite_row_in_an_earlier_one()
    {
        // Step 2 holds samples 1, 8, 15 (part 0 of 2) and 22, 6 (part 1): a NaN in sample 8, sample 6 unreadable.
        var data = new Failing(Data((8, 2, float.NaN)), failingSample: 6);
        using var background = new BatchPrefetcher(data, BatchSize, null, seed: 9);
        using var inSteps = new InStepBatches(data, BatchSize, null, seed: 9, parts: 2);
        var (order, counts, positions) = Plan();
        background.Start(order, counts, positions, epoch: 0);
        inSteps.Start(order, counts, positions, epoch: 0);
        for (int step = 0; step < 2; step++)
        {
            background.Release(background.Next());
            var batch = inSteps.Next();
            inSteps.ReadAhead(0);
            inSteps.ReadAhead(1);
            inSteps.Release(batch);
        }
        Assert.Contains("sample 6 is unreadable", Assert.Throws<InvalidOperationException>(() => background.Next()).Message);
        Assert.Contains("sample 6 is unreadable", Assert.Throws<InvalidOperationException>(() => inSteps.Next()).Message);
    }

    [Fact]
    public void Training_reads_in_its_steps_only_with_every_core_one_data_thread_and_samples_in_memory()
    {
        var data = Data();
        var options = new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Sgd(0.1f) };
        int cores = Environment.ProcessorCount;
        Assert.True(InStepBatches.Suits(data, options, cores));
        Assert.False(InStepBatches.Suits(data, options, cores - 1));
        Assert.False(InStepBatches.Suits(data, new TrainingOptions { Loss = options.Loss, Optimizer = options.Optimizer, DataThreads = 2 }, cores));
        Assert.False(InStepBatches.Suits(new Failing(data, -1), options, cores));
    }
}
