using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Data;
using ConvGen.Distributed;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>What a multi-process run agrees on before the first step.</summary>
internal static class DistributedStart
{
    /// <summary>
    /// Makes every process start from rank 0's state: its seed (which fixes shuffling, dropout
    /// and augmentation), its weights and its optimizer state (moments, step count, rate), so
    /// replicas are identical even when each process was created with a different seed.
    /// Returns the seed to use.
    /// </summary>
    public static ulong Synchronize(ITrainableNetwork network, TrainingOptions options, ICommunicator communicator)
    {
        if (communicator.Size == 1)
        {
            return options.Seed;
        }
        var optimizer = options.Optimizer;
        var state = optimizer.State;
        string names = string.Join("\n", state.Keys.OrderBy(k => k, StringComparer.Ordinal));
        var header = new long[] { (long)options.Seed, optimizer.StepCount, BitConverter.SingleToInt32Bits(optimizer.LearningRate), Encoding.UTF8.GetByteCount(names), state.Count };
        communicator.Broadcast(header);
        communicator.Broadcast(network.Parameters);

        var nameBytes = new byte[header[3]];
        if (communicator.Rank == 0)
        {
            Encoding.UTF8.GetBytes(names, nameBytes);
        }
        var packed = new long[(nameBytes.Length + 7) / 8];
        Buffer.BlockCopy(nameBytes, 0, packed, 0, nameBytes.Length);
        communicator.Broadcast(packed);
        Buffer.BlockCopy(packed, 0, nameBytes, 0, nameBytes.Length);
        var rootNames = header[4] == 0 ? Array.Empty<string>() : Encoding.UTF8.GetString(nameBytes).Split('\n');

        var received = new Dictionary<string, float[]>();
        foreach (string name in rootNames)
        {
            float[] values = communicator.Rank == 0 ? state[name].ToArray() : new float[network.Parameters.Length];
            communicator.Broadcast(values);
            received[name] = values;
        }
        if (communicator.Rank != 0 && received.Count > 0)
        {
            optimizer.LoadState(received, header[1]);
        }
        optimizer.LearningRate = BitConverter.Int32BitsToSingle((int)header[2]);
        return (ulong)header[0];
    }

    /// <summary>This process's contiguous share of the validation data (the metrics are summed over processes).</summary>
    public static IDataSource Shard(IDataSource data, ICommunicator communicator)
    {
        if (communicator.Size == 1)
        {
            return data;
        }
        var (start, count) = WorkerPool.Partition(data.Count, communicator.Size, communicator.Rank);
        return data.Subset(Enumerable.Range(start, count).ToArray());
    }
}
