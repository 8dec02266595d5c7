using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Data;

namespace ConvGen.Training;

/// <summary>One batch of samples gathered into contiguous rows.</summary>
internal sealed class BatchBuffer
{
    public BatchBuffer(int capacity, int inputLength, int targetLength)
    {
        Inputs = new float[capacity * inputLength];
        Targets = new float[capacity * targetLength];
    }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    public int Count { get; set; }
}

/// <summary>
/// Reads (decodes, augments) the next batch on a background thread while the current one
/// trains: two buffers circulate between the producer and the training loop, so memory stays
/// bounded at two batches whatever the data set's size.
/// </summary>
internal sealed class BatchPrefetcher : IDisposable
{
    private readonly IDataSource _source;
    private readonly ISampleAugmentation? _augmentation;
    private readonly ulong _seed;
    private readonly BlockingCollection<BatchBuffer> _free = new();
    private readonly BlockingCollection<BatchBuffer?> _ready = new();
    private Task? _producer;
    private CancellationTokenSource? _cancel;
    private Exception? _failure;

    public BatchPrefetcher(IDataSource source, int capacity, ISampleAugmentation? augmentation, ulong seed)
    {
        _source = source;
        _augmentation = augmentation;
        _seed = seed;
        _free.Add(new BatchBuffer(capacity, source.InputLength, source.TargetLength));
        _free.Add(new BatchBuffer(capacity, source.InputLength, source.TargetLength));
    }

    /// <summary>Starts producing the batches of one pass over <paramref name="order"/>.</summary>
    public void Start(int[] order, int batchSize, int epoch)
    {
        Stop();
        _failure = null;
        _cancel = new CancellationTokenSource();
        var token = _cancel.Token;
        _producer = Task.Factory.StartNew(() => Produce(order, batchSize, epoch, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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

    private void Produce(int[] order, int batchSize, int epoch, CancellationToken token)
    {
        try
        {
            int inputLength = _source.InputLength;
            int targetLength = _source.TargetLength;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                var batch = _free.Take(token);
                int count = Math.Min(batchSize, order.Length - start);
                for (int r = 0; r < count; r++)
                {
                    var input = batch.Inputs.AsSpan(r * inputLength, inputLength);
                    _source.Read(order[start + r], input, batch.Targets.AsSpan(r * targetLength, targetLength));
                    if (_augmentation is not null)
                    {
                        // One stream per (epoch, position): the same seed gives the same augmented batches.
                        var random = new SeededRandom(_seed, 0xA0_0000_0000UL + ((ulong)(uint)epoch << 24) + (ulong)(start + r));
                        _augmentation.Apply(input, ref random);
                    }
                }
                batch.Count = count;
                _ready.Add(batch, token);
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
        _free.Dispose();
        _ready.Dispose();
    }
}
