using System;
using ConvGen.Kernels;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>
/// The weight gradients of large Dense layers, made after every thread's backward instead of in
/// it. Made per chunk in each thread's backward, such a gradient is one pass over the whole weight
/// matrix per thread into the thread's buffers, then the chunk tree reads every thread's buffer
/// again (fashion's 3136 x 1024 layer: 12.8 MB each time), which is memory-bound and does not
/// scale with threads. Here the threads split the layer's weight rows instead, and each tile of
/// rows makes every chunk's gradient in sample order in registers, adds the subtrees in the chunk
/// tree's order (node = left half + right half) on a small stack in the L1 cache, and stores only
/// the root, straight into the summed gradient (<see cref="DenseKernels.WeightGradientTree"/>).
/// Every element is the same sum as before - the same FMA chain per chunk as
/// <see cref="DenseKernels.WeightGradientRows"/> makes, the same additions in the same tree - so
/// nothing depends on the thread count.
/// </summary>
internal sealed class DeferredDenseGradients
{
    /// <summary>Floats of one block of rows, checked for finite values while it is in the core's L2 cache.</summary>
    private const int BlockFloats = 1 << 15;

    /// <summary>Rows of the weight gradient kernel's largest tile: blocks and threads' shares are whole tiles of it.</summary>
    private const int RowGroup = 6;

    private readonly DenseGradientChunk[][] _views; // per thread: the step's chunks of the layer it makes
    private readonly (GradientChunks Part, int Chunk)[] _chunks = new (GradientChunks, int)[ChunkPlan.MaxChunks];
    private int _chunkCount;

    public DeferredDenseGradients(int threads)
    {
        _views = new DenseGradientChunk[threads][];
        for (int t = 0; t < threads; t++) _views[t] = new DenseGradientChunk[ChunkPlan.MaxChunks];
    }

    /// <summary>
    /// Whether the step's chunks form one perfect tree whose root this phase can make: the step's
    /// chunks are the leaves 0.. of their tree (one process) and a power of two in number, as
    /// <see cref="ChunkPlan.Count"/> makes them.
    /// </summary>
    public static bool Applies(int firstLeaf, int chunkCount) => firstLeaf == 0 && chunkCount > 0 && (chunkCount & (chunkCount - 1)) == 0;

    /// <summary>
    /// Before the phase: the step's chunks, in tree order, from the parts that hold them. Returns
    /// how many layers were deferred (the same in every part that has chunks).
    /// </summary>
    /// <exception cref="InvalidOperationException">The parts deferred different layers (they ran different backward passes).</exception>
    public int Begin(GradientChunks[] parts)
    {
        _chunkCount = 0;
        int layers = -1;
        GradientChunks? first = null;
        foreach (var part in parts)
        {
            if (part.Count == 0) continue;
            if (first is null)
            {
                first = part;
                layers = part.DeferredCount;
            }
            else if (!SameLayers(first, part))
            {
                throw new InvalidOperationException("The training threads deferred different Dense layers' weight gradients in one step.");
            }
            for (int c = 0; c < part.Count; c++)
            {
                int leaf = part.FirstLeaf + c;
                if (leaf != _chunkCount) throw new InvalidOperationException($"Chunk {leaf}: the threads' chunks are not in tree order.");
                _chunks[_chunkCount++] = (part, c);
            }
        }
        return Math.Max(layers, 0);
    }

    private static bool SameLayers(GradientChunks a, GradientChunks b)
    {
        if (a.DeferredCount != b.DeferredCount) return false;
        for (int l = 0; l < a.DeferredCount; l++)
        {
            if (a.Deferred(l).WeightOffset != b.Deferred(l).WeightOffset) return false;
        }
        return true;
    }

    /// <summary>
    /// The parameter range deferred layer <paramref name="layer"/>'s weights take (the chunk tree
    /// leaves it out: this phase writes it).
    /// </summary>
    public (int Offset, int Length) Range(GradientChunks[] parts, int layer)
    {
        ref readonly var entry = ref FirstWithChunks(parts).Deferred(layer);
        return (entry.WeightOffset, entry.Inputs * entry.Units);
    }

    private static GradientChunks FirstWithChunks(GradientChunks[] parts)
    {
        foreach (var part in parts)
        {
            if (part.Count > 0) return part;
        }
        throw new InvalidOperationException("No training thread had chunks this step.");
    }

    /// <summary>
    /// Thread <paramref name="thread"/> of <paramref name="threads"/>: its share of every deferred
    /// layer's weight rows, summed over the chunk tree into <paramref name="gradients"/>. With
    /// <paramref name="checkFinite"/>, returns whether every value it wrote is finite (otherwise true).
    /// </summary>
    public bool Run(GradientChunks[] parts, int layers, int thread, int threads, Span<float> gradients, bool checkFinite)
    {
        bool finite = true;
        for (int l = 0; l < layers; l++)
        {
            ref readonly var layer = ref FirstWithChunks(parts).Deferred(l);
            // Rows in sixes, the kernel's largest tile; any split gives the same bits (each element is its own sum).
            var (firstGroup, groups) = WorkerPool.Partition((layer.Inputs + RowGroup - 1) / RowGroup, threads, thread);
            int first = Math.Min(firstGroup * RowGroup, layer.Inputs);
            int end = Math.Min((firstGroup + groups) * RowGroup, layer.Inputs);
            if (end > first)
            {
                finite &= Rows(parts, l, layer.Inputs, layer.Units, first, end, gradients.Slice(layer.WeightOffset, layer.Inputs * layer.Units), thread, checkFinite);
            }
        }
        return finite;
    }

    /// <summary>
    /// Weight rows <paramref name="first"/>..<paramref name="end"/>-1 of deferred layer <paramref name="layer"/>,
    /// a block at a time (the chunks' output gradient packed on the first), each block checked while it is in the cache.
    /// </summary>
    private bool Rows(GradientChunks[] parts, int layer, int inputs, int units, int first, int end, Span<float> weights, int thread, bool checkFinite)
    {
        var chunks = _views[thread];
        for (int c = 0; c < _chunkCount; c++)
        {
            var (part, chunk) = _chunks[c];
            ref readonly var entry = ref part.Deferred(layer);
            chunks[c] = new DenseGradientChunk(entry.Input, entry.OutputGradient, part.FirstSample(chunk), part.Rows(chunk));
        }
        int blockRows = Math.Max(RowGroup, BlockFloats / units / RowGroup * RowGroup);
        bool finite = true;
        for (int row = first; row < end; row += blockRows)
        {
            int count = Math.Min(blockRows, end - row);
            var destination = weights.Slice(row * units, count * units);
            DenseKernels.WeightGradientTree(chunks.AsSpan(0, _chunkCount), inputs, units, row, count, destination, packed: row != first);
            if (checkFinite) finite &= Finiteness.All(destination);
        }
        return finite;
    }
}
