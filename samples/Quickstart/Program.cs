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
using ConvGen.Imaging;
using ConvGen.Plots;
using ConvGen.Serialization;
using ConvGen.Training;
using Quickstart;

// The lecture's hands-on: train the lecture's CNN on 8 classes of 80x80 colour pictures, watch it
// overfit, then train it again with dropout and augmentation and compare the curves.
var dataOption = new Option<string?>("--data") { Description = "Folder with one sub-folder of JPEG / PNG images per class (default: the embedded drawn shapes)" };
var epochsOption = new Option<int>("--epochs") { Description = "Epochs of each run", DefaultValueFactory = _ => 30 };
var outOption = new Option<string>("--out") { Description = "Where the curves, pictures, reports and weights go", DefaultValueFactory = _ => "quickstart-out" };
var seedOption = new Option<ulong>("--seed") { Description = "Fixes the drawn data, the split, the weights, shuffling, dropout and augmentation", DefaultValueFactory = _ => 1UL };
var batchOption = new Option<int>("--batch") { Description = "Samples per step", DefaultValueFactory = _ => 32 };
var perClassOption = new Option<int>("--images-per-class") { Description = "Pictures per class of the embedded data set", DefaultValueFactory = _ => 250 };
var validationOption = new Option<double>("--validation-split") { Description = "Share of the images held out for validation", DefaultValueFactory = _ => 0.3 };
var rateOption = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3f };
var threadsOption = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var cacheOption = new Option<int>("--cache-mb") { Description = "Memory for decoded images of --data (MiB); the rest stream from disk", DefaultValueFactory = _ => 512 };

var root = new RootCommand("The lecture's hands-on: a CNN on 8 classes of 80x80 pictures, then again with dropout and augmentation.")
{
    dataOption, epochsOption, outOption, seedOption, batchOption, perClassOption, validationOption, rateOption, threadsOption, cacheOption,
};
root.SetAction(parse => Run(new Settings(
    parse.GetValue(dataOption), parse.GetValue(epochsOption), parse.GetValue(outOption)!, parse.GetValue(seedOption),
    parse.GetValue(batchOption), parse.GetValue(perClassOption), parse.GetValue(validationOption), parse.GetValue(rateOption),
    parse.GetValue(threadsOption), parse.GetValue(cacheOption))));
return root.Parse(args).Invoke();

static int Run(Settings settings)
{
    if (settings.Epochs <= 0 || settings.Batch <= 0 || settings.Threads <= 0 || settings.ImagesPerClass <= 0 || settings.CacheMiB < 0)
    {
        Console.Error.WriteLine("--epochs, --batch, --threads and --images-per-class must be positive, --cache-mb 0 or more.");
        return 2;
    }
    if (!(settings.ValidationSplit > 0 && settings.ValidationSplit < 1))
    {
        Console.Error.WriteLine("--validation-split must be between 0 and 1 (exclusive), e.g. 0.2.");
        return 2;
    }
    var clock = Stopwatch.StartNew();
    var input = new LectureNet().InputShape;
    int outputs = new LectureNet().OutputShape.Length;

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
        Console.Error.WriteLine($"The lecture's network has {outputs} outputs but {settings.Data} has {classNames.Count} classes; keep at most {outputs} class folders.");
        return 1;
    }
    var names = classNames.Concat(Enumerable.Range(classNames.Count, outputs - classNames.Count).Select(i => $"(unused {i})")).ToArray();
    var (trainPart, validationPart) = all.Split(settings.ValidationSplit, settings.Seed);
    var train = new NamedClasses(trainPart, names);
    var validation = new NamedClasses(validationPart, names);
    Console.WriteLine($"Training on {train.Count:N0} images, validating on {validation.Count:N0} (split {settings.ValidationSplit:0.##}, seed {settings.Seed}).");
    if (classNames.Count < outputs)
    {
        Console.WriteLine($"Note: {classNames.Count} classes found; the network keeps its {outputs} outputs and never sees the other {outputs - classNames.Count}.");
    }

    Directory.CreateDirectory(settings.Out);
    var written = new List<(string File, string What)>();
    string Output(string name, string what)
    {
        string path = Path.Combine(settings.Out, name);
        written.Add((path, what));
        return path;
    }
    string? font = FontFiles.FindSans();

    var augmentationOptions = LectureData.Augmentation();
    var augmentation = new ImageAugmentation(augmentationOptions, input);
    Console.WriteLine("Augmentation for the second run: " + string.Join("; ", augmentationOptions.Describe()));
    AugmentedGrid.Write(Output("augmented-samples.png", "grid of augmented training pictures (first column: original)"), train, augmentation, settings.Seed, font);

    var loss = new SparseSoftmaxCrossEntropy();
    var plain = LectureNet.Create(settings.Seed);
    var regularised = LectureDropoutNet.Create(settings.Seed);
    File.WriteAllText(Output("model-summary.txt", "model summaries (Keras-style)"),
        ModelSummary.Format(plain, "Run 1: LectureNet") + Environment.NewLine + ModelSummary.Format(regularised, "Run 2: LectureDropoutNet"));
    Console.WriteLine(ModelSummary.Format(regularised, "LectureDropoutNet (run 2; run 1 is the same without dropout)"));

    Console.WriteLine();
    Console.WriteLine("Run 1: the lecture's network, no dropout, no augmentation");
    var history1 = plain.Fit(train, Options(settings, loss, validation, augmentation: null));
    Console.WriteLine();
    Console.WriteLine("Run 2: with Dropout(0.5) and augmentation");
    var history2 = regularised.Fit(train, Options(settings, loss, validation, augmentation));

    var runs = new List<(string, History)> { ("no dropout, no augmentation", history1), ("dropout + augmentation", history2) };
    TrainingPlots.SaveMetric(Output("accuracy.png", "training / validation accuracy of both runs"), "accuracy", runs, "Accuracy: solid = training, dashed = validation");
    TrainingPlots.SaveMetric(Output("loss.png", "training / validation loss of both runs"), "loss", runs, "Loss: solid = training, dashed = validation");
    Reports.WriteHistory(Output("history.csv", "per-epoch metrics of both runs"), runs);

    var evaluation1 = plain.Evaluate(validation, loss, settings.Threads, confusionMatrix: true);
    var evaluation2 = regularised.Evaluate(validation, loss, settings.Threads, confusionMatrix: true);
    File.WriteAllText(Output("confusion-matrix.txt", "validation confusion matrices of both runs"),
        $"Run 1 (no dropout, no augmentation), validation accuracy {evaluation1.Accuracy:0.0000}{Environment.NewLine}{evaluation1.Confusion}{Environment.NewLine}{Environment.NewLine}"
        + $"Run 2 (dropout + augmentation), validation accuracy {evaluation2.Accuracy:0.0000}{Environment.NewLine}{evaluation2.Confusion}{Environment.NewLine}");
    ConfusionMatrixPlot.Save(evaluation1.Confusion!, names, Output("confusion-matrix-run1.png", "validation confusion matrix of run 1"));
    ConfusionMatrixPlot.Save(evaluation2.Confusion!, names, Output("confusion-matrix-run2.png", "validation confusion matrix of run 2"));
    WeightsFile.Save(plain, Output("lecture-net.safetensors", "weights of run 1 (safetensors)"));
    WeightsFile.Save(regularised, Output("lecture-dropout-augmented.safetensors", "weights of run 2 (safetensors)"));

    Console.WriteLine();
    Console.WriteLine("Validation confusion matrix, run 2 (rows: actual, columns: predicted):");
    Console.WriteLine(evaluation2.Confusion);
    Console.WriteLine();
    var trainEvaluation1 = plain.Evaluate(train, loss, settings.Threads);
    var trainEvaluation2 = regularised.Evaluate(train, loss, settings.Threads);
    Reports.PrintComparison(history1, history2, trainEvaluation1.Accuracy, trainEvaluation2.Accuracy);
    Console.WriteLine();
    Console.WriteLine($"Wrote to {Path.GetFullPath(settings.Out)}:");
    foreach (var (file, what) in written)
    {
        Console.WriteLine($"  {Path.GetFileName(file),-38} {what}");
    }
    if (font is null)
    {
        Console.WriteLine("  (no sans-serif font file found: plots have no text; install fonts-dejavu-core)");
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:0} s."));
    return 0;
}

static TrainingOptions Options(Settings settings, Loss loss, IDataSource validation, ISampleAugmentation? augmentation) => new()
{
    Loss = loss,
    Optimizer = new Adam(settings.LearningRate),
    Epochs = settings.Epochs,
    BatchSize = settings.Batch,
    Seed = settings.Seed,
    Threads = settings.Threads,
    ValidationData = validation,
    Augmentation = augmentation,
};

/// <summary>Command-line settings.</summary>
internal sealed record Settings(string? Data, int Epochs, string Out, ulong Seed, int Batch, int ImagesPerClass, double ValidationSplit, float LearningRate, int Threads, int CacheMiB);
