using System;
using System.Linq;
using ConvGen.Distributed;

namespace ConvGen.Training;

/// <summary>
/// Keeps state that is not trained by gradients — BatchNorm's running mean and variance —
/// identical on every process. Each process updates it from its own share of the batch, so
/// after every step the values are averaged over the processes (one small all-reduce). For the
/// running means this equals the update with the whole batch's mean (the shares are equal); for
/// the running variances it leaves out the spread between the shares' means, so the values are
/// close to, not bit-identical with, one process seeing the whole batch.
/// </summary>
internal sealed class RunningStatisticsSync
{
    private readonly ICommunicator _communicator;
    private readonly (int Offset, int Length)[] _ranges;
    private readonly float[] _buffer;

    private RunningStatisticsSync(ICommunicator communicator, (int Offset, int Length)[] ranges)
    {
        _communicator = communicator;
        _ranges = ranges;
        _buffer = new float[ranges.Sum(r => r.Length)];
    }

    /// <summary>Null when there is nothing to keep in step: one process, or no running statistics.</summary>
    public static RunningStatisticsSync? For(ITrainableNetwork network, ICommunicator communicator)
    {
        if (communicator.Size == 1 || network is not IRunningStatistics)
        {
            return null;
        }
        var ranges = network.ParameterTensors.Where(t => !t.Trainable).Select(t => (t.Offset, t.Length)).ToArray();
        return ranges.Length == 0 ? null : new RunningStatisticsSync(communicator, ranges);
    }

    public void Average(Span<float> parameters)
    {
        int at = 0;
        foreach (var (offset, length) in _ranges)
        {
            parameters.Slice(offset, length).CopyTo(_buffer.AsSpan(at, length));
            at += length;
        }
        _communicator.AllReduceSum(_buffer);
        float scale = 1f / _communicator.Size;
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
