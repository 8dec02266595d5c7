using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.Benchmarks.Torch;

/// <summary>
/// The peer of <c>samples/FashionMnist --net small</c>: the same network, recipe and data in
/// TorchSharp, so time to a Fashion-MNIST test accuracy compares frameworks, not recipes.
/// Network: Conv 16 3x3 same, ReLU, max-pool 2, Conv 32 3x3 same, ReLU, max-pool 2, Dense 48,
/// ReLU, Dropout --dropout (0.25 as <c>small</c>; 0 for <c>brief</c>, which has none), Dense 10
/// (80,602 parameters), initialised as ConvGen and Keras do
/// (Glorot-uniform weights, zero biases). Recipe: Adam (beta 0.9 / 0.999, epsilon 1e-7 as
/// ConvGen's and Keras's) at --lr with the rate of epoch e set to
/// <c>lr * (1 + cos(pi * e / epochs)) / 2</c> (ConvGen's CosineDecay), softmax cross-entropy,
/// batches of --batch reshuffled every epoch, the last one short. Each epoch's training time
/// excludes the test-set evaluation that follows it, as ConvGen's <c>TrainSeconds</c> does.
/// </summary>
internal static class TimeToAccuracy
{
    public static Command CreateCommand()
    {
        var data = new Option<string>("--data") { Description = "Folder of the four Fashion-MNIST IDX files", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 4 };
        var rate = new Option<float>("--lr") { DefaultValueFactory = _ => 3e-3f };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var target = new Option<double>("--target") { Description = "Test accuracy whose first reaching is timed", DefaultValueFactory = _ => 0.91 };
        var json = new Option<string?>("--json") { Description = "Write the per-epoch figures here" };
        var dropout = new Option<double>("--dropout") { Description = "Dropout rate before the last layer: 0.25 as --net small, 0 as --net brief", DefaultValueFactory = _ => 0.25 };
        var command = new Command("time-to-accuracy", "Fashion-MNIST: the small network and cosine Adam recipe of samples/FashionMnist, timed to a test accuracy")
        {
            data, epochs, rate, batch, threads, seed, target, json, dropout,
        };
        command.SetAction(parse => Run(parse.GetValue(data)!, parse.GetValue(epochs), parse.GetValue(rate), parse.GetValue(batch),
            parse.GetValue(threads), parse.GetValue(seed), parse.GetValue(target), parse.GetValue(json), parse.GetValue(dropout)));
        return command;
    }

    private static int Run(string directory, int epochs, float rate, int batch, int threads, int seed, double target, string? jsonPath, double dropout)
    {
        if (epochs <= 0 || batch <= 0 || threads <= 0 || !(rate > 0))
        {
            Console.Error.WriteLine("--epochs, --batch, --threads and --lr must be positive.");
            return 2;
        }
        if (!(dropout >= 0 && dropout < 1))
        {
            Console.Error.WriteLine($"--dropout must be at least 0 and below 1, got {dropout}.");
            return 2;
        }
        var (trainPixels, trainLabels) = FashionMnistFiles.Load(directory, "train");
        var (testPixels, testLabels) = FashionMnistFiles.Load(directory, "t10k");
        torch.set_num_threads(threads);
        torch.manual_seed(seed);
        int side = FashionMnistFiles.Side;
        var trainImages = torch.tensor(trainPixels, new long[] { trainLabels.Length, 1, side, side });
        var trainClasses = torch.tensor(trainLabels);
        var testImages = torch.tensor(testPixels, new long[] { testLabels.Length, 1, side, side });
        var testClasses = torch.tensor(testLabels);

        var model = CreateSmallNet(dropout);
        var optimizer = optim.Adam(model.parameters(), rate, beta1: 0.9, beta2: 0.999, eps: 1e-7);
        var epochFigures = new List<Dictionary<string, double>>();
        double trainSeconds = 0, secondsToTarget = double.NaN;
        Console.WriteLine($"TorchSharp small net (dropout {dropout}): {model.parameters().Sum(p => p.numel()):N0} parameters; {trainLabels.Length:N0} training and {testLabels.Length:N0} test images; batch {batch}, {threads} thread(s), Adam {rate} cosine over {epochs} epochs, seed {seed}.");
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double epochRate = rate * 0.5 * (1 + Math.Cos(Math.PI * epoch / epochs));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = epochRate;
            model.train();
            long start = Stopwatch.GetTimestamp();
            double lossSum = 0;
            using (var order = torch.randperm(trainLabels.Length))
            {
                for (long first = 0; first < trainLabels.Length; first += batch)
                {
                    using var scope = torch.NewDisposeScope();
                    var indices = order.narrow(0, first, Math.Min(batch, trainLabels.Length - first));
                    var images = trainImages.index_select(0, indices);
                    var labels = trainClasses.index_select(0, indices);
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(model.forward(images), labels);
                    loss.backward();
                    optimizer.step();
                    if (first == 0 || first + batch >= trainLabels.Length) lossSum = loss.item<float>();
                }
            }
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            trainSeconds += seconds;
            double accuracy = Evaluate(model, testImages, testClasses);
            if (double.IsNaN(secondsToTarget) && accuracy >= target) secondsToTarget = trainSeconds;
            Console.WriteLine($"Epoch {epoch + 1}/{epochs}: rate {epochRate:0.000000}, {seconds:0.00} s of training ({trainLabels.Length / seconds:0} images/s), last batch loss {lossSum:0.0000}, test accuracy {accuracy:0.0000}");
            epochFigures.Add(new Dictionary<string, double> { ["epoch"] = epoch + 1, ["train_seconds"] = seconds, ["test_accuracy"] = accuracy, ["learning_rate"] = epochRate });
        }
        Console.WriteLine(double.IsNaN(secondsToTarget)
            ? $"Test accuracy {target} not reached in {trainSeconds:0.0} s of training."
            : $"Test accuracy {target} reached after {secondsToTarget:0.0} s of training.");
        if (jsonPath is not null)
        {
            var report = new Dictionary<string, object>
            {
                ["framework"] = "TorchSharp",
                ["network"] = dropout == 0 ? "brief" : "small",
                ["dropout"] = dropout,
                ["batch"] = batch,
                ["threads"] = threads,
                ["seed"] = seed,
                ["learning_rate"] = rate,
                ["epochs"] = epochs,
                ["target"] = target,
                ["seconds_to_target"] = double.IsNaN(secondsToTarget) ? -1 : secondsToTarget,
                ["train_seconds"] = trainSeconds,
                ["history"] = epochFigures,
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }
        return 0;
    }

    private static double Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor classes)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        long correct = 0;
        const int chunk = 1000;
        for (long first = 0; first < classes.shape[0]; first += chunk)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(chunk, classes.shape[0] - first);
            var predicted = model.forward(images.narrow(0, first, count)).argmax(1);
            correct += predicted.eq(classes.narrow(0, first, count)).sum().item<long>();
        }
        return (double)correct / classes.shape[0];
    }

    private static nn.Module<Tensor, Tensor> CreateSmallNet(double dropout)
    {
        var conv1 = nn.Conv2d(1, 16, 3, padding: 1);
        var conv2 = nn.Conv2d(16, 32, 3, padding: 1);
        var dense1 = nn.Linear(32 * 7 * 7, 48);
        var dense2 = nn.Linear(48, 10);
        var model = nn.Sequential(
            ("conv1", conv1), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", conv2), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()), ("dense1", dense1), ("relu3", nn.ReLU()), ("dropout", nn.Dropout(dropout)),
            ("dense2", dense2));
        using (torch.no_grad())
        {
            foreach (var layer in new nn.Module[] { conv1, conv2, dense1, dense2 })
            {
                foreach (var (name, parameter) in layer.named_parameters())
                {
                    if (name == "weight") nn.init.xavier_uniform_(parameter);
                    else nn.init.zeros_(parameter);
                }
            }
        }
        return model;
    }
}
