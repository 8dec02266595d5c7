using System;

namespace ConvGen.Kernels;

/// <summary>
/// The output rows a layer kernel computes: every row of <see cref="Batch"/> samples, or, when
/// inference splits each picture over threads (<see cref="InferenceThreads.CreateInferenceWorkspace(INetwork, int, int)"/>),
/// part <see cref="Part"/>'s contiguous share of the batch's rows, counted sample after sample.
/// Training and one-thread inference pass the batch size, an <c>int</c>, which converts to all its rows.
/// </summary>
public readonly struct Rows
{
    private readonly InferenceWorkspace? _split;

    internal Rows(int batch, int part, int parts, InferenceWorkspace? split)
    {
        Batch = batch;
        Part = part;
        Parts = parts;
        _split = split;
    }

    /// <summary>Samples in the batch.</summary>
    public int Batch { get; }

    /// <summary>This thread's part, 0 to <see cref="Parts"/> - 1.</summary>
    public int Part { get; }

    /// <summary>Threads that share the batch's rows.</summary>
    public int Parts { get; }

    /// <summary>Whether this part runs the layers that are not split (pools, Dense, Add): part 0.</summary>
    public bool Lead => Part == 0;

    /// <summary>
    /// Whether this part computes block <paramref name="block"/> of <paramref name="blocks"/>, for a
    /// layer split by its output channel blocks instead of rows: contiguous, even shares of the blocks.
    /// </summary>
    public bool Owns(int block, int blocks)
    {
        var (first, count) = Parallel.WorkerPool.Partition(blocks, Parts, Part);
        return block >= first && block < first + count;
    }

    /// <summary>
    /// The repetitions this part computes of a looped block of <paramref name="count"/> channel
    /// blocks that are blocks <paramref name="first"/> onwards of <paramref name="blocks"/> (see
    /// <see cref="Owns"/>), as indices from 0 to <paramref name="count"/>.
    /// </summary>
    public RowRange Blocks(int first, int count, int blocks)
    {
        var (start, owned) = Parallel.WorkerPool.Partition(blocks, Parts, Part);
        return new RowRange(Math.Clamp(start - first, 0, count), Math.Clamp(start + owned - first, 0, count));
    }

    /// <summary>All rows of <paramref name="batch"/> samples, on one thread.</summary>
    public static implicit operator Rows(int batch) => new(batch, 0, 1, null);

    /// <summary>
    /// The samples with a row in this part's share, for a layer whose output is
    /// <paramref name="height"/> rows high: the share is global rows <c>First</c> to <c>End</c> of the
    /// batch's <c>Batch * height</c>, where row r is row <c>r % height</c> of sample <c>r / height</c>.
    /// </summary>
    public RowRange Samples(int height)
    {
        var (first, end) = Share(height);
        return new RowRange(first / height, (end + height - 1) / height);
    }

    /// <summary>The output rows of sample <paramref name="n"/> in this part's share.</summary>
    public RowRange Of(int n, int height)
    {
        var (first, end) = Share(height);
        return new RowRange(Math.Max(first - n * height, 0), Math.Min(end - n * height, height));
    }

    /// <summary>
    /// The input rows that this part's output rows of sample <paramref name="n"/> read, of the first
    /// <paramref name="rows"/> that a padded window kernel copies: output row <c>oy</c> reads padded rows
    /// <c>oy * stride</c> to <c>oy * stride + extent - 1</c>, and input row <c>iy</c> is padded row <c>iy + padTop</c>.
    /// </summary>
    public RowRange Reach(int n, int height, int stride, int extent, int padTop, int rows)
    {
        var own = Of(n, height);
        if (own.Start == 0 && own.End == height)
        {
            return new RowRange(0, rows);
        }
        return new RowRange(Math.Max(own.Start * stride - padTop, 0), Math.Min((own.End - 1) * stride + extent - padTop, rows));
    }

    /// <summary>This part's output rows of <paramref name="buffer"/>, the output of a layer <paramref name="height"/> rows of <paramref name="rowLength"/> floats high.</summary>
    public Span<float> Slice(Span<float> buffer, int height, int rowLength)
    {
        var (first, end) = Share(height);
        return buffer.Slice(first * rowLength, (end - first) * rowLength);
    }

    /// <summary>This part's rows of <paramref name="buffer"/>, read-only: the input of an elementwise layer split as its output.</summary>
    public ReadOnlySpan<float> Slice(ReadOnlySpan<float> buffer, int height, int rowLength)
    {
        var (first, end) = Share(height);
        return buffer.Slice(first * rowLength, (end - first) * rowLength);
    }

    /// <summary>This part's contiguous share of the batch's rows, as even as the parts allow.</summary>
    private (int First, int End) Share(int height)
    {
        long total = (long)Batch * height;
        return ((int)(total * Part / Parts), (int)(total * (Part + 1) / Parts));
    }

    /// <summary>The buffer the parts share for a Winograd layer's transformed input tiles (<see cref="InferenceWorkspace.SharedTiles"/>); empty on one thread.</summary>
    internal Span<float> SharedTiles => _split is null ? default : _split.SharedTiles;

    /// <summary>Waits until every part has finished the layer before (nothing on one thread).</summary>
    public void Wait() => _split?.Wait();
}

/// <summary>The integers <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), for <c>foreach</c> in generated loops.</summary>
public readonly record struct RowRange(int Start, int End)
{
    /// <summary>Counts from <see cref="Start"/> to <see cref="End"/>.</summary>
    public Enumerator GetEnumerator() => new(Start, End);

    /// <summary>The loop over a <see cref="RowRange"/>, allocation-free.</summary>
    public struct Enumerator(int start, int end)
    {
        private readonly int _end = end;

        /// <summary>The current integer.</summary>
        public int Current { get; private set; } = start - 1;

        /// <summary>Steps to the next integer.</summary>
        public bool MoveNext() => ++Current < _end;
    }
}
