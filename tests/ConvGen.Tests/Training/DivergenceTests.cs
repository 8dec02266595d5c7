using System;
using System.IO;
using System.Linq;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// A diverging run never destroys good weights: a step with a NaN or infinity (in a sample, the
/// loss, the gradients or the running statistics) is refused before the optimizer applies it,
/// training stops with a message naming the epoch, step and samples, the network keeps the
/// weights of the last good step, and no checkpoint takes non-finite values.
/// </summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convgen-divergence-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // No shuffling: sample i of 64 is in step i / 8 of every epoch, so a bad sample's step is known.
    private static TrainingOptions Options(int epochs, Optimizer optimizer, TextWriter? progress = null,
        NonFiniteAction onNonFinite = NonFiniteAction.Stop, int initialEpoch = 0, Loss? loss = null, params Callback[] callbacks)
    {
        var options = new TrainingOptions
        {
            Loss = loss ?? new SparseSoftmaxCrossEntropy(),
            Optimizer = optimizer,
            Epochs = epochs,
            BatchSize = 8,
            Shuffle = false,
            Seed = 11,
            Threads = 2,
            Progress = progress,
            OnNonFinite = onNonFinite,
            InitialEpoch = initialEpoch,
        };
        foreach (var callback in callbacks) options.Callbacks.Add(callback);
        return options;
    }

    private static Dataset WithValue(Dataset data, int sample, int position, float value)
    {
        var inputs = data.Inputs.ToArray();
        inputs[sample * data.InputLength + position] = value;
        return new Dataset(inputs, data.Targets.ToArray(), data.Count, data.InputLength, data.TargetLength, data.ClassNames);
    }

    private static Dataset FirstSamples(Dataset data, int count) => data.Subset(Enumerable.Range(0, count).ToArray());

    private static void AssertSameTrainingState(ITrainableNetwork expected, Adam expectedOptimizer, ITrainableNetwork actual, Adam actualOptimizer)
    {
        Assert.Equal(expected.Parameters.ToArray(), actual.Parameters.ToArray());
        Assert.Equal(expectedOptimizer.StepCount, actualOptimizer.StepCount);
        Assert.Equal(expectedOptimizer.State.Keys.Order(), actualOptimizer.State.Keys.Order());
        foreach (var (name, values) in expectedOptimizer.State)
        {
            Assert.Equal(values, actualOptimizer.State[name]);
        }
    }

    [Fact]
    public void A_nan_pixel_stops_fit_at_its_step_with_the_weights_of_the_last_good_step()
    {
        var clean = SyntheticData.Shapes(64, 2);
        var progress = new StringWriter();
        var network = ShapesNet.Create(5);
        var optimizer = new Adam(0.01f);
        var history = network.Fit(WithValue(clean, sample: 43, position: 17, float.NaN), Options(3, optimizer, progress));

        var stop = Assert.IsType<TrainingStop>(history.Stop);
        Assert.Equal(NonFiniteValue.Input, stop.Value);
        Assert.Equal((1, 6), (stop.Epoch, stop.Step));
        Assert.Equal(Enumerable.Range(40, 8), stop.Samples);
        Assert.Contains("Training stopped at epoch 1/3, step 6/8: sample 43 of the training data has a non-finite input value (NaN at input position 17", stop.Message);
        Assert.Contains("(samples 40, 41, 42, 43, 44, 45, 46, 47)", stop.Message);
        Assert.Contains(stop.Message, progress.ToString());
        Assert.Empty(history.Epochs); // the cut-short epoch is not reported as complete

        // The same five steps on the clean samples before the bad step's batch.
        var reference = ShapesNet.Create(5);
        var referenceOptimizer = new Adam(0.01f);
        reference.Fit(FirstSamples(clean, 40), Options(1, referenceOptimizer));
        AssertSameTrainingState(reference, referenceOptimizer, network, optimizer);
        Assert.Equal(5, optimizer.StepCount);
    }

    [Fact]
    public void A_nan_target_is_named_as_a_target()
    {
        // A regression target: a sparse class label of infinity never gets this far, the label
        // check before the first step refuses it (LabelRangeTests).
        var clean = SyntheticData.Regression(64, 2);
        var targets = clean.Targets.ToArray();
        targets[9 * 2 + 1] = float.PositiveInfinity;
        var data = new Dataset(clean.Inputs.ToArray(), targets, 64, 4, 2);
        var history = RegressionNet.Create(5).Fit(data, Options(2, new Adam(0.01f), loss: new MeanSquaredError()));
        Assert.Equal((1, 2), (history.Stop!.Epoch, history.Stop.Step));
        Assert.Contains("sample 9 of the training data has a non-finite target value (∞ at target position 1", history.Stop.Message.Replace("Infinity", "∞", StringComparison.Ordinal));
    }

    [Fact]
    public void An_infinite_sparse_label_is_refused_before_the_first_step_naming_the_sample()
    {
        var clean = SyntheticData.Shapes(64, 2);
        var targets = clean.Targets.ToArray();
        targets[9] = float.PositiveInfinity;
        var data = new Dataset(clean.Inputs.ToArray(), targets, 64, 144, 1);
        var network = ShapesNet.Create(5);
        var before = network.Parameters.ToArray();
        var error = Assert.Throws<ArgumentException>(() => network.Fit(data, Options(2, new Adam(0.01f))));
        Assert.Contains("Sample 9 of the training data has label Infinity", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void BatchNorm_running_statistics_of_the_refused_step_are_put_back()
    {
        var clean = SyntheticData.Shapes(64, 2);
        var network = ResidualShapesNet.Create(5);
        var optimizer = new Adam(0.01f);
        var history = network.Fit(WithValue(clean, sample: 21, position: 30, float.NegativeInfinity), Options(2, optimizer));
        Assert.Equal((1, 3), (history.Stop!.Epoch, history.Stop.Step));

        var reference = ResidualShapesNet.Create(5);
        var referenceOptimizer = new Adam(0.01f);
        reference.Fit(FirstSamples(clean, 16), Options(1, referenceOptimizer));
        // Parameters include the running means and variances.
        AssertSameTrainingState(reference, referenceOptimizer, network, optimizer);
    }

    [Fact]
    public void A_finite_input_that_overflows_the_loss_is_refused_as_a_loss_or_gradient()
    {
        var clean = SyntheticData.Shapes(64, 2);
        var inputs = clean.Inputs.ToArray();
        inputs.AsSpan(26 * 144, 144).Fill(3e38f); // finite, but the first convolution overflows
        var data = new Dataset(inputs, clean.Targets.ToArray(), 64, 144, 1);
        var network = ShapesNet.Create(5);
        var optimizer = new Adam(0.01f);
        var history = network.Fit(data, Options(2, optimizer));

        var stop = history.Stop!;
        Assert.Contains(stop.Value, new[] { NonFiniteValue.Loss, NonFiniteValue.Gradient });
        Assert.Equal((1, 4), (stop.Epoch, stop.Step));
        Assert.Contains("(samples 24, 25, 26, 27, 28, 29, 30, 31)", stop.Message);
        var reference = ShapesNet.Create(5);
        var referenceOptimizer = new Adam(0.01f);
        reference.Fit(FirstSamples(clean, 24), Options(1, referenceOptimizer));
        AssertSameTrainingState(reference, referenceOptimizer, network, optimizer);
    }

    [Fact]
    public void A_sample_going_bad_in_the_second_epoch_stops_there_and_the_checkpoint_keeps_epoch_one()
    {
        var clean = SyntheticData.Shapes(64, 2);
        string path = Path.Combine(_directory, "every-epoch.safetensors");
        float[]? afterFirstEpoch = null;
        var record = new LambdaCallback((context, result) => afterFirstEpoch ??= context.Network.Parameters.ToArray());
        var network = ShapesNet.Create(5);
        var optimizer = new Adam(0.01f);
        var history = network.Fit(new BadOnSecondRead(clean, sample: 50), Options(3, optimizer, callbacks: new Callback[] { new ModelCheckpoint(path), record }));

        Assert.Equal((2, 7), (history.Stop!.Epoch, history.Stop.Step));
        Assert.Contains("Training stopped at epoch 2/3, step 7/8: sample 50 of the training data", history.Stop.Message);
        Assert.Single(history.Epochs);

        var reference = ShapesNet.Create(5);
        var referenceOptimizer = new Adam(0.01f);
        reference.Fit(clean, Options(1, referenceOptimizer));
        reference.Fit(FirstSamples(clean, 48), Options(2, referenceOptimizer, initialEpoch: 1));
        AssertSameTrainingState(reference, referenceOptimizer, network, optimizer);

        // The checkpoint on disk is epoch 1's, all finite.
        var file = SafeTensors.Read(path);
        Assert.Equal("1", file.Metadata["epochs_completed"]);
        Assert.All(file.Tensors, t => Assert.True(t.Data.All(float.IsFinite), t.Name));
        var saved = network.ParameterTensors.SelectMany(t => file.Get(t.Name).Data).ToArray();
        Assert.Equal(afterFirstEpoch, saved);
    }

    [Fact]
    public void With_checks_off_nan_weights_are_never_written_to_a_checkpoint()
    {
        var data = WithValue(SyntheticData.Shapes(64, 2), sample: 3, position: 0, float.NaN);
        string path = Path.Combine(_directory, "ignored.safetensors");
        var progress = new StringWriter();
        var network = ShapesNet.Create(5);
        var history = network.Fit(data, Options(2, new Adam(0.01f), progress, NonFiniteAction.Ignore, callbacks: new ModelCheckpoint(path)));

        Assert.Null(history.Stop);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Contains(network.Parameters.ToArray(), float.IsNaN); // what the checks prevent
        Assert.False(File.Exists(path));
        Assert.Contains($"Warning: checkpoint '{path}' not written after epoch 1: ", progress.ToString());
        Assert.Contains(" is NaN.", progress.ToString());
    }

    [Fact]
    public void Save_best_only_is_never_overwritten_by_a_nan_epoch()
    {
        string path = Path.Combine(_directory, "best.safetensors");
        byte[]? afterFirst = null;
        var poison = new LambdaCallback((_, result) => { if (result.Epoch >= 2) result.Metrics["loss"] = double.NaN; });
        var record = new LambdaCallback((_, result) => { if (result.Epoch == 1) afterFirst = File.ReadAllBytes(path); });
        var checkpoint = new ModelCheckpoint(path, monitor: "loss", saveBestOnly: true);
        ShapesNet.Create(5).Fit(SyntheticData.Shapes(64, 2), Options(3, new Adam(0.01f), callbacks: new Callback[] { poison, checkpoint, record }));

        Assert.NotNull(afterFirst);
        Assert.Equal(afterFirst, File.ReadAllBytes(path));
        Assert.Equal("1", SafeTensors.Read(path).Metadata["epochs_completed"]);
    }

    [Fact]
    public void Early_stopping_never_takes_a_nan_epoch_as_best()
    {
        float[]? afterFirst = null;
        var poison = new LambdaCallback((_, result) => { if (result.Epoch >= 2) result.Metrics["loss"] = double.NaN; });
        var record = new LambdaCallback((context, result) => afterFirst ??= context.Network.Parameters.ToArray());
        var stopper = new EarlyStopping("loss", patience: 5, restoreBestWeights: true);
        var network = ShapesNet.Create(5);
        network.Fit(SyntheticData.Shapes(64, 2), Options(3, new Adam(0.01f), callbacks: new Callback[] { record, poison, stopper }));
        Assert.Equal(1, stopper.BestEpoch);
        Assert.Equal(afterFirst, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData(false, double.NaN)]
    [InlineData(false, double.NegativeInfinity)]
    [InlineData(true, double.NaN)]
    [InlineData(true, double.PositiveInfinity)]
    public void A_plateau_never_counts_a_non_finite_value_as_an_improvement(bool higherIsBetter, double value)
    {
        var tracker = new PlateauTracker(0.5f, patience: 2, minDelta: 0, minRate: 0, higherIsBetter);
        Assert.Equal(1f, tracker.Update(1f, 0.5));
        Assert.Equal(1f, tracker.Update(1f, value));
        Assert.Equal(0.5, tracker.Best);
        Assert.Equal(0.5f, tracker.Update(1f, value)); // two epochs without improvement
    }

    [Fact]
    public void A_learning_rate_of_a_million_is_reported_and_leaves_finite_weights()
    {
        var progress = new StringWriter();
        var network = ShapesNet.Create(5);
#pragma warning disable CG0214 // a learning rate that diverges on purpose
        var history = network.Fit(SyntheticData.Shapes(64, 2), Options(3, new Sgd(1e6f), progress));
#pragma warning restore CG0214

        Assert.True(history.Stop is not null || history.LossGrowth is not null, progress.ToString());
        Assert.True(network.Parameters.ToArray().All(float.IsFinite));
        if (history.LossGrowth is { } growth)
        {
            Assert.Contains(growth.Message, progress.ToString());
            Assert.True(growth.Loss > 1000 * growth.FirstLoss);
        }
        if (history.Stop is { } stop)
        {
            Assert.Contains(stop.Message, progress.ToString());
        }
    }

    [Fact]
    public void A_growing_loss_is_warned_about_once_and_flagged_in_the_history()
    {
        // Plain gradient descent on a regression with a rate far above 2 / curvature: the loss
        // multiplies every step until it overflows.
        var progress = new StringWriter();
        var network = RegressionNet.Create(3);
        var options = new TrainingOptions
        {
            Loss = new MeanSquaredError(),
            Optimizer = new Sgd(3f),
            Epochs = 20,
            BatchSize = 16,
            Seed = 1,
            Threads = 1,
            Progress = progress,
        };
        var history = network.Fit(SyntheticData.Regression(64, 4), options);

        var growth = Assert.IsType<LossGrowthWarning>(history.LossGrowth);
        Assert.True(growth.Loss > 1000 * growth.FirstLoss);
        Assert.StartsWith("Warning: the loss is diverging: ", growth.Message);
        Assert.Contains($"at epoch {growth.Epoch}/20, step {growth.Step}", growth.Message);
        Assert.Single(progress.ToString().Split('\n'), line => line.StartsWith("Warning: the loss is diverging", StringComparison.Ordinal));
        Assert.True(network.Parameters.ToArray().All(float.IsFinite));
    }

    [Fact]
    public void Skip_step_leaves_out_the_bad_batch_in_every_epoch_and_trains_on()
    {
        var data = WithValue(SyntheticData.Shapes(64, 2), sample: 43, position: 17, float.NaN);
        var progress = new StringWriter();
        var network = ShapesNet.Create(5);
        var optimizer = new Adam(0.01f);
        var history = network.Fit(data, Options(3, optimizer, progress, NonFiniteAction.SkipStep));

        Assert.Null(history.Stop);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(3, history.SkippedSteps);
        Assert.Equal(3 * 7, optimizer.StepCount);
        Assert.True(network.Parameters.ToArray().All(float.IsFinite));
        Assert.True(history.Epochs.All(e => double.IsFinite(e["loss"])));
        Assert.Contains("Skipped epoch 2/3, step 6/8: sample 43 of the training data has a non-finite input value", progress.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_finite_run_gives_the_same_bits_whatever_the_non_finite_action(bool batchNorm)
    {
        var data = SyntheticData.Shapes(96, 7);
        float[] Train(NonFiniteAction action, out History history)
        {
            ITrainableNetwork network = batchNorm ? ResidualShapesNet.Create(2) : ShapesNet.Create(2);
            var options = new TrainingOptions
            {
                Loss = new SparseSoftmaxCrossEntropy(),
                Optimizer = new Adam(0.01f),
                Epochs = 2,
                BatchSize = 12,
                Seed = 3,
                Threads = 2,
                Progress = null,
                OnNonFinite = action,
            };
            history = network.Fit(data, options);
            return network.Parameters.ToArray();
        }
        var unchecked_ = Train(NonFiniteAction.Ignore, out var uncheckedHistory);
        foreach (var action in new[] { NonFiniteAction.Stop, NonFiniteAction.SkipStep })
        {
            Assert.Equal(unchecked_, Train(action, out var history));
            Assert.Equal(uncheckedHistory.Series("loss"), history.Series("loss"));
            Assert.Null(history.Stop);
            Assert.Null(history.LossGrowth);
            Assert.Equal(0, history.SkippedSteps);
        }
    }

    [Fact]
    public void Options_are_checked()
    {
        var network = ShapesNet.Create(1);
        var data = SyntheticData.Shapes(16, 1);
#pragma warning disable CG0213 // the run-time check of the same setting is what this test covers
        var options = new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(0.01f), Progress = null, LossGrowthFactor = 1 };
#pragma warning restore CG0213
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(data, options));
        Assert.Contains("LossGrowthFactor must be greater than 1", e.Message);
        options = new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(0.01f), Progress = null, OnNonFinite = (NonFiniteAction)7 };
        e = Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(data, options));
        Assert.Contains("OnNonFinite must be Stop, SkipStep or Ignore", e.Message);
    }

    /// <summary>Reads sample <c>sample</c> with a NaN pixel from its second read on (so in the second epoch).</summary>
    private sealed class BadOnSecondRead(Dataset data, int sample) : IDataSource
    {
        private int _reads;

        public int Count => data.Count;
        public int InputLength => data.InputLength;
        public int TargetLength => data.TargetLength;
        public System.Collections.Generic.IReadOnlyList<string>? ClassNames => data.ClassNames;

        public void Read(int index, Span<float> input, Span<float> target)
        {
            data.Read(index, input, target);
            if (index == sample && ++_reads >= 2)
            {
                input[5] = float.NaN;
            }
        }
    }
}
