using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using ConvGen.Parallel;
using ConvGen.Training.Metrics;

namespace ConvGen.Training;

/// <summary>
/// Runs training and evaluation steps: splits a batch into contiguous per-thread parts, each
/// thread gathers its samples, runs the training forward pass, the loss and backward into its
/// own workspace; the parameter gradients are then summed in thread order (fixed, so results
/// do not depend on timing) and the optimizer steps. Nothing is allocated per step.
/// </summary>
internal sealed class StepRunner : IDisposable
{
    private readonly ITrainableNetwork _network;
    private readonly Loss _loss;
    private readonly TaskKind _task;
    private readonly bool _usesLogits;
    private readonly int _inputLength;
    private readonly int _outputLength;
    private readonly int _targetLength;
    private readonly bool _perPixel;   // a spatial output scored pixel by pixel
    private readonly int _pixels;      // H*W when per pixel, else 1
    private readonly int _channels;    // values per scored row: C when per pixel, else the output length
    private readonly int? _ignoreLabel;
    private long[][]? _stepConfusion;  // per thread: this step's counts, to take back a refused step
    private readonly int _topK;
    private readonly WorkerPool _pool;
    private readonly ITrainingWorkspace[] _workspaces;
    private readonly Totals[] _totals;
    private readonly Action<int> _trainPart;
    private readonly Action<int> _evaluatePart;
    private readonly GradientReducer? _reducer;
    private readonly RunningStatistics? _runningStatistics;
    private BatchParts? _parts; // with BatchNorm and several threads: the threads exchange batch statistics
    private readonly Distributed.ICommunicator? _batchNormProcesses; // SyncBatchNorm: and the processes too

    // State of the current call, read by the cached per-thread delegates.
    private BatchBuffer _batch = null!;
    private float _gradientScale;
    private ulong _dropoutSeed;
    private long _firstSample;
    private string _dataDescription = "training data";

    /// <summary>
    /// One workspace per thread for batches of up to <paramref name="capacity"/> samples. With a
    /// <paramref name="communicator"/> of more than one process, training gradients are also summed
    /// over all processes, in buckets of at least <paramref name="bucketValues"/> values overlapped
    /// with backward (see <see cref="GradientReducer"/>). With <paramref name="syncBatchNorm"/>,
    /// BatchNorm normalises over the batches of all processes (statistics summed over the communicator).
    /// </summary>
    public StepRunner(ITrainableNetwork network, Loss loss, int threads, int capacity, int topK, Distributed.ICommunicator? communicator = null,
        int bucketValues = GradientReducer.DefaultBucketValues, bool syncBatchNorm = false)
    {
        _network = network;
        _loss = loss;
        _task = LossCompatibility.TaskOf(loss);
        _usesLogits = LossCompatibility.UsesLogits(network, loss);
        _inputLength = network.InputShape.Length;
        _outputLength = network.OutputShape.Length;
        _perPixel = LossCompatibility.IsPerPixel(network, loss);
        _pixels = _perPixel ? network.OutputShape.Height * network.OutputShape.Width : 1;
        _channels = _perPixel ? network.OutputShape.Channels : _outputLength;
        _targetLength = loss.TargetLength(_channels) * _pixels;
        _ignoreLabel = LossCompatibility.IgnoreLabelOf(loss);
        _topK = topK;
        _pool = new WorkerPool(threads);
        int perThread = (capacity + threads - 1) / threads;
        _workspaces = new ITrainingWorkspace[threads];
        _totals = new Totals[threads];
        for (int t = 0; t < threads; t++)
        {
            _workspaces[t] = network.CreateTrainingWorkspace(perThread);
        }
        _trainPart = TrainPart;
        _evaluatePart = EvaluatePart;
        ConfusionCounts = null;
        if (_perPixel && _task is TaskKind.Classification or TaskKind.SparseClassification)
        {
            CollectConfusion(true); // mean IoU every epoch
        }
        _runningStatistics = RunningStatistics.For(network, communicator);
        _batchNormProcesses = syncBatchNorm && communicator is { Size: > 1 } ? communicator : null;
        if (_runningStatistics is not null && (threads > 1 || _batchNormProcesses is not null))
        {
            ShareBatches();
        }
        if (communicator is { Size: > 1 })
        {
            _reducer = new GradientReducer(communicator, network, _workspaces, bucketValues);
        }
    }

    /// <summary>A new group of parts for the threads' workspaces (at the start, and after a step that failed in one part).</summary>
    private void ShareBatches()
    {
        _parts?.Dispose();
        _parts = new BatchParts(_pool.Threads, _batchNormProcesses);
        for (int t = 0; t < _workspaces.Length; t++)
        {
            _workspaces[t].Share = _parts.ShareOf(t);
        }
    }

    public int Threads => _pool.Threads;

    /// <summary>The cross-process gradient reduction, when there is one.</summary>
    internal GradientReducer? Reducer => _reducer;

    public TaskKind Task => _task;

    /// <summary>True when a spatial output is scored pixel by pixel (accuracy per pixel, mean IoU).</summary>
    public bool PerPixel => _perPixel;

    /// <summary>Classes of the confusion counts (channels per pixel, or outputs per sample).</summary>
    public int Classes => _channels;

    /// <summary>Per-thread confusion counts [actual * classes + predicted], when requested by <see cref="CollectConfusion"/>.</summary>
    public long[][]? ConfusionCounts { get; private set; }

    public void CollectConfusion(bool on)
    {
        if (!on)
        {
            ConfusionCounts = null;
            _stepConfusion = null;
            return;
        }
        ConfusionCounts = new long[_pool.Threads][];
        _stepConfusion = new long[_pool.Threads][];
        for (int t = 0; t < ConfusionCounts.Length; t++)
        {
            ConfusionCounts[t] = new long[_channels * _channels];
            _stepConfusion[t] = new long[_channels * _channels];
        }
    }

    /// <summary>Takes the last step's confusion counts back out (a step the divergence guard refused).</summary>
    public void UndoStepConfusion()
    {
        if (ConfusionCounts is null || _stepConfusion is null) return;
        for (int t = 0; t < ConfusionCounts.Length; t++)
        {
            TensorPrimitives.Subtract(ConfusionCounts[t], _stepConfusion[t], ConfusionCounts[t]);
            Array.Clear(_stepConfusion[t]);
        }
    }

    /// <summary>The confusion counts summed over the threads (since the last call), and clears them; null when not collected.</summary>
    public long[]? TakeConfusion()
    {
        if (ConfusionCounts is null) return null;
        var sum = new long[_channels * _channels];
        foreach (var counts in ConfusionCounts)
        {
            TensorPrimitives.Add(sum, counts, sum);
            Array.Clear(counts);
        }
        return sum;
    }

    /// <summary>
    /// Computes the gradient of one gathered batch into <paramref name="gradients"/>, scaled by
    /// <paramref name="gradientScale"/> (1 / the global batch size, which exceeds this batch's
    /// size when several processes share a step). <paramref name="firstSample"/> is the batch's
    /// place within the global batch, for dropout masks. With a communicator of several
    /// processes, the gradients returned are already summed over all of them. With
    /// <paramref name="checkFinite"/>, returns whether every summed gradient is finite (checked in
    /// the pass that sums the threads' gradients; with several processes, in a pass after the
    /// all-reduce, whose result is the same on every process); otherwise returns true.
    /// </summary>
    public bool TrainBatch(BatchBuffer batch, ulong dropoutSeed, long firstSample, float gradientScale, float[] gradients, ref Totals totals, bool checkFinite = false)
    {
        _batch = batch;
        _dataDescription = "training data";
        _gradientScale = gradientScale;
        _dropoutSeed = dropoutSeed;
        _firstSample = firstSample;
        _reducer?.Begin(gradients);
        // The threads with samples (the first ones) exchange BatchNorm statistics; the others do not take part.
        _parts?.Begin(Math.Clamp(batch.Count, 1, _pool.Threads));
        try
        {
            _pool.Run(_trainPart);
        }
        catch when (_parts is { Aborted: true })
        {
            ShareBatches();
            throw;
        }
        bool finite = true;
        if (_reducer is not null)
        {
            _reducer.Finish();
            finite = !checkFinite || Finiteness.All(gradients);
        }
        else if (_workspaces.Length == 1)
        {
            if (checkFinite)
            {
                finite = Finiteness.CopyAndCheck(_workspaces[0].Gradients, gradients);
            }
            else
            {
                _workspaces[0].Gradients.CopyTo(gradients);
            }
        }
        else
        {
            _workspaces[0].Gradients.CopyTo(gradients);
            int last = _workspaces.Length - 1;
            for (int t = 1; t < last; t++)
            {
                TensorPrimitives.Add(gradients, _workspaces[t].Gradients, gradients);
            }
            if (checkFinite)
            {
                finite = Finiteness.AddAndCheck(gradients, _workspaces[last].Gradients, gradients);
            }
            else
            {
                TensorPrimitives.Add(gradients, _workspaces[last].Gradients, gradients);
            }
        }
        // After the gradient all-reduce has finished, so the statistics' own all-reduce (with
        // several processes) does not interleave with the gradient buckets in flight.
        _runningStatistics?.Update(_workspaces);
        Collect(ref totals);
        return finite;
    }

    /// <summary>Runs the loss and metrics (no dropout, no gradient) over one gathered batch.</summary>
    public void EvaluateBatch(BatchBuffer batch, ref Totals totals)
    {
        _batch = batch;
        _dataDescription = "evaluated data";
        _gradientScale = 1f;
        _pool.Run(_evaluatePart);
        Collect(ref totals);
    }

    /// <summary>Largest batch the workspaces hold together.</summary>
    public int Capacity => _workspaces[0].Capacity * _pool.Threads;

    private void Collect(ref Totals totals)
    {
        for (int t = 0; t < _totals.Length; t++)
        {
            totals.Add(_totals[t]);
            if (ConfusionCounts is not null && _stepConfusion is not null)
            {
                TensorPrimitives.Add(ConfusionCounts[t], _stepConfusion[t], ConfusionCounts[t]);
            }
        }
    }

    private void TrainPart(int thread)
    {
        try
        {
            RunPart(thread, training: true);
        }
        catch when (_parts is not null)
        {
            // The other parts may be waiting for this one's statistics: release them.
            _parts.Abort();
            throw;
        }
    }

    private void EvaluatePart(int thread) => RunPart(thread, training: false);

    private void RunPart(int thread, bool training)
    {
        var (offset, count) = WorkerPool.Partition(_batch.Count, _pool.Threads, thread);
        var workspace = _workspaces[thread];
        ref var totals = ref _totals[thread];
        totals = default;
        if (_stepConfusion is not null)
        {
            Array.Clear(_stepConfusion[thread]);
        }
        if (training)
        {
            workspace.Gradients.Clear();
        }
        if (count == 0)
        {
            if (training) _reducer?.Idle(thread);
            return;
        }
        ReadOnlySpan<float> inputs = _batch.Inputs.AsSpan(offset * _inputLength, count * _inputLength);
        ReadOnlySpan<float> targets = _batch.Targets.AsSpan(offset * _targetLength, count * _targetLength);
        if (_task == TaskKind.SparseClassification)
        {
            // Before any work, so the error names the sample in the data source, not a row of
            // this thread's part of the batch (the loss alone knows only the row).
            for (int r = 0; r < count; r++)
            {
                SparseLabels.CheckPixels(targets.Slice(r * _pixels, _pixels), _batch.Samples[offset + r], _channels,
                    _perPixel ? _network.OutputShape.Width : 0, _ignoreLabel, _dataDescription);
            }
        }
        var dropout = training ? new DropoutContext(_dropoutSeed, _firstSample + offset) : DropoutContext.Off;
        // BatchNorm's mode is set apart from dropout: batch statistics exactly when training.
        _network.ForwardTraining(inputs, workspace, count, dropout, batchStatistics: training);
        int values = count * _outputLength;
        ReadOnlySpan<float> predictions = (_usesLogits ? workspace.Logits : workspace.Outputs).Slice(0, values);
        totals.LossSum = _perPixel
            ? _loss.ComputePerPixel(predictions, targets, workspace.OutputGradient.Slice(0, values), count, _pixels, _channels, _gradientScale)
            : _loss.Compute(predictions, targets, workspace.OutputGradient.Slice(0, values), count, _outputLength, _gradientScale);
        totals.Samples = count;
        StepScores.Add(_task, _usesLogits, _topK, predictions, targets, count * _pixels, _channels, ref totals, _stepConfusion?[thread], _ignoreLabel);
        if (training)
        {
            _network.Backward(inputs, workspace, count, _usesLogits, _reducer?.ProgressOf(thread));
        }
    }

    public void Dispose()
    {
        _pool.Dispose();
        _parts?.Dispose();
    }
}
