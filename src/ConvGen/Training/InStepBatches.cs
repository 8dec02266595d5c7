using System;
using System.Threading;
using ConvGen.Data;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>
/// Batches read by the training threads themselves: at the end of its part of a step, each thread
/// reads its share of the next step's rows (<see cref="ReadAhead"/>). Used when training takes every
/// core and the samples are in memory (<see cref="Suits"/>): a background reader then has no core of
/// its own, and the one it takes for the copy of the next batch (seed's 80x80x3 at batch 32, 2.5 MB a
/// step) stalls one training thread while the others wait for it at the step's end; read in the step,
/// the copy is split over every thread, and nothing is waited for that a copy from memory could overlap.
/// The rows, their samples and their augmentation are those of <see cref="BatchPrefetcher"/>, and the
/// first non-finite value is found as it finds it, so the batches are the same.
/// </summary>
internal sealed class InStepBatches : ITrainingBatches
{
    private readonly IDataSource _source;
    private readonly SampleReader _reader;
    private readonly BatchBuffer[] _buffers;
    private readonly int _parts;
    private readonly int[] _firstBadRow; // per part of the read-ahead: its first row with a non-finite value, or -1
    private readonly Exception?[] _failures; // per part: what its reading threw
    private int[] _order = Array.Empty<int>();
    private int[] _counts = Array.Empty<int>();
    private int[] _positions = Array.Empty<int>();
    private int[] _starts = Array.Empty<int>(); // per step: its first sample in the order
    private int _epoch;
    private int _step; // the next step Next hands out
    private int _aheadStep = -1; // the step the training threads read during the current step, or -1
    private int _partsDone; // parts that have read their rows of it

    /// <summary>Batches of up to <paramref name="capacity"/> samples, each read ahead in <paramref name="parts"/> parts (the training threads).</summary>
    public InStepBatches(IDataSource source, int capacity, ISampleAugmentation? augmentation, ulong seed, int parts)
    {
        _source = source;
        _reader = new SampleReader(source, augmentation, seed);
        _buffers = [new BatchBuffer(capacity, source.InputLength, source.TargetLength), new BatchBuffer(capacity, source.InputLength, source.TargetLength)];
        _parts = parts;
        _firstBadRow = new int[parts];
        _failures = new Exception?[parts];
    }

    /// <summary>
    /// Whether training reads its batches in the steps: its <paramref name="threads"/> take every core,
    /// one data thread was asked for (more ask for background readers) and the samples are in memory, so
    /// reading one is a copy (a source that decodes or waits on a disk keeps the background reader, whose
    /// waits overlap the step).
    /// </summary>
    public static bool Suits(IDataSource source, TrainingOptions options, int threads) =>
        threads >= Environment.ProcessorCount && options.DataThreads <= 1 && source is Dataset;

    public void Start(int[] order, int[] stepCounts, int[] positions, int epoch)
    {
        _order = order;
        _counts = stepCounts;
        _positions = positions;
        _epoch = epoch;
        _starts = new int[stepCounts.Length];
        for (int s = 1; s < stepCounts.Length; s++)
        {
            _starts[s] = _starts[s - 1] + stepCounts[s - 1];
        }
        _step = 0;
        _aheadStep = -1;
    }

    public BatchBuffer Next()
    {
        int step = _step++;
        var batch = _buffers[step & 1];
        if (_aheadStep == step && Volatile.Read(ref _partsDone) == _parts)
        {
            TakeReadAhead(batch);
        }
        else
        {
            // The first step of an epoch, or one after a step that did not train (a skipped batch).
            ReadHere(batch, step);
        }
        batch.Count = _counts[step];
        // The training threads read the next step's batch into the other buffer during this step.
        _aheadStep = step + 1 < _counts.Length ? step + 1 : -1;
        _partsDone = 0;
        return batch;
    }

    /// <summary>Nothing to give back: the two buffers alternate by step.</summary>
    public void Release(BatchBuffer batch)
    {
    }

    /// <summary>
    /// Part <paramref name="part"/> of the read-ahead of the next step's batch, by training thread
    /// <paramref name="part"/> after its part of the current step: a failure is kept for
    /// <see cref="Next"/> to report, so the step in progress finishes as it would have.
    /// </summary>
    public void ReadAhead(int part)
    {
        int step = _aheadStep;
        if (step < 0)
        {
            return;
        }
        var batch = _buffers[step & 1];
        var (first, rows) = WorkerPool.Partition(_counts[step], _parts, part);
        int bad = -1;
        _failures[part] = null;
        try
        {
            for (int r = first; r < first + rows; r++)
            {
                int at = _starts[step] + r;
                _reader.Read(batch, r, _order[at], _positions[at], _epoch);
                if (bad < 0 && !batch.IsRowFinite(r, _source.InputLength, _source.TargetLength))
                {
                    bad = r;
                }
            }
        }
        catch (Exception e)
        {
            _failures[part] = e;
        }
        _firstBadRow[part] = bad;
        Interlocked.Increment(ref _partsDone);
    }

    /// <summary>
    /// The read-ahead batch: the first part's failure, if any part failed (its rows were not all read, so the
    /// batch fails whole, as the background reader's does), else the first non-finite row of the first part that found one.
    /// </summary>
    private void TakeReadAhead(BatchBuffer batch)
    {
        foreach (var failure in _failures)
        {
            if (failure is not null)
            {
                throw Failed(failure);
            }
        }
        batch.ClearNonFinite();
        for (int p = 0; p < _parts; p++)
        {
            if (_firstBadRow[p] >= 0)
            {
                batch.CheckRow(_firstBadRow[p], _source.InputLength, _source.TargetLength);
                break;
            }
        }
    }

    private void ReadHere(BatchBuffer batch, int step)
    {
        batch.ClearNonFinite();
        try
        {
            for (int r = 0; r < _counts[step]; r++)
            {
                int at = _starts[step] + r;
                _reader.Read(batch, r, _order[at], _positions[at], _epoch);
                batch.CheckRow(r, _source.InputLength, _source.TargetLength);
            }
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
    }

    /// <summary>As <see cref="BatchPrefetcher.Next"/> reports a failed read.</summary>
    private static InvalidOperationException Failed(Exception e) => new("Reading a training batch failed: " + e.Message, e);

    public void Dispose()
    {
    }
}
