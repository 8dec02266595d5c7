using System;
using System.Threading;

namespace ConvGen.Parallel;

/// <summary>
/// The threads that split one training batch, as seen by layers whose result depends on the
/// whole batch (BatchNorm's statistics). Each part publishes per-channel partial sums, waits for
/// the others at a barrier, and reads every part's sums in part order, so all parts combine the
/// same values in the same order and normalise with the statistics of the whole batch.
/// </summary>
/// <remarks>
/// Slots are double-buffered by exchange parity: a part that has read exchange k and races ahead
/// to write exchange k + 1 writes the other set, and it cannot reach exchange k + 2 (the first set
/// again) before every part has arrived at k + 1, that is, has finished reading k. One barrier per
/// exchange is enough. A part that fails calls <see cref="Abort"/>, so the others leave their
/// wait with <see cref="OperationCanceledException"/> instead of waiting forever; the group is
/// then discarded.
/// </remarks>
public sealed class BatchParts : IDisposable
{
    private readonly SpinBarrier _barrier;
    private readonly double[][][] _slots; // [parity][part] -> [count, values...]
    private readonly int[] _exchanges; // per part: exchanges done this step
    private readonly BatchShare[] _shares;

    /// <summary>
    /// A group of <paramref name="parts"/> parts (the training threads). With a
    /// <paramref name="communicator"/> of several processes, the group's sums are also summed over
    /// the processes (BatchNorm over the global batch); part 0, the thread that runs the step,
    /// is the only one that calls it.
    /// </summary>
    public BatchParts(int parts, Distributed.ICommunicator? communicator = null)
    {
        Communicator = communicator is { Size: > 1 } ? communicator : null;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        Parts = parts;
        Active = parts;
        _barrier = new SpinBarrier(parts, parts);
        _slots = [new double[parts][], new double[parts][]];
        for (int p = 0; p < parts; p++)
        {
            _slots[0][p] = new double[1];
            _slots[1][p] = new double[1];
        }
        _exchanges = new int[parts];
        _shares = new BatchShare[parts];
        for (int p = 0; p < parts; p++)
        {
            _shares[p] = new BatchShare(this, p);
        }
    }

    /// <summary>Parts in the group.</summary>
    public int Parts { get; }

    /// <summary>The processes whose batches are one global batch, when there are several.</summary>
    public Distributed.ICommunicator? Communicator { get; }

    /// <summary>Parts that take part in this step's exchanges: those with samples.</summary>
    public int Active { get; private set; }

    /// <summary>What part <paramref name="part"/> passes to the network's workspace.</summary>
    public BatchShare ShareOf(int part) => _shares[part];

    /// <summary>
    /// Before a step, outside any exchange: the first <paramref name="active"/> parts have samples
    /// (a batch smaller than the thread count leaves the others empty; they do not take part).
    /// </summary>
    public void Begin(int active) => Begin(active, 0, ChunkPlan.MaxChunks);

    /// <summary>
    /// <see cref="Begin(int)"/> for parts that hold chunks: this process's first chunk is chunk
    /// <paramref name="firstLeaf"/> of the <paramref name="leafSpace"/> chunks that every process's
    /// chunks are gathered into (SyncBatchNorm), and the parts hold the following ones in part order.
    /// </summary>
    public void Begin(int active, int firstLeaf, int leafSpace)
    {
        FirstLeaf = firstLeaf;
        LeafSpace = leafSpace;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(active);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(active, Parts);
        _barrier.SetParticipants(active);
        Active = active;
        Array.Clear(_exchanges);
    }

    /// <summary>The process's first chunk in <see cref="LeafSpace"/>.</summary>
    public int FirstLeaf { get; private set; }

    /// <summary>Chunks of the global batch's tree (with processes, each one's chunks have their place in it).</summary>
    public int LeafSpace { get; private set; } = ChunkPlan.MaxChunks;

    /// <summary>Releases every part waiting in an exchange (they throw <see cref="OperationCanceledException"/>).</summary>
    public void Abort() => _barrier.Abort();

    /// <summary>Whether <see cref="Abort"/> was called: the group cannot be used again.</summary>
    public bool Aborted => _barrier.Aborted;

    /// <summary>
    /// Publishes <paramref name="count"/> and <paramref name="values"/> for part
    /// <paramref name="part"/>, waits for every active part, and returns every part's
    /// <c>[count, values...]</c> in part order (valid until this part's next exchange).
    /// </summary>
    internal double[][] Exchange(int part, double count, ReadOnlySpan<double> values)
    {
        int parity = _exchanges[part]++ & 1;
        ref double[] slot = ref _slots[parity][part];
        if (slot.Length < values.Length + 1)
        {
            // Only this part writes its slot; the barrier publishes the new array to the readers.
            slot = new double[values.Length + 1];
        }
        slot[0] = count;
        values.CopyTo(slot.AsSpan(1));
        _barrier.SignalAndWait();
        return _slots[parity];
    }

    /// <summary>Nothing to release (the barrier holds no handles); kept for the callers' <c>using</c> of this public type.</summary>
    public void Dispose()
    {
    }
}

/// <summary>One part of a <see cref="BatchParts"/> group: what a training workspace carries.</summary>
public sealed class BatchShare
{
    internal BatchShare(BatchParts group, int part)
    {
        Group = group;
        Part = part;
    }

    /// <summary>The group of parts.</summary>
    public BatchParts Group { get; }

    /// <summary>This part's index: its samples come after those of lower parts.</summary>
    public int Part { get; }

    /// <summary>
    /// This part's chunks, when the training step splits the batch into chunks: BatchNorm then
    /// sums per chunk and merges the chunks in a fixed tree, whatever the number of parts.
    /// </summary>
    public GradientChunks? Chunks { get; internal set; }

    /// <summary>Whether other parts (threads or processes) share the batch; otherwise the part's statistics are the batch's.</summary>
    public bool IsShared => Group.Active > 1 || Group.Communicator is not null;

    /// <summary>
    /// Part 0 publishes <paramref name="values"/> (its result of a step across processes), every
    /// part waits and reads them: the other parts get what part 0 computed.
    /// </summary>
    internal ReadOnlySpan<double> FromFirstPart(ReadOnlySpan<double> values)
    {
        var slots = Group.Exchange(Part, 0, Part == 0 ? values : ReadOnlySpan<double>.Empty);
        return slots[0].AsSpan(1, values.Length);
    }

    /// <summary>Publishes this part's <c>[count, values...]</c> and returns every active part's, in part order.</summary>
    internal ReadOnlySpan<double[]> Exchange(double count, ReadOnlySpan<double> values) =>
        Group.Exchange(Part, count, values).AsSpan(0, Group.Active);
}
