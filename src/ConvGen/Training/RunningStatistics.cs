using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Distributed;

namespace ConvGen.Training;

/// <summary>
/// The one place that merges state not trained by gradients — BatchNorm's running mean and
/// variance — after a training step, across threads and then across processes. The network
/// merges its threads' batch statistics into the statistics of the whole local batch (exact, in
/// thread order; see <see cref="IRunningStatistics"/>) and updates the running averages. With
/// several processes, each has done so from its own share of the global batch, so the running
/// values are then averaged over the processes (one small all-reduce) and stay identical
/// everywhere. For the running means this equals the update with the whole batch's mean (the
/// shares are equal); for the running variances it leaves out the spread between the shares'
/// means, so the values are close to, not bit-identical with, one process seeing the whole batch.
/// </summary>
internal sealed class RunningStatistics
{
    private readonly ITrainableNetwork _network;
    private readonly IRunningStatistics _statistics;
    private readonly ICommunicator? _communicator;
    private readonly (int Offset, int Length)[] _ranges;
    private readonly float[] _buffer;

    private RunningStatistics(ITrainableNetwork network, IRunningStatistics statistics, ICommunicator? communicator)
    {
        _network = network;
        _statistics = statistics;
        _ranges = Ranges(network);
        bool acrossProcesses = communicator is { Size: > 1 } && _ranges.Length > 0;
        _communicator = acrossProcesses ? communicator : null;
        _buffer = acrossProcesses ? new float[_ranges.Sum(r => r.Length)] : Array.Empty<float>();
    }

    /// <summary>Where the running statistics lie in the network's parameters: its non-trainable tensors (empty when it keeps none).</summary>
    public static (int Offset, int Length)[] Ranges(ITrainableNetwork network) =>
        network is IRunningStatistics
            ? network.ParameterTensors.Where(t => !t.Trainable).Select(t => (t.Offset, t.Length)).ToArray()
            : [];

    /// <summary>Null when the network keeps no running statistics.</summary>
    public static RunningStatistics? For(ITrainableNetwork network, ICommunicator? communicator) =>
        network is IRunningStatistics statistics ? new RunningStatistics(network, statistics, communicator) : null;

    /// <summary>
    /// After a training step (on every process, as the gradient all-reduce is): merges the
    /// statistics the threads recorded in <paramref name="workspaces"/>, then averages the running
    /// values over the processes.
    /// </summary>
    public void Update(IReadOnlyList<ITrainingWorkspace> workspaces)
    {
        _statistics.UpdateRunningStatistics(workspaces);
        if (_communicator is not null)
        {
            AverageOverProcesses(_network.Parameters, _communicator);
        }
    }

    private void AverageOverProcesses(Span<float> parameters, ICommunicator communicator)
    {
        int at = 0;
        foreach (var (offset, length) in _ranges)
        {
            parameters.Slice(offset, length).CopyTo(_buffer.AsSpan(at, length));
            at += length;
        }
        communicator.AllReduceSum(_buffer);
        float scale = 1f / communicator.Size;
        at = 0;
        foreach (var (offset, length) in _ranges)
        {
            var target = parameters.Slice(offset, length);
            for (int i = 0; i < length; i++)
            {
                target[i] = _buffer[at + i] * scale;
            }
            at += length;
        }
    }
}
