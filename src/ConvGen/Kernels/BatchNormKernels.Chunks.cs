using System;
using ConvGen.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// BatchNorm over a batch split into chunks (see <see cref="ChunkPlan"/>): statistics and
/// backward sums are made per chunk, every part publishes its chunks', and every part merges all
/// of them in one fixed binary tree over the chunk indices. The result depends on the chunks
/// alone, not on how many threads (or, with SyncBatchNorm, processes) hold them.
/// </summary>
public static partial class BatchNormKernels
{
    /// <summary>Training forward for one part of a chunked batch: the whole batch's statistics from the chunk tree.</summary>
    private static void ChunkedTrainingForward(ReadOnlySpan<float> input, Span<float> output, Span<float> normalized,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> batchMean, Span<float> batchVariance, Span<float> inverseStd, BatchShare share, GradientChunks chunks)
    {
        int channels = gamma.Length;
        int rows = Rows(input.Length, output.Length, channels);
        CheckChannels(channels, beta.Length, batchMean.Length, batchVariance.Length, inverseStd.Length, channels);
        if (normalized.Length < input.Length)
        {
            throw new ArgumentException($"BatchNorm: the normalised buffer holds {normalized.Length} floats but the input has {input.Length}.", nameof(normalized));
        }
        int rowsPerSample = RowsPerSample(rows, chunks);
        int node = 1 + 2 * channels; // [rows, mean[C], M2[C]]
        double[] own = System.Buffers.ArrayPool<double>.Shared.Rent(chunks.Count * node);
        try
        {
            for (int c = 0; c < chunks.Count; c++)
            {
                int chunkRows = chunks.Rows(c) * rowsPerSample;
                var moments = own.AsSpan(c * node, node);
                moments[0] = chunkRows;
                PartMoments(input.Slice(chunks.FirstSample(c) * rowsPerSample * channels, chunkRows * channels), chunkRows, channels, moments.Slice(1));
            }
            double[] tree = Gather(share, chunks.Count, own.AsSpan(0, chunks.Count * node), node);
            try
            {
                var root = MergeTree(tree.AsSpan(0, share.Group.LeafSpace * node), node, merge: true);
                double count = root[0];
                for (int c = 0; c < channels; c++)
                {
                    double variance = root[1 + channels + c] / count;
                    batchMean[c] = (float)root[1 + c];
                    batchVariance[c] = (float)variance;
                    inverseStd[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
                }
            }
            finally
            {
                System.Buffers.ArrayPool<double>.Shared.Return(tree);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(own);
        }
        Normalize(input, output, normalized, gamma, beta, batchMean, inverseStd, rows, channels);
    }

    /// <summary>
    /// Backward of a training-mode BatchNorm whose γ and β gradients go, chunk by chunk, to
    /// <paramref name="chunks"/> (parameters <paramref name="gammaOffset"/> and
    /// <paramref name="betaOffset"/>, <c>γ.Length</c> each): <c>dβ = Σ dy</c>, <c>dγ = Σ dy·x̂</c>
    /// per chunk; unless <paramref name="inputGradient"/> is empty,
    /// <c>dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σdy·x̂)</c> with the sums of the whole batch (merged in
    /// the chunk tree, over every part of <paramref name="share"/>) when the forward pass used the
    /// batch's statistics (<paramref name="throughBatchStatistics"/>), or <c>dx = γ·σ⁻¹·dy</c>.
    /// Without chunks (a backward pass outside a training step) this is
    /// <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, bool, BatchShare?)"/>
    /// into the chunks' one buffer.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> normalized, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> inverseStd, GradientChunks chunks, int gammaOffset, int betaOffset, Span<float> inputGradient, bool throughBatchStatistics,
        BatchShare? share)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        int channels = gamma.Length;
        if (!chunks.IsChunked)
        {
            var gradients = chunks.Leaf(0, 0, 0);
            Backward(outputGradient, normalized, gamma, inverseStd, gradients.Slice(gammaOffset, channels), gradients.Slice(betaOffset, channels),
                inputGradient, throughBatchStatistics, share);
            return;
        }
        int rows = Rows(outputGradient.Length, normalized.Length < outputGradient.Length ? -1 : outputGradient.Length, channels);
        int rowsPerSample = RowsPerSample(rows, chunks);
        int node = 1 + 2 * channels; // [rows, Σdy[C], Σdy·x̂[C]]
        double[] own = System.Buffers.ArrayPool<double>.Shared.Rent(chunks.Count * node + channels); // the nodes, then the input gradient's scale
        double[]? tree = null;
        try
        {
            for (int c = 0; c < chunks.Count; c++)
            {
                int first = chunks.FirstSample(c) * rowsPerSample;
                int chunkRows = chunks.Rows(c) * rowsPerSample;
                var sums = own.AsSpan(c * node, node);
                sums.Clear();
                sums[0] = chunkRows;
                Simd.BatchNormRows.Sums(outputGradient.Slice(first * channels), normalized.Slice(first * channels), chunkRows, channels,
                    sums.Slice(1, channels), sums.Slice(1 + channels, channels));
                var gammaLeaf = chunks.Leaf(c, gammaOffset, channels).Slice(gammaOffset, channels);
                var betaLeaf = chunks.Leaf(c, betaOffset, channels).Slice(betaOffset, channels);
                for (int k = 0; k < channels; k++)
                {
                    betaLeaf[k] += (float)sums[1 + k];
                    gammaLeaf[k] += (float)sums[1 + channels + k];
                }
                chunks.Done(c, gammaOffset, channels);
                chunks.Done(c, betaOffset, channels);
            }
            if (!throughBatchStatistics)
            {
                if (!inputGradient.IsEmpty) FixedInputGradient(outputGradient, gamma, inverseStd, inputGradient, rows, channels);
                return;
            }
            // Every part exchanges its sums, even one that needs no input gradient, so that all
            // parts meet at the same barriers.
            Span<double> root;
            if (share?.Chunks == chunks)
            {
                tree = Gather(share, chunks.Count, own.AsSpan(0, chunks.Count * node), node);
                root = MergeTree(tree.AsSpan(0, share.Group.LeafSpace * node), node, merge: false);
            }
            else
            {
                root = MergeTree(own.AsSpan(0, chunks.Count * node), node, merge: false);
            }
            if (inputGradient.IsEmpty)
            {
                return;
            }
            if (inputGradient.Length < outputGradient.Length)
            {
                throw new ArgumentException($"BatchNorm: the input gradient holds {inputGradient.Length} floats but {outputGradient.Length} are needed.", nameof(inputGradient));
            }
            double batchRows = root[0];
            // k / batchRows * (...) is (k / batchRows) * (...): the per-channel factor once, the same double arithmetic per value.
            Span<double> scale = own.AsSpan(chunks.Count * node, channels);
            for (int c = 0; c < channels; c++)
            {
                scale[c] = gamma[c] * (double)inverseStd[c] / batchRows;
            }
            Simd.BatchNormRows.InputGradient(outputGradient, normalized, inputGradient, rows, channels, scale,
                root.Slice(1, channels), root.Slice(1 + channels, channels), batchRows, throughBatchStatistics: true);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(own);
            if (tree is not null) System.Buffers.ArrayPool<double>.Shared.Return(tree);
        }
    }

    private static void FixedInputGradient(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> gamma, ReadOnlySpan<float> inverseStd,
        Span<float> inputGradient, int rows, int channels)
    {
        if (inputGradient.Length < outputGradient.Length)
        {
            throw new ArgumentException($"BatchNorm: the input gradient holds {inputGradient.Length} floats but {outputGradient.Length} are needed.", nameof(inputGradient));
        }
        double[] scale = System.Buffers.ArrayPool<double>.Shared.Rent(channels);
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] * (double)inverseStd[c];
        }
        var k = scale.AsSpan(0, channels);
        Simd.BatchNormRows.InputGradient(outputGradient, default, inputGradient, rows, channels, k, k, k, batchRows: 0, throughBatchStatistics: false); // the sums are not read
        System.Buffers.ArrayPool<double>.Shared.Return(scale);
    }

    private static int RowsPerSample(int rows, GradientChunks chunks)
    {
        int samples = chunks.Samples;
        if (samples <= 0 || rows % samples != 0)
        {
            throw new ArgumentException($"BatchNorm: {rows} rows are not whole samples of the part's {samples} samples.");
        }
        return rows / samples;
    }

    /// <summary>
    /// Every part's (and, with processes, every process's) chunk nodes in their places among the
    /// group's <see cref="BatchParts.LeafSpace"/> chunks, empty (zero rows) where no chunk is; a
    /// rented array. Across processes part 0 sums the places over the communicator (each place
    /// is filled by one process, so the sum only gathers) and hands the result to the others.
    /// </summary>
    private static double[] Gather(BatchShare share, int chunks, ReadOnlySpan<double> own, int node)
    {
        var group = share.Group;
        int length = group.LeafSpace * node;
        double[] tree = System.Buffers.ArrayPool<double>.Shared.Rent(length);
        var leaves = tree.AsSpan(0, length);
        leaves.Clear();
        int at = group.FirstLeaf * node;
        foreach (double[] part in share.Exchange(chunks, own))
        {
            int values = (int)part[0] * node;
            for (int i = 0; i < values; i++)
            {
                leaves[at + i] = part[1 + i] + 0.0; // a -0 becomes +0, as a sum over processes makes it
            }
            at += values;
        }
        if (group.Communicator is { } processes)
        {
            if (share.Part == 0)
            {
                processes.AllReduceSum(leaves);
            }
            share.FromFirstPart(leaves).CopyTo(leaves);
        }
        return tree;
    }

    /// <summary>
    /// Combines the nodes of <paramref name="leaves"/> (<paramref name="node"/> values each, the
    /// first being the row count; zero rows: no chunk) in a fixed binary tree, node(a..b) from
    /// node(a..mid) and node(mid+1..b): with Chan et al.'s update of <c>[mean, M2]</c> when
    /// <paramref name="merge"/>, else by adding. Returns the root (the first node).
    /// </summary>
    private static Span<double> MergeTree(Span<double> leaves, int node, bool merge)
    {
        int count = leaves.Length / node;
        int channels = (node - 1) / 2;
        for (int step = 1; step < count; step *= 2)
        {
            for (int lo = 0; lo + step < count; lo += 2 * step)
            {
                var left = leaves.Slice(lo * node, node);
                var right = leaves.Slice((lo + step) * node, node);
                if (right[0] <= 0) continue;
                if (left[0] <= 0)
                {
                    right.CopyTo(left);
                    continue;
                }
                if (merge)
                {
                    double n = left[0], m = right[0], total = n + m;
                    for (int c = 0; c < channels; c++)
                    {
                        double delta = right[1 + c] - left[1 + c];
                        left[1 + c] += delta * m / total;
                        left[1 + channels + c] += right[1 + channels + c] + delta * delta * n * m / total;
                    }
                    left[0] = total;
                }
                else
                {
                    for (int i = 0; i < node; i++) left[i] += right[i];
                }
            }
        }
        return leaves.Slice(0, node);
    }
}
