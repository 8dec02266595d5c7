using System;
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
        Samples = new int[capacity];
    }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    /// <summary>Index in the data source of each row's sample, for messages about a sample.</summary>
    public int[] Samples { get; }

    public int Count { get; set; }

    /// <summary>First row holding a NaN or infinity (input or target, after augmentation), or -1.</summary>
    public int NonFiniteRow { get; private set; } = -1;

    /// <summary>Whether that value is in the row's target rather than its input.</summary>
    public bool NonFiniteInTarget { get; private set; }

    /// <summary>Its position within the row's input (or target).</summary>
    public int NonFiniteIndex { get; private set; }

    /// <summary>The value itself.</summary>
    public float NonFiniteValue { get; private set; }

    /// <summary>
    /// Finds the first non-finite value of the first <see cref="Count"/> rows: one SIMD pass over
    /// the batch (cheap next to reading it), a row-by-row search only when it fails.
    /// </summary>
    public void ScanForNonFinite(int inputLength, int targetLength)
    {
        NonFiniteRow = -1;
        if (Finiteness.All(Inputs.AsSpan(0, Count * inputLength)) && Finiteness.All(Targets.AsSpan(0, Count * targetLength)))
        {
            return;
        }
        for (int r = 0; r < Count && NonFiniteRow < 0; r++)
        {
            FindNonFinite(r, inputLength, targetLength);
        }
    }

    /// <summary>Before a batch is read row by row: no non-finite value found yet.</summary>
    public void ClearNonFinite() => NonFiniteRow = -1;

    /// <summary>
    /// Checks row <paramref name="row"/> just after it was read, while it is still in the core's
    /// cache (a second pass over the whole batch would read it back from further away); the first
    /// row found bad is kept, as <see cref="ScanForNonFinite"/> keeps it. Rows are checked in order.
    /// </summary>
    public void CheckRow(int row, int inputLength, int targetLength)
    {
        if (NonFiniteRow >= 0
            || (Finiteness.All(Inputs.AsSpan(row * inputLength, inputLength)) && Finiteness.All(Targets.AsSpan(row * targetLength, targetLength))))
        {
            return;
        }
        FindNonFinite(row, inputLength, targetLength);
    }

    private void FindNonFinite(int r, int inputLength, int targetLength)
    {
        int input = Finiteness.FirstNonFinite(Inputs.AsSpan(r * inputLength, inputLength));
        int target = input < 0 ? Finiteness.FirstNonFinite(Targets.AsSpan(r * targetLength, targetLength)) : -1;
        if (input >= 0 || target >= 0)
        {
            NonFiniteRow = r;
            NonFiniteInTarget = input < 0;
            NonFiniteIndex = input >= 0 ? input : target;
            NonFiniteValue = input >= 0 ? Inputs[r * inputLength + input] : Targets[r * targetLength + target];
        }
    }
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
        _augmentation = augmentation;
        _seed = seed;
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
                        ReadSample(batch, order, positions, first, r, epoch);
                        batch.CheckRow(r, _source.InputLength, _source.TargetLength);
                    }
                    batch.Count = count;
                }
                else
                {
                    System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _readers, CancellationToken = token },
                        r => ReadSample(batch, order, positions, first, r, epoch));
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

    private void ReadSample(BatchBuffer batch, int[] order, int[] positions, int start, int r, int epoch)
    {
        int inputLength = _source.InputLength;
        int targetLength = _source.TargetLength;
        var input = batch.Inputs.AsSpan(r * inputLength, inputLength);
        var target = batch.Targets.AsSpan(r * targetLength, targetLength);
        batch.Samples[r] = order[start + r];
        _source.Read(order[start + r], input, target);
        if (_augmentation is not null)
        {
            // One stream per (epoch, position): the same seed gives the same augmented batches.
            var random = new SeededRandom(_seed, 0xA0_0000_0000UL + ((ulong)(uint)epoch << 24) + (ulong)positions[start + r]);
            if (_augmentation is ISampleTargetAugmentation paired)
            {
                paired.Apply(input, target, ref random); // segmentation: the mask moves with the image
            }
            else
            {
                _augmentation.Apply(input, ref random);
            }
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
