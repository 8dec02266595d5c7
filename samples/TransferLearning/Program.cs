using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen;
using ConvGen.Data;
using ConvGen.Onnx.Import;
using ConvGen.Training;
using ConvGen.Transfer;
using TransferLearning;

// The lecture's step 4: "do not use your own CNN, borrow a pretrained one and use it on our data".
// ResNet-18 (ImageNet) is imported from ONNX, frozen, given a new head trained on its 512 features,
// then its last stage is fine-tuned; a small CNN trained from scratch on the same few pictures
// per class is the comparison.
var dataOption = new Option<string?>("--data") { Description = "Folder with one sub-folder of JPEG / PNG images per class (default: the embedded drawn shapes)" };
var perClassOption = new Option<int>("--per-class") { Description = "Training pictures per class", DefaultValueFactory = _ => 10 };
var testPerClassOption = new Option<int>("--test-per-class") { Description = "Test pictures per class", DefaultValueFactory = _ => 25 };
var headEpochsOption = new Option<int>("--head-epochs") { Description = "Epochs of the new head on the frozen features", DefaultValueFactory = _ => 40 };
var fineTuneEpochsOption = new Option<int>("--fine-tune-epochs") { Description = "Epochs of fine-tuning the last stage (0 = skip)", DefaultValueFactory = _ => 3 };
var scratchEpochsOption = new Option<int>("--scratch-epochs") { Description = "Epochs of the small CNN trained from scratch (0 = skip)", DefaultValueFactory = _ => 60 };
var scratchRateOption = new Option<float>("--scratch-lr") { Description = "Adam learning rate of the CNN trained from scratch", DefaultValueFactory = _ => 3e-3f };
var seedOption = new Option<ulong>("--seed") { Description = "Fixes the drawn data, the split, the new weights, shuffling and dropout", DefaultValueFactory = _ => 1UL };
var threadsOption = new Option<int>("--threads") { Description = "Threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var jsonOption = new Option<string?>("--json") { Description = "Write the accuracies and timings here" };

var root = new RootCommand("Transfer learning: ImageNet ResNet-18 from ONNX, frozen, with a new head, then fine-tuned; against a CNN trained from scratch.")
{
    dataOption, perClassOption, testPerClassOption, headEpochsOption, fineTuneEpochsOption, scratchEpochsOption, scratchRateOption, seedOption, threadsOption, jsonOption,
};
root.SetAction(parse => Run(new Settings(
    parse.GetValue(dataOption), parse.GetValue(perClassOption), parse.GetValue(testPerClassOption), parse.GetValue(headEpochsOption),
    parse.GetValue(fineTuneEpochsOption), parse.GetValue(scratchEpochsOption), parse.GetValue(scratchRateOption), parse.GetValue(seedOption), parse.GetValue(threadsOption),
    parse.GetValue(jsonOption))));
return root.Parse(args).Invoke();

static int Run(Settings s)
{
    if (s.PerClass <= 0 || s.TestPerClass <= 0 || s.HeadEpochs <= 0 || s.FineTuneEpochs < 0 || s.ScratchEpochs < 0 || s.Threads <= 0 || !(s.ScratchRate > 0))
    {
        Console.Error.WriteLine("--per-class, --test-per-class, --head-epochs, --scratch-lr and --threads must be positive; --fine-tune-epochs and --scratch-epochs 0 or more.");
        return 2;
    }
    Split data;
    ImageNetInput imageNet;
    string weights;
    try
    {
        data = Pictures.Load(s);
        imageNet = ImageNetInput.Load(PretrainedPackage.ResNetPreprocess);
        weights = ImportedWeights(PretrainedPackage.ResNet18);
    }
    catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or UnauthorizedAccessException or OnnxImportException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    var report = new Dictionary<string, object> { ["train_pictures"] = data.Train.Count, ["test_pictures"] = data.Test.Count, ["classes"] = HeadClasses.Count };
    var loss = new SparseSoftmaxCrossEntropy();

    // 1. The pretrained backbone, frozen: every picture goes through it once, and its 512
    //    features are all the new head ever sees.
    var backbone = new ResNet18Features();
    var loaded = WeightTransfer.LoadMatching(backbone, weights);
    loaded.ThrowIfIncomplete();
    Console.WriteLine(loaded);
    var clock = Stopwatch.StartNew();
    var trainImageNet = Pictures.Preprocessed(data.Train, imageNet);
    var testImageNet = Pictures.Preprocessed(data.Test, imageNet);
    var trainFeatures = Features(backbone, trainImageNet, s.Threads);
    var testFeatures = Features(backbone, testImageNet, s.Threads);
    double featureSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"ResNet-18 features of {data.Train.Count + data.Test.Count} pictures in {featureSeconds:0.0} s "
        + $"({(data.Train.Count + data.Test.Count) / featureSeconds:0.0} pictures/s, {s.Threads} threads).");

    var head = FeatureHead.Create(s.Seed);
    clock.Restart();
    head.Fit(trainFeatures, Options(loss, new Adam(1e-3f), s.HeadEpochs, s));
    double headSeconds = clock.Elapsed.TotalSeconds;
    double headAccuracy = head.Evaluate(testFeatures, loss, s.Threads).Accuracy;
    Console.WriteLine($"Pretrained ResNet-18, frozen, new head: test accuracy {headAccuracy:0.000} (head trained in {headSeconds:0.0} s)");
    report["pretrained_frozen_accuracy"] = headAccuracy;
    report["feature_seconds"] = featureSeconds;
    report["head_seconds"] = headSeconds;

    // 2. Fine-tuning: the whole network with the trained head, the last stage unfrozen, a small
    //    learning rate so the pretrained filters move only a little.
    double fineTunedAccuracy = double.NaN;
    if (s.FineTuneEpochs > 0)
    {
        var classifier = new ResNet18Classifier();
        // Backbone from the imported file, head from the network just trained: together, every tensor.
        var fromFile = WeightTransfer.LoadMatching(classifier, weights);
        var fromHead = WeightTransfer.CopyMatching(head, classifier);
        if (fromFile.Copied.Count + fromHead.Copied.Count != classifier.ParameterTensors.Count)
        {
            throw new InvalidOperationException($"The classifier's tensors did not all come from the backbone and the head:{Environment.NewLine}{fromFile}{Environment.NewLine}{fromHead}");
        }
        classifier.SetAllFrozen(true);
        int unfrozen = classifier.UnfreezeFrom(ResNet18Layers.LastStage);
        // BatchNorm stays frozen: with 16 pictures per step, batch statistics would replace the
        // ImageNet statistics the pretrained filters were trained with (frozen BN normalises
        // with its running statistics, as in inference).
        var batchNorms = classifier.Layers.Where(l => l.Kind == "BatchNorm" && l.Index >= classifier.Layers.Count - unfrozen).Select(l => l.Name).ToArray();
        classifier.SetFrozen(true, batchNorms);
        var (trainable, frozen) = classifier.ParameterCounts();
        Console.WriteLine($"Fine-tuning the last {unfrozen} layers from {ResNet18Layers.LastStage} but their {batchNorms.Length} BatchNorm layers: {trainable:N0} trainable parameters, {frozen:N0} frozen.");
        clock.Restart();
        classifier.Fit(trainImageNet, Options(loss, new Adam(3e-5f), s.FineTuneEpochs, s, batch: 16, progress: Console.Out));
        double fineTuneSeconds = clock.Elapsed.TotalSeconds;
        fineTunedAccuracy = classifier.Evaluate(testImageNet, loss, s.Threads, batchSize: 16).Accuracy;
        Console.WriteLine($"Pretrained ResNet-18, last stage fine-tuned: test accuracy {fineTunedAccuracy:0.000} ({fineTuneSeconds:0.0} s)");
        report["fine_tuned_accuracy"] = fineTunedAccuracy;
        report["fine_tune_seconds"] = fineTuneSeconds;
    }

    // 3. The comparison: a small CNN from scratch on the same pictures.
    double scratchAccuracy = double.NaN;
    if (s.ScratchEpochs > 0)
    {
        var scratch = ScratchNet.Create(s.Seed);
        clock.Restart();
        var scratchHistory = scratch.Fit(data.Train, Options(loss, new Adam(s.ScratchRate), s.ScratchEpochs, s));
        double scratchSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"Small CNN from scratch: training accuracy {scratchHistory.Epochs[^1].Metrics["accuracy"]:0.000} after {s.ScratchEpochs} epochs.");
        scratchAccuracy = scratch.Evaluate(data.Test, loss, s.Threads, batchSize: 32).Accuracy;
        Console.WriteLine($"Small CNN from scratch ({scratch.Parameters.Length:N0} parameters): test accuracy {scratchAccuracy:0.000} ({scratchSeconds:0.0} s)");
        report["scratch_accuracy"] = scratchAccuracy;
        report["scratch_seconds"] = scratchSeconds;
    }

    Console.WriteLine();
    Console.WriteLine($"{s.PerClass} training pictures per class, {HeadClasses.Count} classes, {data.Test.Count} test pictures:");
    Console.WriteLine($"  from scratch (small CNN)           {Format(scratchAccuracy)}");
    Console.WriteLine($"  pretrained ResNet-18 + new head    {Format(headAccuracy)}");
    Console.WriteLine($"  ... with the last stage fine-tuned {Format(fineTunedAccuracy)}");
    if (!double.IsNaN(scratchAccuracy))
    {
        Console.WriteLine(headAccuracy > scratchAccuracy
            ? $"Borrowing the pretrained network gained {100 * (Math.Max(headAccuracy, double.IsNaN(fineTunedAccuracy) ? 0 : fineTunedAccuracy) - scratchAccuracy):0.0} points of accuracy."
            : "The pretrained features did not beat training from scratch on these pictures.");
    }
    if (s.Json is not null)
    {
        File.WriteAllText(s.Json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    }
    return 0;
}

static string Format(double accuracy) => double.IsNaN(accuracy) ? "skipped" : accuracy.ToString("0.000", CultureInfo.InvariantCulture);

static TrainingOptions Options(Loss loss, Optimizer optimizer, int epochs, Settings s, int batch = 16, TextWriter? progress = null) => new()
{
    Loss = loss,
    Optimizer = optimizer,
    Epochs = epochs,
    BatchSize = batch,
    Seed = s.Seed,
    Threads = s.Threads,
    Progress = progress,
};

/// <summary>The 512 features of every picture, as a data set with the pictures' labels.</summary>
static Dataset Features(ResNet18Features backbone, Dataset pictures, int threads)
{
    float[] features = backbone.Predict(pictures, threads, batchSize: 8);
    return new Dataset(features, pictures.Targets.ToArray(), pictures.Count, 512, 1, pictures.ClassNames);
}

/// <summary>
/// What <c>convgen import</c> writes next to the declaration: the ONNX initializers as ConvGen
/// tensors (OIHW kernels to HWIO, BatchNorm statistics by layer name). Converted once and cached.
/// </summary>
static string ImportedWeights(string onnx)
{
    string path = Path.Combine(AppContext.BaseDirectory, "ResNet18.safetensors");
    if (!File.Exists(path))
    {
        var clock = Stopwatch.StartNew();
        OnnxImporter.Import(onnx).WriteWeights(path);
        Console.WriteLine($"Imported {onnx} to {path} in {clock.Elapsed.TotalSeconds:0.0} s.");
    }
    return path;
}

internal sealed record Settings(string? Data, int PerClass, int TestPerClass, int HeadEpochs, int FineTuneEpochs, int ScratchEpochs, float ScratchRate, ulong Seed, int Threads, string? Json);
