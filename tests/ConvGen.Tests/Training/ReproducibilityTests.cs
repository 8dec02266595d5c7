using System;
using System.IO;
using ConvGen.Serialization;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>Same seed and threads give the same bits; saving, loading and resuming lose nothing.</summary>
public sealed class ReproducibilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convgen-repro-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrainingOptions Options(int epochs, int threads = 2, int initialEpoch = 0, Optimizer? optimizer = null) => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = optimizer ?? new Adam(0.005f),
        Epochs = epochs,
        BatchSize = 24,
        Seed = 99,
        Threads = threads,
        InitialEpoch = initialEpoch,
        Progress = null,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Same_seed_and_thread_count_give_bit_identical_weights(int threads)
    {
        var data = SyntheticData.Shapes(300, 1);
        var first = ShapesNet.Create(1);
        var second = ShapesNet.Create(1);
        first.Fit(data, Options(3, threads));
        second.Fit(data, Options(3, threads));
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.NotEqual(ShapesNet.Create(1).Parameters.ToArray(), first.Parameters.ToArray());
    }

    [Fact]
    public void Augmented_training_does_not_depend_on_how_many_threads_read_the_data()
    {
        var data = SyntheticData.Shapes(200, 3);
        var augmentation = new ConvGen.Augmentation.ImageAugmentation(
            new ConvGen.Augmentation.ImageAugmentationOptions { HorizontalFlip = true, Rotation = 0.05 }, 12, 12, 1);
        float[] Train(int dataThreads)
        {
            var network = ShapesNet.Create(2);
            var options = Options(2);
            network.Fit(data, new TrainingOptions
            {
                Loss = options.Loss, Optimizer = new Adam(0.005f), Epochs = 2, BatchSize = 24, Seed = 99, Threads = 2,
                Augmentation = augmentation, DataThreads = dataThreads, Progress = null,
            });
            return network.Parameters.ToArray();
        }
        var one = Train(1);
        Assert.Equal(one, Train(3));
        Assert.NotEqual(one, ShapesNet.Create(2).Parameters.ToArray());
    }

    [Fact]
    public void A_different_seed_changes_the_result()
    {
        var data = SyntheticData.Shapes(200, 1);
        var first = ShapesNet.Create(1);
        var second = ShapesNet.Create(1);
        first.Fit(data, Options(1));
        var options = Options(1);
        second.Fit(data, new TrainingOptions { Loss = options.Loss, Optimizer = options.Optimizer, Epochs = 1, BatchSize = 24, Seed = 100, Threads = 2, Progress = null });
        Assert.NotEqual(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public void Saved_weights_load_into_a_fresh_network_with_identical_predictions()
    {
        var data = SyntheticData.Shapes(64, 2);
        var trained = ShapesNet.Create(3);
        trained.Fit(SyntheticData.Shapes(200, 3), Options(2));
        string path = Path.Combine(_directory, "shapes.safetensors");
        WeightsFile.Save(trained, path);

        var restored = ShapesNet.Create(12345);
        WeightsFile.Load(restored, path);
        Assert.Equal(trained.Predict(data), restored.Predict(data));
    }

    [Fact]
    public void Training_resumed_from_a_checkpoint_continues_exactly_as_an_uninterrupted_run()
    {
        var data = SyntheticData.Shapes(240, 4);
        var uninterrupted = ShapesNet.Create(8);
        uninterrupted.Fit(data, Options(4));

        string checkpoint = Path.Combine(_directory, "checkpoint.safetensors");
        var interrupted = ShapesNet.Create(8);
        var options = Options(2);
        options.Callbacks.Add(new ModelCheckpoint(checkpoint));
        interrupted.Fit(data, options);

        var resumed = ShapesNet.Create(777);
        var optimizer = new Adam(0.5f);
        var info = TrainingCheckpoint.Load(checkpoint, resumed, optimizer);
        Assert.Equal(2, info.EpochsCompleted);
        resumed.Fit(data, Options(4, initialEpoch: info.EpochsCompleted, optimizer: optimizer));

        Assert.Equal(uninterrupted.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void Frozen_layers_keep_bit_identical_weights_while_the_rest_trains()
    {
        var network = ShapesNet.Create(9);
        network.SetFrozen(0, true); // first convolution
        var before = network.Parameters.ToArray();
        network.Fit(SyntheticData.Shapes(200, 5), Options(2));
        var after = network.Parameters.ToArray();
        foreach (var tensor in network.ParameterTensors)
        {
            var was = before.AsSpan(tensor.Offset, tensor.Length).ToArray();
            var now = after.AsSpan(tensor.Offset, tensor.Length).ToArray();
            if (tensor.LayerIndex == 0)
            {
                Assert.Equal(was, now);
            }
            else
            {
                Assert.NotEqual(was, now);
            }
        }
    }

    [Fact]
    public void A_loss_that_does_not_fit_the_last_activation_is_refused_before_training()
    {
        var network = ShapesNet.Create(1);
        var error = Assert.Throws<InvalidOperationException>(() => network.Fit(SyntheticData.Shapes(10, 1), new TrainingOptions
        {
#pragma warning disable CG0210 // the run-time refusal of the same mistake is what this test covers
            Loss = new SigmoidBinaryCrossEntropy(),
#pragma warning restore CG0210
            Optimizer = new Sgd(0.1f),
            Progress = null,
        }));
        Assert.Contains("softmax", error.Message);
        Assert.Contains("ShapesNet", error.Message);
    }
}
