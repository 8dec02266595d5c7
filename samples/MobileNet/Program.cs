using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Augmentation;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;
using MobileNetSample;
using Quickstart;

// A MobileNetV2 / V3-style network (inverted residual blocks, depthwise convolutions, linear
// bottlenecks, squeeze-and-excitation, HardSwish) trained on the lecture's 80x80 pictures beside
// the lecture's own network, both with the same augmentation, then compared: size, compute,
// accuracy on the held-out split, training speed and single-picture latency.
var dataOption = new Option<string?>("--data") { Description = "Folder with one sub-folder of JPEG / PNG images per class (default: the embedded drawn shapes)" };
var epochsOption = new Option<int>("--epochs") { Description = "Epochs of each network", DefaultValueFactory = _ => 12 };
var outOption = new Option<string>("--out") { Description = "Where the table, summaries and weights go", DefaultValueFactory = _ => "mobilenet-out" };
var seedOption = new Option<ulong>("--seed") { Description = "Fixes the drawn data, the split, the weights, shuffling, dropout and augmentation", DefaultValueFactory = _ => 1UL };
var batchOption = new Option<int>("--batch") { Description = "Samples per step", DefaultValueFactory = _ => 32 };
var perClassOption = new Option<int>("--images-per-class") { Description = "Pictures per class of the embedded data set", DefaultValueFactory = _ => 250 };
var validationOption = new Option<double>("--validation-split") { Description = "Share of the images held out for validation", DefaultValueFactory = _ => 0.3 };
var rateOption = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 2e-3f };
var threadsOption = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var cacheOption = new Option<int>("--cache-mb") { Description = "Memory for decoded images of --data (MiB); the rest stream from disk", DefaultValueFactory = _ => 512 };
var latencyOption = new Option<int>("--latency-runs") { Description = "Single-picture Predict calls whose median is the latency", DefaultValueFactory = _ => 101 };

var root = new RootCommand("A MobileNet-style network against the lecture's network on 8 classes of 80x80 pictures.")
{
    dataOption, epochsOption, outOption, seedOption, batchOption, perClassOption, validationOption, rateOption, threadsOption, cacheOption, latencyOption,
};
root.SetAction(parse => Run(new Settings(
    parse.GetValue(dataOption), parse.GetValue(epochsOption), parse.GetValue(outOption)!, parse.GetValue(seedOption),
    parse.GetValue(batchOption), parse.GetValue(perClassOption), parse.GetValue(validationOption), parse.GetValue(rateOption),
    parse.GetValue(threadsOption), parse.GetValue(cacheOption), parse.GetValue(latencyOption))));
return root.Parse(args).Invoke();

static int Run(Settings settings)
{
    if (settings.Epochs <= 0 || settings.Batch <= 0 || settings.Threads <= 0 || settings.ImagesPerClass <= 0 || settings.CacheMiB < 0 || settings.LatencyRuns <= 0)
    {
        Console.Error.WriteLine("--epochs, --batch, --threads, --images-per-class and --latency-runs must be positive, --cache-mb 0 or more.");
        return 2;
    }
    if (!(settings.ValidationSplit > 0 && settings.ValidationSplit < 1))
    {
        Console.Error.WriteLine("--validation-split must be between 0 and 1 (exclusive), e.g. 0.2.");
        return 2;
    }
    var clock = Stopwatch.StartNew();
    var input = new MobileNet().InputShape;
    int outputs = new MobileNet().OutputShape.Length;

    IDataSource all;
    try
    {
        all = LectureData.Load(settings.Data, settings.ImagesPerClass, settings.Seed, settings.CacheMiB, input);
    }
    catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    var classNames = all.ClassNames!;
    if (classNames.Count > outputs)
    {
        Console.Error.WriteLine($"Both networks have {outputs} outputs but {settings.Data} has {classNames.Count} classes; keep at most {outputs} class folders.");
        return 1;
    }
    var names = classNames.Concat(Enumerable.Range(classNames.Count, outputs - classNames.Count).Select(i => $"(unused {i})")).ToArray();
    var (trainPart, validationPart) = all.Split(settings.ValidationSplit, settings.Seed);
    var train = new NamedClasses(trainPart, names);
    var validation = new NamedClasses(validationPart, names);
    Console.WriteLine($"Training on {train.Count:N0} images, validating on {validation.Count:N0} (split {settings.ValidationSplit:0.##}, seed {settings.Seed}).");

    var augmentationOptions = LectureData.Augmentation();
    var augmentation = new ImageAugmentation(augmentationOptions, input);
    Console.WriteLine("Augmentation for both networks: " + string.Join("; ", augmentationOptions.Describe()));

    var loss = new SparseSoftmaxCrossEntropy();
    var networks = new (string Label, string File, ITrainableNetwork Network)[]
    {
        ("lecture (dropout)", "lecture-dropout", LectureDropoutNet.Create(settings.Seed)),
        ("MobileNet", "mobilenet", MobileNet.Create(settings.Seed)),
    };
    Directory.CreateDirectory(settings.Out);
    File.WriteAllText(Path.Combine(settings.Out, "model-summary.txt"),
        string.Join(Environment.NewLine, networks.Select(n => ModelSummary.Format(n.Network, n.Label))));
    Console.WriteLine(ModelSummary.Format(networks[1].Network, "MobileNet"));

    var rows = new List<Measurement>();
    foreach (var (label, file, network) in networks)
    {
        Console.WriteLine();
        Console.WriteLine($"Training {label} for {settings.Epochs} epochs, with augmentation");
        var history = network.Fit(train, new TrainingOptions
        {
            Loss = loss,
            Optimizer = new Adam(settings.LearningRate),
            Epochs = settings.Epochs,
            BatchSize = settings.Batch,
            Seed = settings.Seed,
            Threads = settings.Threads,
            ValidationData = validation,
            Augmentation = augmentation,
        });
        double accuracy = network.Evaluate(validation, loss, settings.Threads).Accuracy;
        rows.Add(Comparison.Measure(label, network, history, accuracy, settings.LatencyRuns));
        WeightsFile.Save(network, Path.Combine(settings.Out, file + ".safetensors"));
    }

    string table = Comparison.Table(rows, settings.Threads, settings.LatencyRuns);
    File.WriteAllText(Path.Combine(settings.Out, "comparison.md"), table);
    Console.WriteLine();
    Console.WriteLine($"Held-out accuracy after {settings.Epochs} epochs on {validation.Count:N0} validation images; MFLOPs of one forward pass (2 x multiply-adds of the conv and dense layers):");
    Console.Write(table);
    Console.WriteLine();
    Console.WriteLine($"Wrote comparison.md, model-summary.txt and the weights of both networks to {Path.GetFullPath(settings.Out)}.");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:0} s."));
    return 0;
}

/// <summary>Command-line settings.</summary>
internal sealed record Settings(string? Data, int Epochs, string Out, ulong Seed, int Batch, int ImagesPerClass, double ValidationSplit, float LearningRate, int Threads, int CacheMiB, int LatencyRuns);
