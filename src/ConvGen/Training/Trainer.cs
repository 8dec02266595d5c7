using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ConvGen.Data;
using ConvGen.Distributed;
using ConvGen.Training.Metrics;

namespace ConvGen.Training;

/// <summary>Result of <see cref="Trainer.Evaluate"/>.</summary>
/// <param name="Metrics">Mean loss and accuracy (or MAE), Keras names without prefix.</param>
/// <param name="Confusion">Confusion matrix for classification, when requested.</param>
public sealed record EvaluationResult(IReadOnlyDictionary<string, double> Metrics, ConfusionMatrix? Confusion)
{
    /// <summary>Mean loss.</summary>
    public double Loss => Metrics["loss"];

    /// <summary>Accuracy, or NaN for regression.</summary>
    public double Accuracy => Metrics.TryGetValue("accuracy", out double a) ? a : double.NaN;
}

/// <summary>The training loop: <see cref="Fit"/>, <see cref="Evaluate"/> and <see cref="Predict"/>, like Keras.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/>. Each epoch reshuffles with a
    /// stream of the seed, runs data-parallel steps on <see cref="TrainingOptions.Threads"/>
    /// threads, evaluates the validation data, reports a Keras-style line and calls the callbacks.
    /// </summary>
    public static History Fit(this ITrainableNetwork network, IDataSource train, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        Validate(network, train, options);
        var communicator = options.Communicator ?? LocalCommunicator.Instance;
        ulong seed = DistributedStart.Synchronize(network, options, communicator);

        var (trainData, validation) = options.ValidationData is not null || options.ValidationSplit <= 0
            ? (train, options.ValidationData)
            : train.Split(options.ValidationSplit, seed);
        if (validation is not null)
        {
            CheckShapes(network, validation, options.Loss, "validation data");
            validation = DistributedStart.Shard(validation, communicator);
        }

        int threads = Math.Max(1, Math.Min(options.Threads, options.BatchSize));
        bool syncBatchNorm = options.SyncBatchNorm && communicator.Size > 1 && network is IRunningStatistics;
        using var runner = new StepRunner(network, options.Loss, threads, options.BatchSize, options.TopK, communicator, options.AllReduceBucketValues, syncBatchNorm);
        using ITrainingBatches batches = InStepBatches.Suits(trainData, options, threads)
            ? new InStepBatches(trainData, options.BatchSize, options.Augmentation, seed, threads)
            : new BatchPrefetcher(trainData, options.BatchSize, options.Augmentation, seed, options.DataThreads);
        runner.ReadsAhead = batches as InStepBatches;
        var trainable = TrainableRanges(network);
        var gradients = new float[network.Parameters.Length];
        var order = new int[trainData.Count];
        var plan = new EpochPlan(trainData.Count, options.BatchSize, communicator, everyProcessTrains: syncBatchNorm);
        var history = new History();
        var context = new TrainingContext(network, options, history, communicator.Rank == 0);
        var progress = new ProgressReporter(communicator.Rank == 0 ? options.Progress : null);
        var guard = new DivergenceGuard(network, options, communicator, history, progress);
        float initialRate = options.Optimizer.LearningRate;
        int outputLength = network.OutputShape.Length;

        foreach (var callback in options.Callbacks)
        {
            callback.OnTrainBegin(context);
        }
        for (int epoch = options.InitialEpoch; epoch < options.Epochs && !context.StopTraining && history.Stop is null; epoch++)
        {
            context.Epoch = epoch;
            if (options.Schedule is not null && !context.LearningRateOverridden)
            {
                options.Optimizer.LearningRate = options.Schedule.Rate(initialRate, epoch);
            }
            ShuffleInPlace(order, options.Shuffle, seed, epoch);
            var clock = Stopwatch.StartNew();
            var totals = default(Totals);
            progress.EpochStarted(epoch + 1, options.Epochs, plan.Steps);
            plan.Assign(order);
            batches.Start(plan.LocalOrder, plan.LocalCounts, plan.Positions, epoch);
            guard.EpochStarted();
            for (int step = 0; step < plan.Steps; step++)
            {
                var batch = batches.Next();
                var beforeStep = totals;
                var verdict = guard.CheckBatch(batch, epoch, step, plan.Steps);
                if (verdict == StepVerdict.Apply)
                {
                    guard.BeforeStep();
                    bool gradientsFinite = runner.TrainBatch(batch, MixSeed(seed, epoch, step), plan.FirstSample(step), 1f / plan.GlobalCount(step), gradients, ref totals,
                        checkFinite: options.OnNonFinite != NonFiniteAction.Ignore, globalCount: plan.GlobalCount(step));
                    // Checked before the optimizer sees the gradients: a refused step changes nothing.
                    verdict = guard.Check(batch, totals.LossSum - beforeStep.LossSum, totals.Samples - beforeStep.Samples, gradientsFinite, gradients, epoch, step, plan.Steps);
                }
                batches.Release(batch);
                if (verdict != StepVerdict.Apply)
                {
                    if (totals.Samples != beforeStep.Samples) runner.UndoStepConfusion();
                    totals = beforeStep; // a refused step's loss and accuracy stay out of the epoch's figures
                    if (verdict == StepVerdict.Stop) break;
                    continue;
                }
                runner.Update(options.Optimizer, gradients, trainable);
                progress.StepDone(step + 1, totals.LossSum / Math.Max(1, totals.Samples),
                    runner.Task is TaskKind.Classification or TaskKind.SparseClassification ? (double)totals.Correct / Math.Max(1, totals.Scored) : null);
            }
            if (history.Stop is not null || guard.EpochEnded(epoch, plan.Steps) == StepVerdict.Stop)
            {
                break; // an epoch cut short is not reported, and no callback saves its weights as complete
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;
            totals.AllReduce(communicator);
            var result = new EpochResult(epoch + 1, options.Epochs)
            {
                TrainSeconds = trainSeconds,
                SamplesPerSecond = trainData.Count / Math.Max(trainSeconds, 1e-9),
            };
            totals.Report(result.Metrics, "", runner.Task, outputLength, options.TopK);
            ReportMeanIoU(runner, communicator, result.Metrics, "");
            if (validation is not null)
            {
                var validationTotals = EvaluateTotals(runner, validation);
                validationTotals.AllReduce(communicator);
                validationTotals.Report(result.Metrics, "val_", runner.Task, outputLength, options.TopK);
                ReportMeanIoU(runner, communicator, result.Metrics, "val_");
            }
            result.Metrics["lr"] = options.Optimizer.LearningRate;
            result.Seconds = clock.Elapsed.TotalSeconds;
            history.Epochs.Add(result);
            progress.EpochDone(result);
            foreach (var callback in options.Callbacks)
            {
                callback.OnEpochEnd(context, result);
            }
        }
        foreach (var callback in options.Callbacks)
        {
            callback.OnTrainEnd(context);
        }
        return history;
    }

    /// <summary>
    /// Mean loss and accuracy (or MAE) of <paramref name="network"/> on <paramref name="data"/>,
    /// with dropout off; optionally the confusion matrix.
    /// </summary>
    public static EvaluationResult Evaluate(this ITrainableNetwork network, IDataSource data, Loss loss, int threads = 0, bool confusionMatrix = false, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        CheckShapes(network, data, loss, "evaluation data");
        threads = threads <= 0 ? Environment.ProcessorCount : threads;
        using var runner = new StepRunner(network, loss, threads, Math.Max(threads, batchSize), topK: 0);
        bool classification = runner.Task is TaskKind.Classification or TaskKind.SparseClassification;
        // A per-pixel output always collects the pixel counts, for mean_iou.
        runner.CollectConfusion(classification && (confusionMatrix || runner.PerPixel));
        var totals = EvaluateTotals(runner, data);
        var metrics = new Dictionary<string, double>();
        totals.Report(metrics, "", runner.Task, network.OutputShape.Length, 0);
        ConfusionMatrix? confusion = null;
        if (runner.TakeConfusion() is { } counts)
        {
            int classes = runner.Classes;
            if (runner.PerPixel)
            {
                metrics["mean_iou"] = Segmentation.MeanIoU(counts, classes);
            }
            if (confusionMatrix)
            {
                // Class names of a segmentation data set name the pixel classes too.
                confusion = new ConfusionMatrix(classes, data.ClassNames?.Count == classes ? data.ClassNames : null);
                for (int actual = 0; actual < classes; actual++)
                {
                    for (int predicted = 0; predicted < classes; predicted++)
                    {
                        confusion.Add(actual, predicted, counts[actual * classes + predicted]);
                    }
                }
            }
        }
        return new EvaluationResult(metrics, confusion);
    }

    /// <summary>Network outputs (after the last activation) for every sample, row by row.</summary>
    public static float[] Predict(this INetwork network, IDataSource data, int threads = 0, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputLength != network.InputShape.Length)
        {
            throw new ArgumentException($"The data has {data.InputLength} input values per sample but {network.GetType().Name} takes {network.InputShape} = {network.InputShape.Length}.", nameof(data));
        }
        int outputLength = network.OutputShape.Length;
        var outputs = new float[(long)data.Count * outputLength];
        threads = Math.Max(1, threads <= 0 ? Environment.ProcessorCount : threads);
        using var pool = new Parallel.WorkerPool(threads);
        var workspaces = Enumerable.Range(0, threads).Select(_ => network.CreateInferenceWorkspace(batchSize)).ToArray();
        var buffers = Enumerable.Range(0, threads).Select(_ => new float[batchSize * data.InputLength]).ToArray();
        var targets = Enumerable.Range(0, threads).Select(_ => new float[data.TargetLength]).ToArray();
        int chunks = (data.Count + batchSize - 1) / batchSize;
        pool.Run(thread =>
        {
            for (int chunk = thread; chunk < chunks; chunk += threads)
            {
                int start = chunk * batchSize;
                int count = Math.Min(batchSize, data.Count - start);
                for (int r = 0; r < count; r++)
                {
                    data.Read(start + r, buffers[thread].AsSpan(r * data.InputLength, data.InputLength), targets[thread]);
                }
                network.Forward(buffers[thread].AsSpan(0, count * data.InputLength), outputs.AsSpan(start * outputLength, count * outputLength), workspaces[thread]);
            }
        });
        return outputs;
    }

    /// <summary>Writes <c>mean_iou</c> from the pixel counts since the last call (summed over processes), for a per-pixel output.</summary>
    private static void ReportMeanIoU(StepRunner runner, ICommunicator communicator, IDictionary<string, double> metrics, string prefix)
    {
        if (!runner.PerPixel || runner.TakeConfusion() is not { } counts)
        {
            return;
        }
        if (communicator.Size > 1)
        {
            var values = counts.Select(c => (double)c).ToArray();
            communicator.AllReduceSum(values);
            counts = values.Select(v => (long)v).ToArray();
        }
        metrics[prefix + "mean_iou"] = Segmentation.MeanIoU(counts, runner.Classes);
    }

    private static Totals EvaluateTotals(StepRunner runner, IDataSource data)
    {
        var order = Enumerable.Range(0, data.Count).ToArray();
        var totals = default(Totals);
        using var prefetcher = new BatchPrefetcher(data, runner.Capacity, augmentation: null, seed: 0);
        prefetcher.Start(order, runner.Capacity, epoch: 0);
        for (int start = 0; start < data.Count; start += runner.Capacity)
        {
            var batch = prefetcher.Next();
            runner.EvaluateBatch(batch, ref totals);
            prefetcher.Release(batch);
        }
        return totals;
    }

    /// <summary>Parameter ranges of layers that are not frozen (state such as running statistics never); biases flagged for optional weight-decay exclusion.</summary>
    internal static List<ParameterRange> TrainableRanges(ITrainableNetwork network) =>
        network.ParameterTensors
            .Where(t => t.Trainable && !network.IsFrozen(t.LayerIndex))
            .Select(t => new ParameterRange(t.Offset, t.Length, t.Layout == "O"))
            .ToList();

    private static void ShuffleInPlace(int[] order, bool shuffle, ulong seed, int epoch)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        if (!shuffle)
        {
            return;
        }
        // Fisher–Yates with a stream per epoch, so epoch e's order does not depend on earlier epochs.
        var random = new SeededRandom(seed, 0x5EED_0000UL + (ulong)epoch);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    private static ulong MixSeed(ulong seed, int epoch, int step)
    {
        var random = new SeededRandom(seed, ((ulong)(uint)epoch << 32) | (uint)step);
        return random.NextUInt64();
    }

    private static void Validate(ITrainableNetwork network, IDataSource train, TrainingOptions options)
    {
        if (options.Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be positive.");
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be positive.");
        if (options.Threads <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "Threads must be positive.");
        if (options.DataThreads <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.DataThreads, "DataThreads must be positive.");
        if (options.AllReduceBucketValues <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.AllReduceBucketValues, "AllReduceBucketValues must be positive.");
        if (options.ValidationSplit < 0 || options.ValidationSplit >= 1) throw new ArgumentOutOfRangeException(nameof(options), options.ValidationSplit, "ValidationSplit must be in [0, 1).");
        if (!Enum.IsDefined(options.OnNonFinite)) throw new ArgumentOutOfRangeException(nameof(options), options.OnNonFinite, "OnNonFinite must be Stop, SkipStep or Ignore.");
        if (!(options.LossGrowthFactor > 1)) throw new ArgumentOutOfRangeException(nameof(options), options.LossGrowthFactor, "LossGrowthFactor must be greater than 1 (PositiveInfinity turns the warning off).");
        if (options.InitialEpoch < 0 || options.InitialEpoch > options.Epochs) throw new ArgumentOutOfRangeException(nameof(options), options.InitialEpoch, "InitialEpoch must be in [0, Epochs].");
        if (train.Count == 0) throw new ArgumentException("The training data is empty.", nameof(train));
        // The loss / activation pairing first: it is the more fundamental mistake.
        LossCompatibility.UsesLogits(network, options.Loss);
        LossCompatibility.IsPerPixel(network, options.Loss);
        CheckShapes(network, train, options.Loss, "training data");
        CheckLabels(network, train, options.Loss, "training data");
        if (options.ValidationData is not null)
        {
            CheckLabels(network, options.ValidationData, options.Loss, "validation data");
        }
    }

    // In-memory labels are checked whole before the first step, so the message names the
    // sample's index in the data passed in (before any validation split). Data read on demand
    // (an image folder) would have to be read whole to see every label; its class list is the
    // cheap stand-in: more classes than output units means some samples carry a label the
    // network cannot score, which StepRunner would otherwise find only at that sample's batch,
    // after earlier steps had changed the weights.
    private static void CheckLabels(ITrainableNetwork network, IDataSource data, Loss loss, string what)
    {
        if (LossCompatibility.TaskOf(loss) != TaskKind.SparseClassification)
        {
            return;
        }
        int units = network.OutputShape.Length;
        if (data is Dataset dataset)
        {
            if (LossCompatibility.IsPerPixel(network, loss))
            {
                var shape = network.OutputShape;
                int pixels = shape.Height * shape.Width;
                if (dataset.TargetLength != pixels) return; // CheckShapes says what is wrong
                for (int sample = 0; sample < dataset.Count; sample++)
                {
                    SparseLabels.CheckPixels(dataset.Targets.Slice(sample * pixels, pixels), sample, shape.Channels, shape.Width,
                        LossCompatibility.IgnoreLabelOf(loss), what + (dataset.SourceName is null ? "" : $" (read from {dataset.SourceName})"));
                }
            }
            else if (dataset.TargetLength == 1 && LossCompatibility.IgnoreLabelOf(loss) is null)
            {
                SparseLabels.CheckAll(dataset.Targets, units, what, dataset.SourceName);
            }
        }
        else if (data.TargetLength == 1 && data.ClassNames is { } classes && classes.Count > units)
        {
            throw new ArgumentException(
                $"The {what} ({data.GetType().Name}: {data}) has {classes.Count} classes, labels 0 to {classes.Count - 1}, "
                + $"but {network.GetType().Name} has {units} output units, labels 0 to {units - 1}: samples of class '{classes[units]}' (label {units}) "
                + $"and above cannot be scored; give the last layer {classes.Count} units or leave those classes out of the data.");
        }
    }

    private static void CheckShapes(ITrainableNetwork network, IDataSource data, Loss loss, string what)
    {
        if (data.InputLength != network.InputShape.Length)
        {
            throw new ArgumentException($"The {what} has {data.InputLength} input values per sample but {network.GetType().Name} takes {network.InputShape} = {network.InputShape.Length}.");
        }
        var output = network.OutputShape;
        if (LossCompatibility.IsPerPixel(network, loss))
        {
            int perPixel = loss.TargetLength(output.Channels);
            int pixelTargets = perPixel * output.Height * output.Width;
            if (data.TargetLength != pixelTargets)
            {
                throw new ArgumentException(
                    $"The {what} has {data.TargetLength} target values per sample but {loss.Name} on {network.GetType().Name}'s {output} output needs "
                    + (perPixel == 1 ? $"an [{output.Height},{output.Width}] mask of class indices ({pixelTargets} values)."
                                     : $"an [{output.Height},{output.Width},{output.Channels}] one-hot mask ({pixelTargets} values)."));
            }
            return;
        }
        int expected = loss.TargetLength(output.Length);
        if (data.TargetLength != expected)
        {
            throw new ArgumentException($"The {what} has {data.TargetLength} target values per sample but {loss.Name} on {network.GetType().Name}'s {network.OutputShape.Length} outputs needs {expected}"
                + (expected == 1 ? " (a class index)." : data.TargetLength == 1 ? " (use SparseSoftmaxCrossEntropy for class-index targets)." : "."));
        }
    }
}
