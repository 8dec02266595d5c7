using System;
using System.Numerics.Tensors;
using ConvGen.Kernels;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>
/// The weight gradients of large Dense layers, made after every thread's backward instead of in
/// it. Made per chunk in each thread's backward, such a gradient is one pass over the whole weight
/// matrix per thread into the thread's buffers, then the chunk tree reads every thread's buffer
/// again (fashion's 3136 x 1024 layer: 12.8 MB each time), which is memory-bound and does not
/// scale with threads. Here the threads split the layer's weight rows instead: for each block of
/// rows, each chunk's gradient is made in sample order into a small stack of cache-sized blocks,
/// the stack is added in the chunk tree's order (node = left half + right half), and the root goes
/// straight into the summed gradient. Every element is the same sum as before - the same FMA chain
/// per chunk (<see cref="DenseKernels.WeightGradientRows"/> makes any block of rows bit for bit as
/// the whole matrix), the same additions in the same tree - so nothing depends on the thread count.
/// </summary>
internal sealed class DeferredDenseGradients
{
    /// <summary>Floats of one stack block: the stack (one block per tree level) stays in the core's L2 cache.</summary>
    private const int BlockFloats = 1 << 14;

    /// <summary>Rows of the weight gradient kernel's largest tile: blocks and threads' shares are whole tiles of it.</summary>
    private const int RowGroup = 6;

    private readonly float[][][] _stacks; // per thread: one block per tree level
    private readonly (GradientChunks Part, int Chunk)[] _chunks = new (GradientChunks, int)[ChunkPlan.MaxChunks];
    private int _chunkCount;

    public DeferredDenseGradients(int threads)
    {
        _stacks = new float[threads][][];
        for (int t = 0; t < threads; t++) _stacks[t] = [];
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

    /// <summary>Weight rows <paramref name="first"/>..<paramref name="end"/>-1 of deferred layer <paramref name="layer"/>, a block at a time.</summary>
    private bool Rows(GradientChunks[] parts, int layer, int inputs, int units, int first, int end, Span<float> weights, int thread, bool checkFinite)
    {
        int blockRows = Math.Max(RowGroup, BlockFloats / units / RowGroup * RowGroup);
        var stack = Stack(thread, blockRows * units);
        bool finite = true;
        for (int row = first; row < end; row += blockRows)
        {
            int count = Math.Min(blockRows, end - row);
            var destination = weights.Slice(row * units, count * units);
            finite &= Block(parts, layer, inputs, units, row, count, stack, destination, checkFinite);
        }
        return finite;
    }

    /// <summary>
    /// One block of rows: each chunk's gradient onto the stack, sibling subtrees added as soon as
    /// both are complete (a binary counter over the chunk indices, as <see cref="GradientChunks.Done"/>
    /// adds them), the root written to <paramref name="destination"/>.
    /// </summary>
    private bool Block(GradientChunks[] parts, int layer, int inputs, int units, int row, int count, float[][] stack, Span<float> destination, bool checkFinite)
    {
        int floats = count * units;
        int depth = 0;
        for (int c = 0; c < _chunkCount; c++)
        {
            var (part, chunk) = _chunks[c];
            ref readonly var entry = ref part.Deferred(layer);
            int start = part.FirstSample(chunk), rows = part.Rows(chunk);
            // A lone chunk is the root itself.
            var target = _chunkCount == 1 ? destination : stack[depth].AsSpan(0, floats);
            DenseKernels.WeightGradientRows(entry.Input.AsSpan(start * inputs, rows * inputs), inputs, row, count,
                entry.OutputGradient.AsSpan(start * units, rows * units), target, rows, units, overwrite: true);
            depth++;
            // Chunk c completes the subtrees that end at it: as many as c + 1 has trailing zero bits.
            for (int done = c + 1; (done & 1) == 0; done >>= 1)
            {
                var left = stack[depth - 2].AsSpan(0, floats);
                var right = stack[depth - 1].AsSpan(0, floats);
                depth--;
                if (c == _chunkCount - 1 && depth == 1)
                {
                    if (checkFinite) return Finiteness.AddAndCheck(left, right, destination);
                    TensorPrimitives.Add(left, right, destination);
                    return true;
                }
                TensorPrimitives.Add(left, right, left);
            }
        }
        return !checkFinite || Finiteness.All(destination);
    }

    /// <summary>Thread <paramref name="thread"/>'s stack of blocks of at least <paramref name="floats"/> floats (grown once, on the first step).</summary>
    private float[][] Stack(int thread, int floats)
    {
        int levels = 1;
        while ((1 << (levels - 1)) < _chunkCount) levels++;
        var stack = _stacks[thread];
        if (stack.Length < levels || (stack.Length > 0 && stack[0].Length < floats))
        {
            stack = new float[levels][];
            for (int s = 0; s < levels; s++) stack[s] = new float[floats];
            _stacks[thread] = stack;
        }
        return stack;
    }
}
