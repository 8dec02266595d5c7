using System;

namespace ConvGen.Distributed;

/// <summary>
/// The few collective operations data-parallel training needs. <see cref="LocalCommunicator"/>
/// is the single-process case; <see cref="MpiCommunicator"/> runs over MPICH or Open MPI.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's index, 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>Number of processes.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<float> values, int root = 0);

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<long> values, int root = 0);

    /// <summary>Waits until every rank has arrived.</summary>
    void Barrier();

    /// <summary>
    /// Starts replacing <paramref name="values"/> by the element-wise sum over all ranks and
    /// returns at once, so that computation can go on while the sum travels. The values must be
    /// left alone until <see cref="Complete"/> returns for them. The default sums at once.
    /// </summary>
    PendingSum StartAllReduceSum(Memory<float> values)
    {
        AllReduceSum(values.Span);
        return PendingSum.Done;
    }

    /// <summary>Lets started sums progress without waiting; true when <paramref name="sum"/> has completed (it must still be passed to <see cref="Complete"/>).</summary>
    bool Poll(PendingSum sum) => true;

    /// <summary>Waits for a started sum; afterwards its values hold the sum over all ranks.</summary>
    void Complete(PendingSum sum) { }
}

/// <summary>A sum started by <see cref="ICommunicator.StartAllReduceSum"/>; <see cref="Slot"/> is the communicator's own bookkeeping.</summary>
/// <param name="Slot">Index of the request in the communicator, or -1 when the sum was done at once.</param>
public readonly record struct PendingSum(int Slot)
{
    /// <summary>A sum that completed when it was started.</summary>
    public static PendingSum Done => new(-1);
}

/// <summary>One process: every collective is the identity.</summary>
public sealed class LocalCommunicator : ICommunicator
{
    /// <summary>The shared instance.</summary>
    public static LocalCommunicator Instance { get; } = new();

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) { }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) { }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root = 0) { }

    /// <inheritdoc/>
    public void Broadcast(Span<long> values, int root = 0) { }

    /// <inheritdoc/>
    public void Barrier() { }
}
