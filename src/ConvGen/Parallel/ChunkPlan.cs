using System;

namespace ConvGen.Parallel;

/// <summary>
/// How a training step splits its batch into chunks: a fixed number of contiguous runs of
/// samples that depends on the batch size alone, never on the thread count. Threads take whole
/// chunks; every sum over the batch (weight gradients, BatchNorm statistics, the loss) is made of
/// per-chunk sums added in one fixed binary tree over the chunk indices, so any number of threads
/// (and one or two processes sharing a global batch) add the same numbers in the same order.
/// </summary>
public static class ChunkPlan
{
    /// <summary>At most this many chunks: enough for 8 threads, few enough that the per-chunk gradient buffers stay cheap.</summary>
    public const int MaxChunks = 8;

    /// <summary>
    /// Chunks start at multiples of this many samples (all but the last hold a multiple of it):
    /// the runtime's row-tiled kernels (Dense's 4-row tiles) then tile a thread's rows as they
    /// tile the whole batch's, so a row's rounding does not depend on where its thread's part begins.
    /// </summary>
    public const int Alignment = 4;

    /// <summary>
    /// Samples a chunk holds at least (when the batch has that many): each chunk's parameter
    /// gradient is a pass over the layer's gradient, which a chunk of 8 samples amortises (seed's
    /// Dense layer at batch 32 in chunks of 4 cost a tenth of the step).
    /// </summary>
    public const int MinSamples = 8;

    /// <summary>Chunks of a batch of <paramref name="batch"/> samples: the largest power of two up to <see cref="MaxChunks"/> and batch / <see cref="MinSamples"/>.</summary>
    public static int Count(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        int chunks = 1;
        while (chunks * 2 <= Math.Min(MaxChunks, batch / MinSamples)) chunks *= 2;
        return chunks;
    }

    /// <summary>
    /// First sample of chunk <paramref name="chunk"/> of a batch of <paramref name="batch"/>
    /// samples (<paramref name="chunk"/> = the chunk count gives the batch size): the even split
    /// rounded down to a multiple of <see cref="Alignment"/>; every chunk holds at least one sample.
    /// </summary>
    public static int Start(int batch, int chunk)
    {
        int chunks = Count(batch);
        if (chunk >= chunks) return batch;
        int even = chunk * (batch / chunks) + Math.Min(chunk, batch % chunks);
        return chunks == 1 ? 0 : even / Alignment * Alignment;
    }

    /// <summary>
    /// The samples a thread with <paramref name="threads"/> siblings can get in a batch of up to
    /// <paramref name="capacity"/> samples (whole chunks per thread can exceed an even split).
    /// </summary>
    public static int PerThreadCapacity(int capacity, int threads)
    {
        int most = 1;
        for (int batch = 1; batch <= capacity; batch++)
        {
            int chunks = Count(batch);
            for (int t = 0; t < threads; t++)
            {
                var (first, count) = WorkerPool.Partition(chunks, threads, t);
                most = Math.Max(most, Start(batch, first + count) - Start(batch, first));
            }
        }
        return most;
    }
}
