using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using ConvGen.Parallel;
using ConvGen.Training.Metrics;

namespace ConvGen.Training;

/// <summary>
/// Runs training and evaluation steps: splits a batch into a fixed number of chunks (a function
/// of the batch size only, see <see cref="ChunkPlan"/>), gives each thread a contiguous run of
/// whole chunks, and each thread runs the training forward pass, the loss and backward over its
/// run in its own workspace. Every sum over the batch is made per chunk and the chunks' sums are
/// added in one fixed tree (gradients, BatchNorm statistics) or in chunk order (loss, metrics),
/// so a step's result is bit for bit the same whatever the number of threads. Nothing is
/// allocated per step.
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
    private readonly GradientChunks[] _chunks; // per thread: its run of chunks and their gradient buffers
    private readonly bool _chunked; // the workspaces take chunks (networks generated before them add per thread)
    private readonly Totals[] _chunkTotals = new Totals[ChunkPlan.MaxChunks]; // per chunk of the step
    private readonly int[] _chunkStarts = new int[ChunkPlan.MaxChunks + 1]; // the step's chunks: sample starts, then the batch size
    private readonly int[] _runStart; // per thread: its first chunk (index into _chunkStarts)
    private readonly int[] _runCount; // per thread: its number of chunks
    private int _chunkCount;
    private int _firstLeaf; // the step's first chunk in the tree of the global batch's chunks
    private int _leafSpace; // chunks of the global batch (SyncBatchNorm gathers every process's chunks)
    private readonly (int Layer, int Offset, int Length)[] _layerRanges; // trainable parameter tensors
    private readonly bool[] _wasFrozen;
    private readonly ITrainingWorkspace[] _firstWorkspace = new ITrainingWorkspace[1];
    private readonly Action<int> _trainPart;
    private readonly Action<int> _evaluatePart;
    private readonly Action<int> _sumPart;
    private readonly Action<int> _updatePart;
    private readonly bool[] _sliceFinite; // per thread: its slice of the summed gradient is finite
    private readonly DeferredDenseGradients _deferred;
    private (int Offset, int Length)[] _deferredRanges = new (int, int)[4]; // this step's deferred weights, by offset
    private int _deferredLayers;
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
    private float[] _gradients = Array.Empty<float>();
    private bool _checkFinite;
    private Optimizer? _optimizer;
    private IReadOnlyList<ParameterRange> _trainable = Array.Empty<ParameterRange>();

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
        int perThread = ChunkPlan.PerThreadCapacity(capacity, threads);
        _workspaces = new ITrainingWorkspace[threads];
        _chunks = new GradientChunks[threads];
        _runStart = new int[threads];
        _runCount = new int[threads];
        _chunked = true;
        for (int t = 0; t < threads; t++)
        {
            _workspaces[t] = network.CreateTrainingWorkspace(perThread);
            _chunks[t] = new GradientChunks(_workspaces[t]);
            _workspaces[t].Chunks = _chunks[t];
            _chunked &= _workspaces[t].Chunks == _chunks[t];
        }
        _layerRanges = network.ParameterTensors.Where(p => p.Trainable).Select(p => (p.LayerIndex, p.Offset, p.Length)).ToArray();
        _wasFrozen = new bool[network.Layers.Count];
        _trainPart = TrainPart;
        _evaluatePart = EvaluatePart;
        _sumPart = SumPart;
        _updatePart = UpdatePart;
        _sliceFinite = new bool[threads];
        _deferred = new DeferredDenseGradients(threads);
        ConfusionCounts = null;
        if (_perPixel && _task is TaskKind.Classification or TaskKind.SparseClassification)
        {
            CollectConfusion(true); // mean IoU every epoch
        }
        _runningStatistics = RunningStatistics.For(network, communicator);
        _batchNormProcesses = syncBatchNorm && communicator is { Size: > 1 } ? communicator : null;
        // Always with chunks (one thread too): BatchNorm's statistics are merged chunk by chunk.
        if (_runningStatistics is not null && (_chunked || threads > 1 || _batchNormProcesses is not null))
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
            if (_chunked) _parts.ShareOf(t).Chunks = _chunks[t];
        }
    }

    public int Threads => _pool.Threads;

    /// <summary>
    /// Whether large Dense layers' weight gradients are made after backward, split over the threads
    /// by weight rows (see <see cref="DeferredDenseGradients"/>); the same bits either way. On by
    /// default; never with a cross-process reducer (it sums every layer as backward goes).
    /// </summary>
    internal bool DefersDenseWeights { get; set; } = true;

    /// <summary>Batches the training threads read the next of at the end of their part of each step, or null.</summary>
    internal InStepBatches? ReadsAhead { get; set; }

    /// <summary>Dense layers whose weight gradients the last training step deferred.</summary>
    internal int DeferredLayers => _deferredLayers;

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
    /// place within the global batch of <paramref name="globalCount"/> samples (0: this batch is
    /// the global batch), for dropout masks and the chunks: a process whose share is whole chunks
    /// of the global batch computes exactly its subtree of the global batch's sums. With a
    /// communicator of several processes, the gradients returned are already summed over all of
    /// them. With <paramref name="checkFinite"/>, returns whether every summed gradient is finite
    /// (checked in the pass that makes the last sum; with several processes, in a pass after the
    /// all-reduce, whose result is the same on every process); otherwise returns true.
    /// </summary>
    public bool TrainBatch(BatchBuffer batch, ulong dropoutSeed, long firstSample, float gradientScale, float[] gradients, ref Totals totals,
        bool checkFinite = false, int globalCount = 0)
    {
        _batch = batch;
        _dataDescription = "training data";
        _gradientScale = gradientScale;
        _dropoutSeed = dropoutSeed;
        _firstSample = firstSample;
        PlanChunks(batch.Count, firstSample, globalCount);
        bool defer = _chunked && _reducer is null && DefersDenseWeights && DeferredDenseGradients.Applies(_firstLeaf, _chunkCount);
        foreach (var chunks in _chunks) chunks.DefersDenseWeights = defer;
        if (_chunked) ClearNewlyFrozen();
        _reducer?.Begin(gradients, _chunked ? _chunks : null, _firstLeaf, _firstLeaf + _chunkCount);
        // The threads with chunks (the first ones) exchange BatchNorm statistics; the others do not take part.
        _parts?.Begin(ActiveThreads, _firstLeaf, _leafSpace);
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
        else if (_chunked)
        {
            _deferredLayers = defer ? _deferred.Begin(_chunks) : 0;
            SortDeferredRanges();
            _gradients = gradients;
            _checkFinite = checkFinite;
            if (_pool.Threads == 1)
            {
                SumPart(0);
            }
            else
            {
                // Every thread sums (and checks) its own slice of the parameters: each value is the
                // same chunk-tree sum as in one piece, so the split changes no bit of it.
                _pool.Run(_sumPart);
            }
            foreach (bool sliceFinite in _sliceFinite) finite &= sliceFinite;
        }
        else
        {
            finite = SumInThreadOrder(gradients, checkFinite);
        }
        // After the gradient all-reduce has finished, so the statistics' own all-reduce (with
        // several processes) does not interleave with the gradient buckets in flight. With chunks,
        // every thread holds the whole batch's statistics (merged in the chunk tree): the first
        // thread's are taken alone, so the thread count cannot change the rounding.
        if (_runningStatistics is not null)
        {
            _firstWorkspace[0] = _workspaces[0];
            _runningStatistics.Update(_chunked && _parts is not null ? _firstWorkspace : _workspaces);
        }
        Collect(ref totals);
        return finite;
    }

    /// <summary>
    /// Applies <paramref name="optimizer"/>'s step to the network's parameters with
    /// <paramref name="gradients"/> (those of the last <see cref="TrainBatch"/>): with several
    /// threads and an optimizer that splits, each thread updates the slice of the parameters whose
    /// gradient it summed (still in its cache), so the update is not a serial pass between steps.
    /// The same per-element arithmetic as <see cref="Optimizer.Step"/>, so the same weights.
    /// </summary>
    public void Update(Optimizer optimizer, float[] gradients, IReadOnlyList<ParameterRange> trainable)
    {
        if (_pool.Threads == 1 || !optimizer.Splits)
        {
            optimizer.Step(_network.Parameters, gradients, trainable);
            return;
        }
        optimizer.BeginSplitStep(_network.Parameters, gradients, trainable);
        _optimizer = optimizer;
        _gradients = gradients;
        _trainable = trainable;
        try
        {
            _pool.Run(_updatePart);
        }
        finally
        {
            _optimizer = null;
            _trainable = Array.Empty<ParameterRange>();
        }
    }

    /// <summary>
    /// Thread <paramref name="thread"/>'s slice of <paramref name="length"/> parameters: contiguous,
    /// whole cache lines (16 floats) apart from the last, the same slice in the sum and the update.
    /// </summary>
    private (int Start, int Length) SliceOf(int length, int thread)
    {
        const int Line = 16;
        var (first, lines) = WorkerPool.Partition((length + Line - 1) / Line, _pool.Threads, thread);
        int start = Math.Min(first * Line, length);
        return (start, Math.Min((first + lines) * Line, length) - start);
    }

    /// <summary>
    /// Thread <paramref name="thread"/>'s share of the step's gradient: its slice of the chunk-tree
    /// sum, less the deferred Dense weights, and its rows of those (made here, from every chunk).
    /// </summary>
    private void SumPart(int thread)
    {
        var (start, length) = SliceOf(_gradients.Length, thread);
        bool finite = true;
        int end = start + length;
        for (int r = 0; r < _deferredLayers && start < end; r++)
        {
            var (offset, count) = _deferredRanges[r];
            if (offset + count <= start) continue;
            int gapEnd = Math.Min(offset, end);
            if (gapEnd > start) finite &= SumSlice(start, gapEnd - start);
            start = Math.Max(start, offset + count);
        }
        if (end > start) finite &= SumSlice(start, end - start);
        if (_deferredLayers > 0)
        {
            finite &= _deferred.Run(_chunks, _deferredLayers, thread, _pool.Threads, _gradients, _checkFinite);
        }
        _sliceFinite[thread] = finite;
    }

    private bool SumSlice(int start, int length) =>
        ChunkTree.Sum(_chunks, _firstLeaf, _firstLeaf + _chunkCount, start, length, _gradients.AsSpan(start, length), _checkFinite);

    /// <summary>This step's deferred weight ranges in parameter order (the tree sum steps over them).</summary>
    private void SortDeferredRanges()
    {
        if (_deferredLayers > _deferredRanges.Length) Array.Resize(ref _deferredRanges, _deferredLayers); // once, on the first step
        for (int l = 0; l < _deferredLayers; l++)
        {
            _deferredRanges[l] = _deferred.Range(_chunks, l);
        }
        _deferredRanges.AsSpan(0, _deferredLayers).Sort();
    }

    private void UpdatePart(int thread)
    {
        var (start, length) = SliceOf(_gradients.Length, thread);
        if (length > 0) _optimizer!.StepPart(_network.Parameters, _gradients, _trainable, start, start + length);
    }

    /// <summary>The gradients of networks whose workspaces take no chunks: each thread's sum, added in thread order.</summary>
    private bool SumInThreadOrder(float[] gradients, bool checkFinite)
    {
        if (_workspaces.Length == 1)
        {
            if (checkFinite) return Finiteness.CopyAndCheck(_workspaces[0].Gradients, gradients);
            _workspaces[0].Gradients.CopyTo(gradients);
            return true;
        }
        _workspaces[0].Gradients.CopyTo(gradients);
        int last = _workspaces.Length - 1;
        for (int t = 1; t < last; t++)
        {
            TensorPrimitives.Add(gradients, _workspaces[t].Gradients, gradients);
        }
        if (checkFinite) return Finiteness.AddAndCheck(gradients, _workspaces[last].Gradients, gradients);
        TensorPrimitives.Add(gradients, _workspaces[last].Gradients, gradients);
        return true;
    }

    /// <summary>Runs the loss and metrics (no dropout, no gradient) over one gathered batch.</summary>
    public void EvaluateBatch(BatchBuffer batch, ref Totals totals)
    {
        _batch = batch;
        _dataDescription = "evaluated data";
        _gradientScale = 1f;
        PlanChunks(batch.Count, 0, 0);
        _pool.Run(_evaluatePart);
        Collect(ref totals);
    }

    /// <summary>Largest batch the workspaces hold together.</summary>
    public int Capacity => _workspaces[0].Capacity * _pool.Threads;

    private int ActiveThreads => Math.Min(_pool.Threads, _chunkCount);

    /// <summary>
    /// This step's chunks and each thread's run of them. When this process's share of the global
    /// batch is whole chunks of the global batch's plan, those chunks (so that one process with
    /// the whole batch and two with half each add the same subtrees); otherwise the chunks of the
    /// local batch. Workspaces grow when a run holds more samples than they do (never in steady state).
    /// </summary>
    private void PlanChunks(int count, long firstSample, int globalCount)
    {
        int chunks = ChunkPlan.Count(count);
        int firstLeaf = 0;
        long first = 0;
        int global = count;
        if (globalCount > count && firstSample >= 0 && firstSample + count <= globalCount)
        {
            int globalChunks = ChunkPlan.Count(globalCount);
            int k0 = 0;
            while (k0 < globalChunks && ChunkPlan.Start(globalCount, k0) < firstSample) k0++;
            int k1 = k0;
            while (k1 < globalChunks && ChunkPlan.Start(globalCount, k1) < firstSample + count) k1++;
            if (k0 < globalChunks && ChunkPlan.Start(globalCount, k0) == firstSample && ChunkPlan.Start(globalCount, k1) == firstSample + count)
            {
                chunks = k1 - k0;
                firstLeaf = k0;
                first = firstSample;
                global = globalCount;
            }
        }
        _leafSpace = ChunkPlan.MaxChunks;
        if (global == count && _batchNormProcesses is not null)
        {
            // Not whole global chunks: each process's chunks take a block of their own.
            firstLeaf = _batchNormProcesses.Rank * ChunkPlan.MaxChunks;
            _leafSpace = _batchNormProcesses.Size * ChunkPlan.MaxChunks;
        }
        _chunkCount = chunks;
        _firstLeaf = firstLeaf;
        for (int c = 0; c <= chunks; c++)
        {
            _chunkStarts[c] = global == count
                ? ChunkPlan.Start(count, c)
                : (int)(ChunkPlan.Start(global, firstLeaf + c) - first);
        }
        Span<int> bounds = stackalloc int[ChunkPlan.MaxChunks + 1];
        for (int t = 0; t < _pool.Threads; t++)
        {
            var (runStart, runCount) = WorkerPool.Partition(chunks, _pool.Threads, t);
            _runStart[t] = runStart;
            _runCount[t] = runCount;
            int samples = _chunkStarts[runStart + runCount] - _chunkStarts[runStart];
            if (samples > _workspaces[t].Capacity)
            {
                GrowWorkspace(t, samples);
            }
            if (!_chunked) continue;
            if (runCount == 0)
            {
                _chunks[t].ConfigureIdle();
                continue;
            }
            for (int c = 0; c <= runCount; c++) bounds[c] = _chunkStarts[runStart + c] - _chunkStarts[runStart];
            _chunks[t].Configure(firstLeaf + runStart, bounds.Slice(0, runCount + 1));
        }
    }

    private void GrowWorkspace(int thread, int samples)
    {
        var workspace = _network.CreateTrainingWorkspace(samples);
        workspace.Share = _workspaces[thread].Share;
        _workspaces[thread] = workspace; // the reducer reads the same array
        _chunks[thread] = new GradientChunks(workspace);
        workspace.Chunks = _chunks[thread];
        if (_parts is not null && _chunked) _parts.ShareOf(thread).Chunks = _chunks[thread];
    }

    /// <summary>
    /// Chunks leave the gradient buffers of frozen layers untouched: when a layer has just been
    /// frozen, its old gradients are cleared once in every buffer, so the sums keep it at zero.
    /// </summary>
    private void ClearNewlyFrozen()
    {
        for (int layer = 0; layer < _wasFrozen.Length; layer++)
        {
            bool frozen = _network.IsFrozen(layer);
            if (frozen && !_wasFrozen[layer])
            {
                foreach (var (owner, offset, length) in _layerRanges)
                {
                    if (owner != layer) continue;
                    foreach (var chunks in _chunks) chunks.ClearAll(offset, length);
                }
            }
            _wasFrozen[layer] = frozen;
        }
    }

    /// <summary>Adds the step's chunks' totals in chunk order (the same order whatever the threads).</summary>
    private void Collect(ref Totals totals)
    {
        for (int c = 0; c < _chunkCount; c++)
        {
            totals.Add(_chunkTotals[c]);
        }
        if (ConfusionCounts is not null && _stepConfusion is not null)
        {
            for (int t = 0; t < ConfusionCounts.Length; t++)
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
            ReadsAhead?.ReadAhead(thread);
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
        int firstChunk = _runStart[thread];
        int chunks = _runCount[thread];
        int offset = _chunkStarts[firstChunk];
        int count = _chunkStarts[firstChunk + chunks] - offset;
        var workspace = _workspaces[thread];
        if (_stepConfusion is not null)
        {
            Array.Clear(_stepConfusion[thread]);
        }
        if (training && !_chunked)
        {
            workspace.Gradients.Clear(); // with chunks, each layer's leaf is cleared where it is written
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
        ReadOnlySpan<float> predictions = (_usesLogits ? workspace.Logits : workspace.Outputs).Slice(0, count * _outputLength);
        var outputGradient = workspace.OutputGradient;
        // The loss and scores chunk by chunk: their sums are added in chunk order (see Collect).
        for (int c = firstChunk; c < firstChunk + chunks; c++)
        {
            int first = _chunkStarts[c] - offset;
            int rows = _chunkStarts[c + 1] - _chunkStarts[c];
            ref var totals = ref _chunkTotals[c];
            totals = default;
            var chunkPredictions = predictions.Slice(first * _outputLength, rows * _outputLength);
            var chunkTargets = targets.Slice(first * _targetLength, rows * _targetLength);
            var chunkGradient = outputGradient.Slice(first * _outputLength, rows * _outputLength);
            totals.LossSum = _perPixel
                ? _loss.ComputePerPixel(chunkPredictions, chunkTargets, chunkGradient, rows, _pixels, _channels, _gradientScale)
                : _loss.Compute(chunkPredictions, chunkTargets, chunkGradient, rows, _outputLength, _gradientScale);
            totals.Samples = rows;
            StepScores.Add(_task, _usesLogits, _topK, chunkPredictions, chunkTargets, rows * _pixels, _channels, ref totals, _stepConfusion?[thread], _ignoreLabel);
        }
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
