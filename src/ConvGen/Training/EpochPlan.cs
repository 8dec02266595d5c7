using System;
using ConvGen.Distributed;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>
/// Which samples this process trains on in each step of an epoch. A step covers
/// <c>BatchSize x processes</c> consecutive samples of the epoch's global order; each process
/// takes its contiguous share, so the union over processes is exactly what one process with the
/// global batch would see, sample for sample.
/// </summary>
internal sealed class EpochPlan
{
    private readonly int _count;
    private readonly int _globalBatch;
    private readonly ICommunicator _communicator;
    private readonly int[] _firstSample;
    private readonly int[] _globalCounts;

    /// <summary>
    /// The plan of an epoch of <paramref name="count"/> samples. With <paramref name="everyProcessTrains"/>
    /// (BatchNorm statistics summed over the processes inside each step, so every process must
    /// take part in every step), a last step with fewer samples than processes, which would leave a
    /// process without any, is left out on every process.
    /// </summary>
    public EpochPlan(int count, int batchSize, ICommunicator communicator, bool everyProcessTrains = false)
    {
        _count = count;
        _globalBatch = batchSize * communicator.Size;
        _communicator = communicator;
        Steps = (count + _globalBatch - 1) / _globalBatch;
        if (everyProcessTrains && Steps > 0 && count - (Steps - 1) * _globalBatch < communicator.Size)
        {
            Steps--;
        }
        LocalCounts = new int[Steps];
        _firstSample = new int[Steps];
        _globalCounts = new int[Steps];
        int local = 0;
        for (int step = 0; step < Steps; step++)
        {
            int globalCount = Math.Min(_globalBatch, count - step * _globalBatch);
            var (offset, share) = WorkerPool.Partition(globalCount, communicator.Size, communicator.Rank);
            _globalCounts[step] = globalCount;
            _firstSample[step] = offset;
            LocalCounts[step] = share;
            local += share;
        }
        LocalOrder = new int[local];
        Positions = new int[local];
    }

    public int Steps { get; }

    /// <summary>This process's samples, step after step.</summary>
    public int[] LocalOrder { get; }

    /// <summary>Samples this process takes in each step.</summary>
    public int[] LocalCounts { get; }

    /// <summary>Each local sample's position in the epoch's global order.</summary>
    public int[] Positions { get; }

    /// <summary>Samples in step <paramref name="step"/> over all processes.</summary>
    public int GlobalCount(int step) => _globalCounts[step];

    /// <summary>This process's first sample's place within step <paramref name="step"/>'s global batch.</summary>
    public long FirstSample(int step) => _firstSample[step];

    /// <summary>Takes this process's shares from the epoch's global <paramref name="order"/>.</summary>
    public void Assign(int[] order)
    {
        int local = 0;
        for (int step = 0; step < Steps; step++)
        {
            int start = step * _globalBatch + _firstSample[step];
            for (int r = 0; r < LocalCounts[step]; r++)
            {
                LocalOrder[local] = order[start + r];
                Positions[local] = start + r;
                local++;
            }
        }
    }
}
