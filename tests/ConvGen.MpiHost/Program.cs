using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Data;
using ConvGen.Distributed;
using ConvGen.Serialization;
using ConvGen.Training;

// Scenarios for the distributed tests, each run as `mpirun -np N dotnet ConvGen.MpiHost.dll SCENARIO [options]`
// (or without mpirun and --local for the single-process reference):
//   allreduce                       sums of known values for sizes 1 .. 3,000,001, blocking and several
//                                   non-blocking sums in flight at once; exit 0 when all are exact
//   train --batch B --threads T --epochs E --out FILE [--seed S] [--local] [--checkpoint FILE] [--resume FILE] [--bucket VALUES]
//         [--net plain|batchnorm] [--every-rank (each rank writes FILE.rankR)]
//         [--die-at-epoch K] [--hang-at-epoch K] [--timeout SECONDS]
var arguments = new Arguments(args);
try
{
    return arguments.Scenario switch
    {
        "allreduce" => Scenarios.AllReduce(),
        "train" => Scenarios.Train(arguments),
        _ => throw new ArgumentException($"unknown scenario '{arguments.Scenario}': expected allreduce or train"),
    };
}
catch (Exception e) when (e is ArgumentException or DllNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

/// <summary>The network the distributed tests train: convolution, pooling, dropout and dense, so every gradient path crosses the all-reduce.</summary>
[Network(Input = "12x12x1")]
[Conv2D(6, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(16, Activation = Activation.Relu)]
[Dropout(0.2)]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class DistributedTestNet;

/// <summary>With BatchNorm: running statistics are state outside the gradients that every replica must still agree on.</summary>
[Network(Input = "12x12x1")]
[Conv2D(6, 3, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class DistributedBatchNormNet;

internal sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new();
    private readonly HashSet<string> _flags = new();

    public Arguments(string[] args)
    {
        Scenario = args.Length > 0 ? args[0] : "";
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] is "--local") _flags.Add("local");
            else if (args[i] is "--every-rank") _flags.Add("every-rank");
            else if (args[i] is "--sync-bn") _flags.Add("sync-bn");
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) _options[args[i][2..]] = args[++i];
            else throw new ArgumentException($"unexpected argument '{args[i]}'");
        }
    }

    public string Scenario { get; }

    public bool Local => _flags.Contains("local");

    public bool EveryRank => _flags.Contains("every-rank");

    public bool SyncBatchNorm => _flags.Contains("sync-bn");

    public string? Text(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public int Int(string name, int fallback) => _options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

internal static class Scenarios
{
    public static int AllReduce()
    {
        using var communicator = new MpiCommunicator(TimeSpan.FromSeconds(60));
        int failures = 0;
        foreach (int size in new[] { 1, 2, 7, 1000, 65_537, 3_000_001 })
        {
            // Small integers: every partial sum is exact in float, so any reduction order must give the reference exactly.
            var values = new float[size];
            for (int i = 0; i < size; i++) values[i] = (communicator.Rank + 1) * (i % 7 + 1);
            communicator.AllReduceSum(values);
            int ranks = communicator.Size;
            float rankSum = ranks * (ranks + 1) / 2f;
            for (int i = 0; i < size; i++)
            {
                if (values[i] != rankSum * (i % 7 + 1)) { failures++; Console.Error.WriteLine($"rank {communicator.Rank}: float size {size} index {i}: {values[i]} != {rankSum * (i % 7 + 1)}"); break; }
            }
            var doubles = new double[size];
            for (int i = 0; i < size; i++) doubles[i] = (communicator.Rank + 1) * 0.5 * (i % 5);
            communicator.AllReduceSum(doubles);
            for (int i = 0; i < size; i++)
            {
                if (doubles[i] != rankSum * 0.5 * (i % 5)) { failures++; Console.Error.WriteLine($"rank {communicator.Rank}: double size {size} index {i}"); break; }
            }
        }
        failures += NonBlockingSums(communicator);
        var broadcast = new float[1000];
        if (communicator.Rank == 0) for (int i = 0; i < broadcast.Length; i++) broadcast[i] = i * 0.25f;
        communicator.Broadcast(broadcast);
        for (int i = 0; i < broadcast.Length; i++)
        {
            if (broadcast[i] != i * 0.25f) { failures++; Console.Error.WriteLine($"rank {communicator.Rank}: broadcast index {i}"); break; }
        }
        communicator.Barrier();
        Console.WriteLine($"rank {communicator.Rank} of {communicator.Size} ({communicator.Library}): {(failures == 0 ? "all-reduce and broadcast exact" : $"{failures} failures")}");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Starts sums of every size at once (as the gradient buckets of one step are), polls them
    /// while "computing", completes them in order and checks each against the reference.
    /// </summary>
    private static int NonBlockingSums(ICommunicator communicator)
    {
        int[] sizes = { 1, 2, 7, 1000, 65_537, 3_000_001 };
        var buffers = sizes.Select(size => new float[size]).ToArray();
        for (int round = 0; round < 3; round++) // slots are reused from round to round
        {
            var pending = new PendingSum[sizes.Length];
            for (int b = 0; b < sizes.Length; b++)
            {
                for (int i = 0; i < sizes[b]; i++) buffers[b][i] = (communicator.Rank + 1) * (i % 7 + b + round);
                pending[b] = communicator.StartAllReduceSum(buffers[b]);
                communicator.Poll(pending[0]);
            }
            for (int b = 0; b < sizes.Length; b++)
            {
                communicator.Complete(pending[b]);
            }
            float rankSum = communicator.Size * (communicator.Size + 1) / 2f;
            for (int b = 0; b < sizes.Length; b++)
            {
                for (int i = 0; i < sizes[b]; i++)
                {
                    if (buffers[b][i] != rankSum * (i % 7 + b + round))
                    {
                        Console.Error.WriteLine($"rank {communicator.Rank}: non-blocking sum of size {sizes[b]}, round {round}, index {i}: {buffers[b][i]} != {rankSum * (i % 7 + b + round)}");
                        return 1;
                    }
                }
            }
        }
        return 0;
    }

    public static int Train(Arguments arguments)
    {
        int batch = arguments.Int("batch", 32);
        int threads = arguments.Int("threads", 1);
        int epochs = arguments.Int("epochs", 2);
        int dieAt = arguments.Int("die-at-epoch", -1);
        int hangAt = arguments.Int("hang-at-epoch", -1);
        string output = arguments.Text("out") ?? throw new ArgumentException("--out FILE is required");
        ulong seed = (ulong)arguments.Int("seed", 3);
        using var mpi = arguments.Local ? null : new MpiCommunicator(TimeSpan.FromSeconds(arguments.Int("timeout", 60)));
        ICommunicator communicator = mpi ?? (ICommunicator)LocalCommunicator.Instance;

        // Every rank starts from different weights on purpose: the start-up broadcast must make them identical.
        ulong rankSeed = seed + (ulong)communicator.Rank * 1000;
        ITrainableNetwork network = arguments.Text("net") switch
        {
            null or "plain" => DistributedTestNet.Create(rankSeed),
            "batchnorm" => DistributedBatchNormNet.Create(rankSeed),
            var other => throw new ArgumentException($"unknown --net '{other}': expected plain or batchnorm"),
        };
        var optimizer = new Adam(0.01f);
        int initialEpoch = 0;
        if (arguments.Text("resume") is { } resume)
        {
            initialEpoch = TrainingCheckpoint.Load(resume, network, optimizer).EpochsCompleted;
            Console.WriteLine($"rank {communicator.Rank}: resumed after epoch {initialEpoch} with {communicator.Size} process(es)");
        }
        var options = new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = optimizer,
            Epochs = epochs,
            BatchSize = batch,
            Seed = seed,
            Threads = threads,
            InitialEpoch = initialEpoch,
            Communicator = communicator,
            AllReduceBucketValues = arguments.Int("bucket", 1 << 16),
            SyncBatchNorm = arguments.SyncBatchNorm,
            Progress = Console.Out,
        };
        if (arguments.Text("checkpoint") is { } checkpoint)
        {
            options.Callbacks.Add(new ModelCheckpoint(checkpoint));
        }
        if (hangAt >= 0)
        {
            options.Callbacks.Add(new LambdaCallback((context, result) =>
            {
                if (communicator.Rank == 1 && result.Epoch == hangAt)
                {
                    // A rank that stops answering without dying: only the collective time-out can end the job.
                    Console.Error.WriteLine($"rank 1: hanging on purpose after epoch {hangAt}");
                    System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
                }
            }));
        }
        if (dieAt >= 0)
        {
            options.Callbacks.Add(new LambdaCallback((context, result) =>
            {
                if (communicator.Rank == 1 && result.Epoch == dieAt)
                {
                    Console.Error.WriteLine($"rank 1: dying on purpose after epoch {dieAt}");
                    Console.Error.Flush();
                    Environment.FailFast("simulated crash of rank 1");
                }
            }));
        }
        network.Fit(Data.Shapes(960, 17), options);
        if (arguments.EveryRank)
        {
            // Every replica's weights, to check that they are the same.
            WeightsFile.Save(network, $"{output}.rank{communicator.Rank}");
        }
        else if (communicator.Rank == 0)
        {
            WeightsFile.Save(network, output);
            Console.WriteLine($"rank 0: weights written to {output}");
        }
        return 0;
    }
}

/// <summary>Four classes of 12x12 shapes, the same for every rank.</summary>
internal static class Data
{
    public static Dataset Shapes(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * 144];
        var targets = new float[count];
        for (int n = 0; n < count; n++)
        {
            int label = random.NextInt32(4);
            int oy = random.NextInt32(7), ox = random.NextInt32(7);
            for (int i = 0; i < 144; i++) inputs[n * 144 + i] = 0.2f * random.NextSingle();
            for (int y = 0; y < 5; y++)
            {
                for (int x = 0; x < 5; x++)
                {
                    bool on = label switch { 0 => true, 1 => y == 2 || x == 2, 2 => x == y, _ => y == 0 || y == 4 };
                    if (on) inputs[n * 144 + (oy + y) * 12 + ox + x] = 1f;
                }
            }
            targets[n] = label;
        }
        return new Dataset(inputs, targets, count, 144, 1, new[] { "square", "cross", "diagonal", "bars" });
    }
}
