using System;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Data;

namespace ConvGen.Training;

/// <summary>
/// Reads (decodes, augments) the next batch on a background thread while the current one
/// trains: two buffers circulate between the producer and the training loop, so memory stays
/// bounded at two batches whatever the data set's size.
/// </summary>
internal sealed class BatchPrefetcher : ITrainingBatches
{
    private readonly IDataSource _source;
    private readonly SampleReader _reader;
    private readonly BufferHandOff<BatchBuffer> _free = new(2);
    private readonly BufferHandOff<BatchBuffer?> _ready = new(3); // two buffers and a failure's null
    private Task? _producer;
    private CancellationTokenSource? _cancel;
    private Exception? _failure;

    private readonly int _readers;

    // readers: threads that read (decode, augment) the samples of one batch in parallel; each
    // sample's augmentation is seeded by its position, so the result does not depend on it.
    public BatchPrefetcher(IDataSource source, int capacity, ISampleAugmentation? augmentation, ulong seed, int readers = 1)
    {
        _readers = Math.Max(1, readers);
        _source = source;
        _reader = new SampleReader(source, augmentation, seed);
        _free.Add(new BatchBuffer(capacity, source.InputLength, source.TargetLength));
        _free.Add(new BatchBuffer(capacity, source.InputLength, source.TargetLength));
    }

    /// <summary>Starts producing consecutive batches of <paramref name="batchSize"/> samples from <paramref name="order"/>.</summary>
    public void Start(int[] order, int batchSize, int epoch)
    {
        int steps = (order.Length + batchSize - 1) / batchSize;
        var counts = new int[steps];
        for (int s = 0; s < steps; s++)
        {
            counts[s] = Math.Min(batchSize, order.Length - s * batchSize);
        }
        var positions = new int[order.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }
        Start(order, counts, positions, epoch);
    }

    /// <summary>
    /// Starts producing batches of <paramref name="stepCounts"/>[s] samples taken in turn from
    /// <paramref name="order"/>; <paramref name="positions"/> gives each sample's place in the
    /// epoch's global order, which seeds its augmentation (so it does not depend on how the
    /// batch is shared between processes).
    /// </summary>
    public void Start(int[] order, int[] stepCounts, int[] positions, int epoch)
    {
        Stop();
        _failure = null;
        _cancel = new CancellationTokenSource();
        var token = _cancel.Token;
        _producer = Task.Factory.StartNew(() => Produce(order, stepCounts, positions, epoch, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The next batch; give it back with <see cref="Release"/> once used.</summary>
    public BatchBuffer Next()
    {
        var batch = _ready.Take();
        if (batch is null)
        {
            throw new InvalidOperationException("Reading a training batch failed: " + _failure?.Message, _failure);
        }
        return batch;
    }

    public void Release(BatchBuffer batch) => _free.Add(batch);

    private void Produce(int[] order, int[] stepCounts, int[] positions, int epoch, CancellationToken token)
    {
        try
        {
            int start = 0;
            foreach (int count in stepCounts)
            {
                var batch = _free.Take(token);
                int first = start;
                if (_readers == 1 || count < 2)
                {
                    // Each sample is checked as soon as it is read, while it is in the cache: with
                    // large inputs (seed's 80x80x3 at batch 32 is 2.5 MB) a pass over the whole
                    // batch afterwards read it all back from the L3 cache, on a core that, when
                    // training takes every core, one of the training threads is waiting for.
                    batch.ClearNonFinite();
                    for (int r = 0; r < count; r++)
                    {
                        _reader.Read(batch, r, order[first + r], positions[first + r], epoch);
                        batch.CheckRow(r, _source.InputLength, _source.TargetLength);
                    }
                    batch.Count = count;
                }
                else
                {
                    System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _readers, CancellationToken = token },
                        r => _reader.Read(batch, r, order[first + r], positions[first + r], epoch));
                    batch.Count = count;
                    batch.ScanForNonFinite(_source.InputLength, _source.TargetLength);
                }
                _ready.Add(batch);
                start += count;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _failure = e;
            _ready.Add(null);
        }
    }

    private void Stop()
    {
        if (_producer is null)
        {
            return;
        }
        _cancel!.Cancel();
        _free.Wake(); // a producer waiting for a buffer sees the cancellation
        try
        {
            _producer.Wait();
        }
        catch (AggregateException)
        {
        }
        // Return every buffer to the free list for the next pass.
        while (_ready.TryTake(out var batch))
        {
            if (batch is not null) _free.Add(batch);
        }
        _cancel.Dispose();
        _producer = null;
    }

    public void Dispose()
    {
        Stop();
    }
}
