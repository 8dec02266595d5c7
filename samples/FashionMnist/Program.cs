using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen;
using ConvGen.Data;
using ConvGen.Distributed;
using ConvGen.Serialization;
using ConvGen.Training;
using FashionMnist;

// Trains a ConvGen network on Fashion-MNIST and reports test accuracy and the confusion matrix.
var netOption = new Option<string>("--net") { Description = "tutorial (Conv32-Conv64-Dense1024, 3.3M parameters), small (under 100k parameters), brief (small without dropout, for three-epoch schedules) or lean (brief with 12 and 24 filters and 64 units)", DefaultValueFactory = _ => "tutorial" };
var dataOption = new Option<string>("--data") { Description = "Folder with the four Fashion-MNIST *-ubyte.gz files", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
var epochsOption = new Option<int>("--epochs") { Description = "Passes over the training data", DefaultValueFactory = _ => 5 };
var batchOption = new Option<int>("--batch") { Description = "Samples per step", DefaultValueFactory = _ => 64 };
var seedOption = new Option<ulong>("--seed") { Description = "Fixes weights, shuffling and dropout", DefaultValueFactory = _ => 1UL };
var threadsOption = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var rateOption = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3f };
var limitOption = new Option<int>("--limit") { Description = "Use only the first N training and N/6 test images (0 = all)", DefaultValueFactory = _ => 0 };
var jsonOption = new Option<string?>("--json") { Description = "Write test_accuracy, train_seconds, epochs, images_per_second here" };
var weightsOption = new Option<string?>("--save") { Description = "Write the trained weights (safetensors) here" };
var scheduleOption = new Option<string>("--schedule") { Description = "Learning-rate schedule: constant or cosine (decays to 0 over --epochs)", DefaultValueFactory = _ => "constant" };
var distributedOption = new Option<bool>("--distributed") { Description = "Data-parallel over MPI: launch with mpirun -np N; --batch is per process" };
var checkpointOption = new Option<string?>("--checkpoint") { Description = "Write the training state here after every epoch (rank 0 only)" };
var resumeOption = new Option<string?>("--resume") { Description = "Continue from a checkpoint written by --checkpoint (any process count)" };

var root = new RootCommand("Train a ConvGen network on Fashion-MNIST.")
{
    netOption, dataOption, epochsOption, batchOption, seedOption, threadsOption, rateOption, limitOption, jsonOption, weightsOption,
    distributedOption, checkpointOption, resumeOption, scheduleOption,
};
root.SetAction(parse =>
{
    MpiCommunicator? mpi = null;
    try
    {
        mpi = parse.GetValue(distributedOption) ? new MpiCommunicator() : null;
    }
    catch (DllNotFoundException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    using (mpi)
    {
        return Run(
            parse.GetValue(netOption)!, parse.GetValue(dataOption)!, parse.GetValue(epochsOption), parse.GetValue(batchOption),
            parse.GetValue(seedOption), parse.GetValue(threadsOption), parse.GetValue(rateOption), parse.GetValue(limitOption),
            parse.GetValue(jsonOption), parse.GetValue(weightsOption), mpi ?? (ICommunicator)LocalCommunicator.Instance,
            parse.GetValue(checkpointOption), parse.GetValue(resumeOption), parse.GetValue(scheduleOption)!);
    }
});
return root.Parse(args).Invoke();

static int Run(string netName, string dataDirectory, int epochs, int batch, ulong seed, int threads, float rate, int limit, string? jsonPath, string? weightsPath,
    ICommunicator communicator, string? checkpointPath, string? resumePath, string schedule)
{
    LearningRateSchedule? rateSchedule = schedule switch
    {
        "constant" => null,
        "cosine" => new CosineDecay(epochs),
        _ => null,
    };
    if (schedule is not ("constant" or "cosine"))
    {
        Console.Error.WriteLine($"Unknown --schedule '{schedule}': expected constant or cosine.");
        return 2;
    }
    bool root = communicator.Rank == 0;
    var log = root ? Console.Out : TextWriter.Null;
    ITrainableNetwork network;
    switch (netName)
    {
        case "tutorial": network = TutorialNet.Create(seed); break;
        case "small": network = SmallNet.Create(seed); break;
        case "brief": network = BriefNet.Create(seed); break;
        case "lean": network = LeanNet.Create(seed); break;
        default:
            Console.Error.WriteLine($"Unknown --net '{netName}': expected tutorial, small, brief or lean.");
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

    log.WriteLine(ModelSummary.Format(network));
    string processes = communicator.Size > 1 ? $"{communicator.Size} processes x " : "";
    log.WriteLine($"Training on {train.Count:N0} images, testing on {test.Count:N0}; batch {batch}, {processes}{threads} thread(s), seed {seed}, Adam lr {rate} ({schedule}).");
    var loss = new SparseSoftmaxCrossEntropy();
    var optimizer = new Adam(rate);
    int initialEpoch = 0;
    if (resumePath is not null)
    {
        initialEpoch = TrainingCheckpoint.Load(resumePath, network, optimizer).EpochsCompleted;
        log.WriteLine($"Resuming after epoch {initialEpoch} from {resumePath}.");
    }
    var options = new TrainingOptions
    {
        Loss = loss,
        Optimizer = optimizer,
        Epochs = epochs,
        BatchSize = batch,
        Seed = seed,
        Threads = threads,
        ValidationData = test,
        Communicator = communicator,
        InitialEpoch = initialEpoch,
        Schedule = rateSchedule,
    };
    if (checkpointPath is not null)
    {
        options.Callbacks.Add(new ModelCheckpoint(checkpointPath));
    }
    var history = network.Fit(train, options);
    if (!root)
    {
        return 0;
    }
    double trainSeconds = history.Epochs.Sum(e => e.TrainSeconds);
    int epochsRun = history.Epochs.Count;

    var evaluation = network.Evaluate(test, loss, threads, confusionMatrix: true);
    Console.WriteLine();
    Console.WriteLine($"Test accuracy {evaluation.Accuracy:0.0000}, loss {evaluation.Loss:0.0000}; {trainSeconds:0.0} s of training, {train.Count * epochsRun / trainSeconds:0} images/s.");
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
            ["images_per_second"] = train.Count * epochsRun / trainSeconds,
            ["processes"] = communicator.Size,
            ["batch"] = batch,
            ["threads"] = threads,
            ["seed"] = seed,
            ["schedule"] = schedule,
            ["learning_rate"] = rate,
            ["train_images"] = train.Count,
            ["history"] = history.Epochs.Select(e => e.Metrics).ToList(),
            // Per epoch, without the evaluation after it: time to a test accuracy is their sum up to the epoch that reaches it.
            ["epoch_train_seconds"] = history.Epochs.Select(e => e.TrainSeconds).ToList(),
        };
        string temporary = jsonPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, jsonPath, overwrite: true);
        Console.WriteLine($"Report written to {Path.GetFullPath(jsonPath)}");
    }
    return 0;
}
