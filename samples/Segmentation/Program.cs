using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Augmentation;
using ConvGen.Data;
using ConvGen.Imaging;
using ConvGen.Plots;
using ConvGen.Training;
using ConvGen.Training.Metrics;
using Segmentation;

// Trains a small U-Net (declared in attributes, UNet.cs) to label every pixel of 64x64 scenes
// of shapes, drawn from a seed (Scenes.cs), or of an images/ + masks/ folder (--data).
var dataOption = new Option<string?>("--data") { Description = "Folder with images/ and masks/ (grey masks of class indices 0-3, 255 = ignored); default: the drawn scenes" };
var trainOption = new Option<int>("--train") { Description = "Drawn training scenes", DefaultValueFactory = _ => 3000 };
var testOption = new Option<int>("--test") { Description = "Drawn held-out scenes (or the held-out fraction of --data is 20%)", DefaultValueFactory = _ => 400 };
var epochsOption = new Option<int>("--epochs") { Description = "Passes over the training data", DefaultValueFactory = _ => 18 };
var batchOption = new Option<int>("--batch") { Description = "Samples per step", DefaultValueFactory = _ => 16 };
var rateOption = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 3e-3f };
var seedOption = new Option<ulong>("--seed") { Description = "Fixes the scenes, the weights and the shuffling", DefaultValueFactory = _ => 1UL };
var threadsOption = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var outOption = new Option<string>("--out") { Description = "Folder for the curves and the pictures", DefaultValueFactory = _ => "segmentation-output" };
var lossOption = new Option<string>("--loss") { Description = "sparse_categorical_crossentropy or dice", DefaultValueFactory = _ => "sparse_categorical_crossentropy" };

var root = new RootCommand("Train a small U-Net to segment shapes.")
{
    dataOption, trainOption, testOption, epochsOption, batchOption, rateOption, seedOption, threadsOption, outOption, lossOption,
};
root.SetAction(parse => Run(parse.GetValue(dataOption), parse.GetValue(trainOption), parse.GetValue(testOption), parse.GetValue(epochsOption),
    parse.GetValue(batchOption), parse.GetValue(rateOption), parse.GetValue(seedOption), parse.GetValue(threadsOption), parse.GetValue(outOption)!,
    parse.GetValue(lossOption)!));
return root.Parse(args).Invoke();

static int Run(string? dataDirectory, int trainCount, int testCount, int epochs, int batch, float rate, ulong seed, int threads, string output, string lossName)
{
    if (epochs <= 0 || batch <= 0 || threads <= 0 || trainCount <= 0 || testCount <= 0)
    {
        Console.Error.WriteLine("--epochs, --batch, --threads, --train and --test must be positive.");
        return 2;
    }
    const int classes = 4;
    IDataSource train, test;
    IReadOnlyList<string> classNames;
    if (dataDirectory is null)
    {
        // Different seeds for the two splits: the held-out scenes are new drawings.
        train = Scenes.Generate(trainCount, seed);
        test = Scenes.Generate(testCount, seed + 1_000_003);
        classNames = Scenes.ClassNames;
    }
    else
    {
        try
        {
            var folder = SegmentationFolder.Open(dataDirectory, new SegmentationFolderOptions
            {
                Height = Scenes.Size, Width = Scenes.Size, Channels = 3, Classes = classes, IgnoreLabel = 255, BadPairs = BadInputPolicy.Skip,
            });
            Console.WriteLine(folder);
            if (folder.Report.Count > 0) Console.WriteLine(folder.Report);
            (train, test) = folder.Split(0.2, seed);
            classNames = folder.ClassNames;
        }
        catch (Exception e) when (e is DataFileException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    Loss loss = lossName == "dice" ? new DiceLoss { IgnoreLabel = 255 } : new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 };
    var network = ShapesUNet.Create(seed);
    Console.WriteLine(ModelSummary.Format(network));
    Console.WriteLine($"Training on {train.Count:N0} pictures, holding out {test.Count:N0}; {loss.Name}, batch {batch}, {threads} thread(s), Adam lr {rate}, seed {seed}.");
    var clock = Stopwatch.StartNew();
    var history = network.Fit(train, new TrainingOptions
    {
        Loss = loss,
        Optimizer = new Adam(rate),
        Epochs = epochs,
        BatchSize = batch,
        Seed = seed,
        Threads = threads,
        ValidationData = test,
        Schedule = new CosineDecay(epochs),
        // Flips keep every shape's class; the mask flips with the picture.
        Augmentation = new SegmentationAugmentation(new ImageAugmentationOptions { HorizontalFlip = true, VerticalFlip = true }, Scenes.Size, Scenes.Size, 3),
    });
    double seconds = clock.Elapsed.TotalSeconds;

    var evaluation = network.Evaluate(test, loss, threads, confusionMatrix: true);
    var confusion = evaluation.Confusion!;
    Console.WriteLine();
    Console.WriteLine($"Held-out mean IoU {evaluation.Metrics["mean_iou"]:0.0000}, pixel accuracy {evaluation.Accuracy:0.0000}, loss {evaluation.Loss:0.0000}; {seconds:0} s in all.");
    for (int c = 0; c < classes; c++)
    {
        Console.WriteLine($"  IoU {classNames[c],-10} {confusion.IoU(c):0.0000}");
    }

    Directory.CreateDirectory(output);
    TrainingPlots.SaveCurves(history, Path.Combine(output, "loss.png"));
    TrainingPlots.SaveMetric(Path.Combine(output, "mean_iou.png"), "mean_iou", new[] { ("U-Net", history) }, "mean IoU: solid = training, dashed = held out");
    WritePictures(network, test, Path.Combine(output, "pictures.png"), classes);
    Console.WriteLine($"Wrote loss.png, mean_iou.png and pictures.png to {Path.GetFullPath(output)}.");
    return 0;
}

// Rows of input / true mask / predicted mask for the first held-out pictures.
static void WritePictures(ShapesUNet network, IDataSource test, string path, int classes)
{
    const int rows = 6;
    int count = Math.Min(rows, test.Count);
    int pixels = Scenes.Size * Scenes.Size;
    var inputs = new float[count * test.InputLength];
    var targets = new float[count * test.TargetLength];
    for (int i = 0; i < count; i++)
    {
        test.Read(i, inputs.AsSpan(i * test.InputLength, test.InputLength), targets.AsSpan(i * test.TargetLength, test.TargetLength));
    }
    var subset = new Dataset(inputs, targets, count, test.InputLength, test.TargetLength);
    var outputs = network.Predict(subset);
    var palette = MaskPictures.DefaultPalette(classes);
    var images = new List<float[]>();
    for (int i = 0; i < count; i++)
    {
        var truth = targets.AsSpan(i * pixels, pixels).ToArray().Select(v => (int)v).ToArray();
        images.Add(inputs.AsSpan(i * test.InputLength, test.InputLength).ToArray());
        images.Add(MaskPictures.Colorize(truth, Scenes.Size, Scenes.Size, palette));
        images.Add(MaskPictures.Colorize(ClassMaps.OfSample(outputs, i, network.OutputShape), Scenes.Size, Scenes.Size, palette));
    }
    ImageWriter.WriteGrid(path, images, Scenes.Size, Scenes.Size, 3, columns: 3, scale: 3);
}
