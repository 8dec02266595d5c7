using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>A compact network for the CI check on real data.</summary>
[Network(Input = "28x28x1")]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
public sealed partial class FashionCheckNet;

/// <summary>Skips only where the Debian package dataset-fashion-mnist is not installed (CI installs it).</summary>
public sealed class RequiresFashionMnistFactAttribute : FactAttribute
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    public RequiresFashionMnistFactAttribute()
    {
        if (!File.Exists(Path.Combine(Directory, "train-images-idx3-ubyte.gz")))
        {
            Skip = $"Fashion-MNIST is not installed at {Directory} (apt-get install dataset-fashion-mnist).";
        }
    }
}

public class FashionMnistLearningTests
{
    [RequiresFashionMnistFact]
    public void Two_epochs_on_a_real_subset_learn_well_beyond_chance()
    {
        var (train, test) = FashionMnist.Load(RequiresFashionMnistFactAttribute.Directory);
        train = train.Subset(Enumerable.Range(0, 6000).ToArray());
        test = test.Subset(Enumerable.Range(0, 2000).ToArray());
        var network = FashionCheckNet.Create(1);
        var loss = new SparseSoftmaxCrossEntropy();
        double before = network.Evaluate(test, loss, threads: 2).Accuracy;
        var history = network.Fit(train, new TrainingOptions
        {
            Loss = loss,
            Optimizer = new Adam(0.002f),
            Epochs = 2,
            BatchSize = 32,
            Seed = 1,
            Threads = 2,
            Progress = null,
        });
        var after = network.Evaluate(test, loss, threads: 2, confusionMatrix: true);
        // Chance is 0.10; this network passes 0.80 on the full data within an epoch.
        Assert.True(before < 0.25, $"untrained accuracy {before:0.000}");
        Assert.True(after.Accuracy > 0.75, $"test accuracy after 2 epochs on 6,000 images: {after.Accuracy:0.000}");
        Assert.True(history.Last["loss"] < history.Epochs[0]["loss"]);
        Assert.Equal(2000L, after.Confusion!.Total);
    }
}
