using System.Linq;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;

namespace ConvGen.Tool.Tests;

/// <summary>Weights of a really trained <see cref="ToolNet"/>: a few epochs on seeded random pictures with a learnable rule.</summary>
internal static class TrainedWeights
{
    public static ToolNet Train(bool freezeFirstLayer = false)
    {
        var random = new SeededRandom(5);
        var images = Enumerable.Range(0, 96).Select(_ => Enumerable.Range(0, 12 * 12 * 3).Select(_ => random.NextSingle()).ToArray()).ToArray();
        // The class is whichever colour channel is brightest on average: learnable by the convolutions.
        int[] labels = images.Select(image => Enumerable.Range(0, 3).MaxBy(c => image.Where((_, i) => i % 3 == c).Sum())).ToArray();
        var net = ToolNet.Create(seed: 3);
        if (freezeFirstLayer)
        {
            net.SetFrozen(0, true);
        }
        net.Fit(Dataset.FromLabels(images, labels, ["red", "green", "blue"]), new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = new Adam(1e-2f),
            Epochs = 3,
            BatchSize = 16,
            Seed = 1,
            Threads = 1,
            Progress = null,
        });
        return net;
    }

    public static ToolNet Save(string path, bool freezeFirstLayer = false)
    {
        var net = Train(freezeFirstLayer);
        WeightsFile.Save(net, path);
        return net;
    }
}
