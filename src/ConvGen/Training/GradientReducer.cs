using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading;
using ConvGen.Distributed;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>
/// Sums one step's parameter gradients over the training threads and then over all processes,
/// bucket by bucket, starting each bucket's all-reduce as soon as every thread's backward pass
/// has finished the layers in it, so the network transfer of the upper layers overlaps with the
/// backward pass of the lower ones (Horovod's tensor fusion, PyTorch DDP's buckets).
/// <para>
/// Buckets are fixed: whole layers, grouped from the last layer down until a bucket holds at
/// least <see cref="TrainingOptions.AllReduceBucketValues"/> values. Fixed boundaries keep the reduction (and so the
/// result) independent of timing; within a bucket the threads' chunk gradients are added in the
/// chunk tree as without overlap, so the thread count does not change the sum either. Only
/// the thread that called <see cref="StepRunner.TrainBatch"/> (worker 0) talks to MPI, as
/// MPI_Init's default thread level requires.
/// </para>
/// </summary>
internal sealed class GradientReducer
{
    /// <summary>
    /// At least 64 Ki values (256 KiB) per bucket: small enough that a network of a few hundred
    /// thousand parameters gets several buckets to overlap, large enough that the per-call
    /// latency of an all-reduce (a few microseconds in shared memory) stays negligible.
    /// </summary>
    public const int DefaultBucketValues = 1 << 16;

    private readonly ICommunicator _communicator;
    private readonly ITrainingWorkspace[] _workspaces;
    private readonly (int Start, int Length)[] _buckets; // from the top of the parameter buffer down
    private readonly PendingSum[] _pending;
    private readonly int[] _finalFrom; // per thread: gradients from here on are final
    private readonly ThreadProgress[] _progress;
    private float[] _gradients = Array.Empty<float>();
    private GradientChunks[]? _chunks; // the threads' chunk gradients, summed in the chunk tree
    private int _firstLeaf;
    private int _endLeaf;
    private int _started;
    private int _completed;

    public GradientReducer(ICommunicator communicator, INetwork network, ITrainingWorkspace[] workspaces, int bucketValues)
    {
        _communicator = communicator;
        _workspaces = workspaces;
        _buckets = Buckets(network, bucketValues);
        _pending = new PendingSum[_buckets.Length];
        _finalFrom = new int[workspaces.Length];
        _progress = new ThreadProgress[workspaces.Length];
        for (int t = 0; t < workspaces.Length; t++)
        {
            _progress[t] = new ThreadProgress(this, t);
        }
    }

    /// <summary>Number of buckets (for tests and logs).</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Buckets of the last step whose sum started before every thread had returned from backward.</summary>
    public int StartedDuringBackward { get; private set; }

    /// <summary>What thread <paramref name="thread"/> passes to the network's backward pass.</summary>
    public BackwardProgress ProgressOf(int thread) => _progress[thread];

    /// <summary>
    /// Starts a step whose summed gradients go to <paramref name="gradients"/>: with
    /// <paramref name="chunks"/>, each bucket is the chunk tree's sum of chunks
    /// <paramref name="firstLeaf"/>..<paramref name="endLeaf"/>-1 (see <see cref="ChunkTree"/>);
    /// without, the threads' gradients added in thread order.
    /// </summary>
    public void Begin(float[] gradients, GradientChunks[]? chunks = null, int firstLeaf = 0, int endLeaf = 0)
    {
        _gradients = gradients;
        _chunks = chunks;
        _firstLeaf = firstLeaf;
        _endLeaf = endLeaf;
        _started = 0;
        _completed = 0;
        Array.Fill(_finalFrom, gradients.Length);
    }

    /// <summary>Thread <paramref name="thread"/> has no backward pass this step (no samples): its zero gradients are final.</summary>
    public void Idle(int thread) => Volatile.Write(ref _finalFrom[thread], 0);

    /// <summary>After every thread has returned: starts the buckets not started yet and waits for all.</summary>
    public void Finish()
    {
        StartedDuringBackward = _started;
        StartReadyBuckets(0);
        for (; _completed < _started; _completed++)
        {
            _communicator.Complete(_pending[_completed]);
        }
    }

    private void Report(int thread, int firstParameter)
    {
        Volatile.Write(ref _finalFrom[thread], firstParameter);
        if (thread != 0)
        {
            return;
        }
        int finalFrom = firstParameter;
        for (int t = 1; t < _finalFrom.Length; t++)
        {
            finalFrom = Math.Max(finalFrom, Volatile.Read(ref _finalFrom[t]));
        }
        StartReadyBuckets(finalFrom);
        // MPI moves data only inside MPI calls: poll the oldest sum in flight so it progresses.
        while (_completed < _started && _communicator.Poll(_pending[_completed]))
        {
            _communicator.Complete(_pending[_completed]);
            _completed++;
        }
    }

    private void StartReadyBuckets(int finalFrom)
    {
        while (_started < _buckets.Length && _buckets[_started].Start >= finalFrom)
        {
            var (start, length) = _buckets[_started];
            var sum = _gradients.AsSpan(start, length);
            if (_chunks is not null)
            {
                ChunkTree.Sum(_chunks, _firstLeaf, _endLeaf, start, length, sum, checkFinite: false);
            }
            else
            {
                _workspaces[0].Gradients.Slice(start, length).CopyTo(sum);
                for (int t = 1; t < _workspaces.Length; t++)
                {
                    TensorPrimitives.Add(sum, _workspaces[t].Gradients.Slice(start, length), sum);
                }
            }
            _pending[_started] = _communicator.StartAllReduceSum(_gradients.AsMemory(start, length));
            _started++;
        }
    }

    /// <summary>Whole layers, from the last down, closed once a bucket reaches <paramref name="bucketValues"/>.</summary>
    internal static (int Start, int Length)[] Buckets(INetwork network, int bucketValues)
    {
        int total = network.Parameters.Length;
        var layerStarts = network.ParameterTensors
            .GroupBy(p => p.LayerIndex)
            .Select(g => g.Min(p => p.Offset))
            .Where(start => start < total)
            .OrderByDescending(start => start)
            .ToList();
        var buckets = new List<(int, int)>();
        int end = total;
        foreach (int start in layerStarts)
        {
            if (end - start >= bucketValues)
            {
                buckets.Add((start, end - start));
                end = start;
            }
        }
        if (end > 0)
        {
            buckets.Add((0, end));
        }
        return buckets.ToArray();
    }

    private sealed class ThreadProgress(GradientReducer reducer, int thread) : BackwardProgress
    {
        public override void GradientsFinalFrom(int firstParameter) => reducer.Report(thread, firstParameter);
    }
}
