using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>Training must reach fixed levels on tasks it can solve exactly; each runs in seconds.</summary>
public class ConvergenceTests
{
    [Fact]
    public void Multi_label_sigmoid_with_binary_cross_entropy_learns_the_patterns()
    {
        var network = MultiLabelNet.Create(3);
        var history = network.Fit(SyntheticData.Patterns(1024, 1), new TrainingOptions
        {
            Loss = new SigmoidBinaryCrossEntropy(),
            Optimizer = new Adam(0.01f),
            Epochs = 15,
            BatchSize = 32,
            Seed = 5,
            Threads = 2,
            ValidationData = SyntheticData.Patterns(256, 2),
            Progress = null,
        });
        var last = history.Last;
        Assert.True(last["val_accuracy"] >= 0.97, $"per-label validation accuracy {last["val_accuracy"]:0.000} after 15 epochs (loss {last["val_loss"]:0.000})");
        Assert.True(history.Epochs[0]["loss"] > last["loss"], "the loss did not go down");
    }

    [Fact]
    public void Regression_with_mean_squared_error_fits_smooth_functions()
    {
        var network = RegressionNet.Create(4);
        var history = network.Fit(SyntheticData.Regression(2048, 3), new TrainingOptions
        {
            Loss = new MeanSquaredError(),
            Optimizer = new Adam(0.01f),
            Epochs = 40,
            BatchSize = 64,
            Seed = 6,
            Threads = 2,
            ValidationData = SyntheticData.Regression(512, 4),
            Schedule = new CosineDecay(40),
            Progress = null,
        });
        var last = history.Last;
        Assert.True(last["val_loss"] < 0.005, $"validation MSE {last["val_loss"]:0.00000} (MAE {last["val_mae"]:0.0000}) after 40 epochs");
    }

    [Fact]
    public void Small_image_classifier_reaches_high_accuracy_with_sgd_momentum()
    {
        var network = ShapesNet.Create(5);
        var history = network.Fit(SyntheticData.Shapes(1600, 5), new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = new Sgd(0.05f, momentum: 0.9f, nesterov: true),
            Epochs = 25,
            BatchSize = 32,
            Seed = 7,
            Threads = 2,
            ValidationData = SyntheticData.Shapes(400, 6),
            Progress = null,
        });
        var last = history.Last;
        Assert.True(last["val_accuracy"] >= 0.95, $"validation accuracy {last["val_accuracy"]:0.000} after 25 epochs");
    }

    // BatchNorm in a residual block through the whole training loop, on two threads: batch
    // statistics in training, merged running statistics for validation.
    [Fact]
    public void Residual_network_with_batch_norm_learns_the_shapes()
    {
        var network = ResidualShapesNet.Create(8);
        var history = network.Fit(SyntheticData.Shapes(1600, 5), new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = new Adam(0.01f),
            Epochs = 10,
            BatchSize = 32,
            Seed = 9,
            Threads = 2,
            ValidationData = SyntheticData.Shapes(400, 6),
            Progress = null,
        });
        var last = history.Last;
        Assert.True(last["val_accuracy"] >= 0.95, $"validation accuracy {last["val_accuracy"]:0.000} after 10 epochs");
        // The running statistics left their initial values (mean 0, variance 1).
        Assert.Contains(network.Parameter("main.running_mean").ToArray(), v => System.Math.Abs(v) > 1e-3f);
    }
}
