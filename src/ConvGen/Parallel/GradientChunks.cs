using System;
using System.Numerics.Tensors;

namespace ConvGen.Parallel;

/// <summary>A generated weight-gradient kernel: adds the gradient of <paramref name="batch"/> rows into <paramref name="gradients"/> (the whole parameter buffer).</summary>
public delegate void WeightGradientKernel(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch);

/// <summary>
/// The chunks of a batch that one training thread differentiates (see <see cref="ChunkPlan"/>),
/// and where their parameter gradients go. Generated backward passes compute each layer's
/// parameter gradient once per chunk into a <see cref="Leaf"/> and call <see cref="Done"/>, which
/// adds sibling subtrees as soon as both are complete (a binary counter: node(a..b) =
/// node(a..mid) + node(mid+1..b) over the chunk indices). The thread keeps O(log chunks)
/// gradient-sized buffers, the first being its workspace's own <see cref="ITrainingWorkspace.Gradients"/>;
/// the subtrees left at the end are the thread's <em>published nodes</em>, from which
/// the training step assembles the batch's gradient in the same tree whatever the split.
/// <para>
/// Outside a training step (a workspace nobody configured) the whole batch is one chunk whose
/// leaf is the workspace's gradient buffer itself, added into as before.
/// </para>
/// </summary>
public sealed class GradientChunks
{
    private readonly ITrainingWorkspace _workspace;
    private readonly bool _whole;
    private float[][] _extraSlots = []; // slots 1.. (slot 0 is the workspace's Gradients)
    private int _parameters;
    private int _count;
    private int _firstLeaf;
    private readonly int[] _bounds = new int[ChunkPlan.MaxChunks + 1]; // sample starts within the part, then its end
    private readonly int[] _slotOf = new int[ChunkPlan.MaxChunks];
    private readonly int[] _mergeEnd = new int[ChunkPlan.MaxChunks]; // merges after chunk c: [_mergeEnd[c - 1], _mergeEnd[c])
    private readonly (int Into, int From)[] _merges = new (int, int)[ChunkPlan.MaxChunks];
    private readonly (int Leaf, int Level, int Slot)[] _published = new (int, int, int)[2 * ChunkPlan.MaxChunks];
    private int _publishedCount;

    /// <summary>The whole batch of <paramref name="samples"/> samples as one chunk that adds into <paramref name="workspace"/>'s gradients.</summary>
    public GradientChunks(ITrainingWorkspace workspace, int samples)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        _workspace = workspace;
        _whole = true;
        _count = 1;
        _bounds[1] = samples;
        _mergeEnd[0] = 0;
    }

    /// <summary>
    /// The chunks a generated backward pass over <paramref name="batch"/> samples uses: those the
    /// training step set on <paramref name="workspace"/>, else the whole batch as one chunk
    /// (kept as the workspace's <see cref="ITrainingWorkspace.Chunks"/>, so a pass allocates nothing).
    /// </summary>
    /// <exception cref="ArgumentException">The step's chunks hold another number of samples than <paramref name="batch"/>.</exception>
    public static GradientChunks Of(ITrainingWorkspace workspace, int batch)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var chunks = workspace.Chunks;
        if (chunks is null)
        {
            chunks = new GradientChunks(workspace, batch);
            workspace.Chunks = chunks;
        }
        if (!chunks.IsChunked) chunks.Resize(batch);
        if (chunks.Samples != batch)
        {
            string network = workspace.GetType().DeclaringType?.Name ?? workspace.GetType().Name;
            throw new ArgumentException($"{network}: the workspace's chunks hold {chunks.Samples} samples, not the batch's {batch}.", nameof(batch));
        }
        return chunks;
    }

    /// <summary>
    /// This whole-batch form for a batch of <paramref name="samples"/> samples (reused by a
    /// workspace across backward passes, so a pass allocates nothing).
    /// </summary>
    public GradientChunks Resize(int samples)
    {
        if (!_whole)
        {
            throw new InvalidOperationException("Only the whole-batch form of GradientChunks is resized; the training step configures chunked ones.");
        }
        _bounds[1] = samples;
        return this;
    }

    /// <summary>Chunks configured by the training step (<see cref="Configure"/>).</summary>
    internal GradientChunks(ITrainingWorkspace workspace)
    {
        _workspace = workspace;
        _whole = false;
    }

    /// <summary>Chunks of this thread's part.</summary>
    public int Count => _count;

    /// <summary>Samples of this thread's part (the <c>batch</c> its forward and backward passes run).</summary>
    public int Samples => _bounds[_count];

    /// <summary>First sample of chunk <paramref name="chunk"/> within the part.</summary>
    public int FirstSample(int chunk) => _bounds[chunk];

    /// <summary>Samples of chunk <paramref name="chunk"/>.</summary>
    public int Rows(int chunk) => _bounds[chunk + 1] - _bounds[chunk];

    /// <summary>Index of the part's first chunk in the step's tree of chunks.</summary>
    internal int FirstLeaf => _firstLeaf;

    /// <summary>Whether these chunks belong to a training step (false: the whole-batch form).</summary>
    internal bool IsChunked => !_whole;

    /// <summary>
    /// Before a step: this part holds chunks <paramref name="firstLeaf"/>.. of the step's tree, with
    /// sample starts <paramref name="bounds"/> (relative to the part; the last entry is its size).
    /// Works out where each chunk's gradient goes and which subtrees are added after it.
    /// </summary>
    internal void Configure(int firstLeaf, ReadOnlySpan<int> bounds)
    {
        _count = bounds.Length - 1;
        _firstLeaf = firstLeaf;
        bounds.CopyTo(_bounds);
        _parameters = _workspace.Gradients.Length;
        Span<(int Leaf, int Level)> stack = stackalloc (int, int)[2 * ChunkPlan.MaxChunks];
        int depth = 0, merges = 0, slots = 1;
        for (int c = 0; c < _count; c++)
        {
            _slotOf[c] = depth;
            stack[depth++] = (firstLeaf + c, 0);
            slots = Math.Max(slots, depth);
            // Add the two top subtrees while they are the two halves of one aligned node.
            while (depth >= 2)
            {
                var (left, level) = stack[depth - 2];
                var right = stack[depth - 1];
                if (right.Level != level || left % (2 << level) != 0 || right.Leaf != left + (1 << level)) break;
                _merges[merges++] = (depth - 2, depth - 1);
                stack[depth - 2] = (left, level + 1);
                depth--;
            }
            _mergeEnd[c] = merges;
        }
        _publishedCount = depth;
        _deferredCount = 0;
        for (int s = 0; s < depth; s++)
        {
            _published[s] = (stack[s].Leaf, stack[s].Level, s);
        }
        if (_extraSlots.Length < slots - 1 || (_extraSlots.Length > 0 && _extraSlots[0].Length != _parameters))
        {
            var grown = new float[slots - 1][];
            for (int s = 0; s < grown.Length; s++)
            {
                grown[s] = s < _extraSlots.Length && _extraSlots[s].Length == _parameters ? _extraSlots[s] : new float[_parameters];
            }
            _extraSlots = grown;
        }
    }

    /// <summary>A part with no chunks this step (more threads than chunks).</summary>
    internal void ConfigureIdle()
    {
        _count = 0;
        _bounds[0] = 0;
        _publishedCount = 0;
        _deferredCount = 0;
    }

    /// <summary>
    /// The parameter-gradient buffer that receives chunk <paramref name="chunk"/>'s gradient of
    /// parameters <paramref name="offset"/>..+<paramref name="length"/>, cleared there (the whole
    /// form: the workspace's gradients, not cleared, added into).
    /// </summary>
    public Span<float> Leaf(int chunk, int offset, int length)
    {
        if (_whole) return _workspace.Gradients;
        var slot = Slot(_slotOf[chunk]);
        slot.Slice(offset, length).Clear();
        return slot;
    }

    /// <summary>After chunk <paramref name="chunk"/>'s gradient of those parameters is in its leaf: adds the subtrees it completes.</summary>
    public void Done(int chunk, int offset, int length)
    {
        for (int m = chunk == 0 ? 0 : _mergeEnd[chunk - 1]; m < _mergeEnd[chunk]; m++)
        {
            var into = Slot(_merges[m].Into).Slice(offset, length);
            TensorPrimitives.Add(into, Slot(_merges[m].From).Slice(offset, length), into);
        }
    }

    /// <summary>
    /// One layer's weight gradient, chunk by chunk: <paramref name="kernel"/> over each chunk's rows
    /// of <paramref name="input"/> and <paramref name="outputGradient"/> (<paramref name="inputPerSample"/>
    /// and <paramref name="gradientPerSample"/> floats a sample) into parameters
    /// <paramref name="offset"/>..+<paramref name="length"/>.
    /// </summary>
    public void WeightGradient(WeightGradientKernel kernel, ReadOnlySpan<float> input, int inputPerSample,
        ReadOnlySpan<float> outputGradient, int gradientPerSample, int offset, int length)
    {
        for (int c = 0; c < _count; c++)
        {
            int first = _bounds[c];
            kernel(input.Slice(first * inputPerSample), outputGradient.Slice(first * gradientPerSample), Leaf(c, offset, length), Rows(c));
            Done(c, offset, length);
        }
    }

    /// <summary>
    /// A Dense layer's weight gradient (and bias gradient at <paramref name="biasOffset"/>, or none
    /// when it is negative), chunk by chunk as <see cref="WeightGradient"/> does. A large weight
    /// matrix is made a block of rows at a time: each block's chunk gradients and the subtree sums
    /// stay in the cache, and only the thread's finished subtrees reach memory, so a part of
    /// several chunks costs about what one chunk costs (fashion's 3136 x 1024 layer otherwise
    /// writes and re-reads its 12.8 MB once per chunk). Every element is the same sum either way
    /// (<see cref="Kernels.DenseKernels.WeightGradientRows"/>), so the result does not depend on
    /// how many chunks a thread holds.
    /// </summary>
    public void DenseWeightGradient(ReadOnlySpan<float> input, int inputs, ReadOnlySpan<float> outputGradient, int units, int weightOffset, int biasOffset)
    {
        int weights = inputs * units;
        if (!_whole && DefersDenseWeights && weights >= DeferredDenseWeights && _count > 0)
        {
            Defer(input, inputs, outputGradient, units, weightOffset);
            if (biasOffset >= 0) BiasGradient(outputGradient, units, biasOffset);
            return;
        }
        if (_whole || _count == 1 || weights < BlockedDenseWeights)
        {
            for (int c = 0; c < _count; c++)
            {
                int first = _bounds[c], rows = Rows(c);
                var leaf = Leaf(c, weightOffset, weights);
                if (biasOffset >= 0) Leaf(c, biasOffset, units); // the same buffer, its bias slice cleared too
                Kernels.DenseKernels.WeightGradient(input.Slice(first * inputs, rows * inputs), outputGradient.Slice(first * units, rows * units),
                    leaf.Slice(weightOffset, weights), biasOffset < 0 ? default : leaf.Slice(biasOffset, units), rows, inputs, units);
                Done(c, weightOffset, weights);
                if (biasOffset >= 0) Done(c, biasOffset, units);
            }
            return;
        }
        // Rows in fours, as many as keep one block of every slot within about 256 KB (any block of
        // rows, starting anywhere, is bit-identical to those rows of the whole gradient).
        int blockRows = Math.Max(4, BlockFloats / units / 4 * 4);
        for (int first = 0; first < inputs; first += blockRows)
        {
            int count = Math.Min(blockRows, inputs - first);
            int offset = weightOffset + first * units;
            for (int c = 0; c < _count; c++)
            {
                int start = _bounds[c], rows = Rows(c);
                // The kernel writes the whole block (no clearing pass first): the same bits as adding to zeros.
                var block = Slot(_slotOf[c]).Slice(offset, count * units);
                Kernels.DenseKernels.WeightGradientRows(input.Slice(start * inputs, rows * inputs), inputs, first, count,
                    outputGradient.Slice(start * units, rows * units), block, rows, units, overwrite: true);
                Done(c, offset, count * units);
            }
        }
        if (biasOffset >= 0) BiasGradient(outputGradient, units, biasOffset);
    }

    /// <summary>A Dense layer's bias gradient chunk by chunk: each chunk's output gradient rows added in sample order.</summary>
    private void BiasGradient(ReadOnlySpan<float> outputGradient, int units, int biasOffset)
    {
        for (int c = 0; c < _count; c++)
        {
            var bias = Leaf(c, biasOffset, units).Slice(biasOffset, units);
            for (int n = _bounds[c]; n < _bounds[c + 1]; n++)
            {
                Kernels.VectorMath.AddInPlace(bias, outputGradient.Slice(n * units, units));
            }
            Done(c, biasOffset, units);
        }
    }

    /// <summary>
    /// Whether large Dense layers' weight gradients are left to the step's deferred phase (see
    /// <see cref="Training.DeferredDenseGradients"/>): set by the training step when every thread's
    /// chunks are in one tree that it sums itself (not with a cross-process reducer, which sums
    /// each layer's nodes as backward goes).
    /// </summary>
    internal bool DefersDenseWeights { get; set; }

    /// <summary>Weights from which a Dense layer's weight gradient is deferred (the layers whose chunk leaves and tree sum cost memory bandwidth).</summary>
    internal const int DeferredDenseWeights = 1 << 16;

    /// <summary>The Dense layers this step deferred, in backward order (the same layers in every part).</summary>
    internal int DeferredCount => _deferredCount;

    /// <summary>Deferred layer <paramref name="index"/>: its shape, where its weights are, and this part's copies of its input and output gradient.</summary>
    internal ref readonly DeferredDense Deferred(int index) => ref _deferred[index];

    private DeferredDense[] _deferred = [];
    private int _deferredCount;

    /// <summary>
    /// Keeps a copy of this part's input and output gradient of a Dense layer, for the deferred
    /// phase to make its weight gradient from (the output gradient's buffer is reused by the layers
    /// below; the input is small next to the weights: 64 x 3136 floats for 3136 x 1024 weights).
    /// The buffers are kept per layer across steps, so a step allocates nothing.
    /// </summary>
    private void Defer(ReadOnlySpan<float> input, int inputs, ReadOnlySpan<float> outputGradient, int units, int weightOffset)
    {
        int samples = Samples;
        if (_deferredCount == _deferred.Length) Array.Resize(ref _deferred, _deferredCount + 1);
        ref var entry = ref _deferred[_deferredCount++];
        if (entry.Input is null || entry.WeightOffset != weightOffset || entry.Inputs != inputs || entry.Units != units
            || entry.Input.Length < samples * inputs || entry.OutputGradient!.Length < samples * units)
        {
            int capacity = Math.Max(samples, _workspace.Capacity);
            entry = new DeferredDense(inputs, units, weightOffset, new float[capacity * inputs], new float[capacity * units]);
        }
        input.Slice(0, samples * inputs).CopyTo(entry.Input);
        outputGradient.Slice(0, samples * units).CopyTo(entry.OutputGradient);
    }

    /// <summary>Weights from which a Dense gradient is made a block of rows at a time (a smaller one fits the cache whole).</summary>
    private const int BlockedDenseWeights = 1 << 16;

    /// <summary>Floats of one slot's block: with the O(log chunks) slots, the blocks stay within the core's L2 cache.</summary>
    private const int BlockFloats = 1 << 14;

    /// <summary>The published node covering chunks <paramref name="leaf"/>..+2^<paramref name="level"/>, when this part holds it.</summary>
    internal bool TryNode(int leaf, int level, out Span<float> node)
    {
        for (int p = 0; p < _publishedCount; p++)
        {
            if (_published[p].Leaf == leaf && _published[p].Level == level)
            {
                node = Slot(_published[p].Slot);
                return true;
            }
        }
        node = default;
        return false;
    }

    /// <summary>Clears parameters <paramref name="offset"/>..+<paramref name="length"/> in every buffer (a layer just frozen keeps no old gradient).</summary>
    internal void ClearAll(int offset, int length)
    {
        _workspace.Gradients.Slice(offset, length).Clear();
        foreach (var slot in _extraSlots) slot.AsSpan(offset, length).Clear();
    }

    private Span<float> Slot(int slot) => slot == 0 ? _workspace.Gradients : _extraSlots[slot - 1];
}

/// <summary>A Dense layer whose weight gradient a part deferred: its shape, its weights' offset, and the part's copies of its input and output gradient rows.</summary>
internal readonly record struct DeferredDense(int Inputs, int Units, int WeightOffset, float[] Input, float[] OutputGradient);
