using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvGen.Data;
using ConvGen.Plots;
using ConvGen.Serialization;
using ConvGen.Training;
using Quickstart;

namespace AotClassifier;

/// <summary>
/// The whole workflow in one process: draw the embedded data set, train the lecture network for a
/// few epochs, draw its curves, save safetensors, reload them into a fresh network and check that it predicts
/// exactly what the trained one does.
/// </summary>
internal static class TrainSaveReload
{
    private const ulong Seed = 1;

    public static int Run(SampleOptions options)
    {
        var clock = Stopwatch.StartNew();
        var input = new LectureNet().InputShape;
        var all = new SyntheticShapes(options.ImagesPerClass, Seed, input.Height);
        var (train, validation) = all.Split(0.25, Seed);
        Console.WriteLine($"Drew {all.Count} pictures of {input.Height}x{input.Width}x{input.Channels}: training on {train.Count}, validating on {validation.Count}.");

        var net = LectureNet.Create(Seed);
        var loss = new SparseSoftmaxCrossEntropy();
        var history = net.Fit(train, new TrainingOptions
        {
            Loss = loss,
            Optimizer = new Adam(1e-3f),
            Epochs = options.Epochs,
            BatchSize = 32,
            Seed = Seed,
            ValidationData = validation,
        });
        var evaluation = net.Evaluate(validation, loss);

        Directory.CreateDirectory(options.Out);
        string weights = Path.Combine(options.Out, SampleOptions.WeightsFileName);
        WeightsFile.Save(net, weights);
        string curves = Path.Combine(options.Out, "curves.png");
        TrainingPlots.SaveCurves(history, curves);
        var reloaded = LectureNet.Create(seed: 0);
        WeightsFile.Load(reloaded, weights);

        float[] trained = net.Predict(validation);
        float[] fromFile = reloaded.Predict(validation);
        int outputs = LectureNet.OutputLength;
        int correct = Enumerable.Range(0, validation.Count).Count(i => ArgMax(fromFile.AsSpan(i * outputs, outputs)) == Label(validation, i));
        bool same = trained.AsSpan().SequenceEqual(fromFile);

        Console.WriteLine($"first loss {history.Epochs[0]["loss"]:0.0000}, last loss {history.Last["loss"]:0.0000}");
        Console.WriteLine($"validation accuracy {evaluation.Accuracy:0.0000}");
        Console.WriteLine($"saved {weights} ({new FileInfo(weights).Length:N0} bytes) and {curves}");
        Console.WriteLine($"reloaded network: {(same ? "identical" : "DIFFERENT")} outputs on {validation.Count} pictures, {correct} of them right");
        int first = ArgMax(fromFile.AsSpan(0, outputs));
        Console.WriteLine($"picture 0 is a {SyntheticShapes.Classes[Label(validation, 0)]}; the reloaded network says {SyntheticShapes.Classes[first]} ({fromFile[first]:P0})");
        Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
        return same ? 0 : 1;
    }

    private static int Label(IDataSource data, int index)
    {
        Span<float> image = new float[data.InputLength];
        Span<float> label = stackalloc float[1];
        data.Read(index, image, label);
        return (int)label[0];
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
