using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;
using FashionMnist;

// Trains a ConvGen network on Fashion-MNIST and reports test accuracy and the confusion matrix.
var netOption = new Option<string>("--net") { Description = "tutorial (Conv32-Conv64-Dense1024, 3.3M parameters) or small (under 100k parameters)", DefaultValueFactory = _ => "tutorial" };
var dataOption = new Option<string>("--data") { Description = "Folder with the four Fashion-MNIST *-ubyte.gz files", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
var epochsOption = new Option<int>("--epochs") { Description = "Passes over the training data", DefaultValueFactory = _ => 5 };
var batchOption = new Option<int>("--batch") { Description = "Samples per step", DefaultValueFactory = _ => 64 };
var seedOption = new Option<ulong>("--seed") { Description = "Fixes weights, shuffling and dropout", DefaultValueFactory = _ => 1UL };
var threadsOption = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var rateOption = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3f };
var limitOption = new Option<int>("--limit") { Description = "Use only the first N training and N/6 test images (0 = all)", DefaultValueFactory = _ => 0 };
var jsonOption = new Option<string?>("--json") { Description = "Write test_accuracy, train_seconds, epochs, images_per_second here" };
var weightsOption = new Option<string?>("--save") { Description = "Write the trained weights (safetensors) here" };

var root = new RootCommand("Train a ConvGen network on Fashion-MNIST.")
{
    netOption, dataOption, epochsOption, batchOption, seedOption, threadsOption, rateOption, limitOption, jsonOption, weightsOption,
};
root.SetAction(parse => Run(
    parse.GetValue(netOption)!, parse.GetValue(dataOption)!, parse.GetValue(epochsOption), parse.GetValue(batchOption),
    parse.GetValue(seedOption), parse.GetValue(threadsOption), parse.GetValue(rateOption), parse.GetValue(limitOption),
    parse.GetValue(jsonOption), parse.GetValue(weightsOption)));
return root.Parse(args).Invoke();

static int Run(string netName, string dataDirectory, int epochs, int batch, ulong seed, int threads, float rate, int limit, string? jsonPath, string? weightsPath)
{
    ITrainableNetwork network;
    switch (netName)
    {
        case "tutorial": network = TutorialNet.Create(seed); break;
        case "small": network = SmallNet.Create(seed); break;
        default:
            Console.Error.WriteLine($"Unknown --net '{netName}': expected tutorial or small.");
            return 2;
    }
    if (epochs <= 0 || batch <= 0 || threads <= 0)
    {
        Console.Error.WriteLine("--epochs, --batch and --threads must be positive.");
        return 2;
    }

    Dataset train, test;
    try
    {
        (train, test) = ConvGen.Data.FashionMnist.Load(dataDirectory);
    }
    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    if (limit > 0)
    {
        train = train.Subset(Enumerable.Range(0, Math.Min(limit, train.Count)).ToArray());
        test = test.Subset(Enumerable.Range(0, Math.Min(Math.Max(limit / 6, 1), test.Count)).ToArray());
    }

    Console.WriteLine(ModelSummary.Format(network));
    Console.WriteLine($"Training on {train.Count:N0} images, testing on {test.Count:N0}; batch {batch}, {threads} thread(s), seed {seed}, Adam lr {rate}.");
    var loss = new SparseSoftmaxCrossEntropy();
    var options = new TrainingOptions
    {
        Loss = loss,
        Optimizer = new Adam(rate),
        Epochs = epochs,
        BatchSize = batch,
        Seed = seed,
        Threads = threads,
        ValidationData = test,
    };
    var history = network.Fit(train, options);
    double trainSeconds = history.Epochs.Sum(e => e.TrainSeconds);

    var evaluation = network.Evaluate(test, loss, threads, confusionMatrix: true);
    Console.WriteLine();
    Console.WriteLine($"Test accuracy {evaluation.Accuracy:0.0000}, loss {evaluation.Loss:0.0000}; {trainSeconds:0.0} s of training, {train.Count * history.Epochs.Count / trainSeconds:0} images/s.");
    Console.WriteLine();
    Console.WriteLine(evaluation.Confusion);

    if (weightsPath is not null)
    {
        WeightsFile.Save(network, weightsPath);
        Console.WriteLine($"Weights written to {Path.GetFullPath(weightsPath)}");
    }
    if (jsonPath is not null)
    {
        var report = new Dictionary<string, object>
        {
            ["network"] = netName,
            ["test_accuracy"] = evaluation.Accuracy,
            ["test_loss"] = evaluation.Loss,
            ["train_seconds"] = trainSeconds,
            ["epochs"] = history.Epochs.Count,
            ["images_per_second"] = train.Count * history.Epochs.Count / trainSeconds,
            ["batch"] = batch,
            ["threads"] = threads,
            ["seed"] = seed,
            ["train_images"] = train.Count,
            ["history"] = history.Epochs.Select(e => e.Metrics).ToList(),
        };
        string temporary = jsonPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, jsonPath, overwrite: true);
        Console.WriteLine($"Report written to {Path.GetFullPath(jsonPath)}");
    }
    return 0;
}
