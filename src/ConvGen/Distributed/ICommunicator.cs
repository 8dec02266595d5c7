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
