using System;
using System.Numerics.Tensors;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The weight gradient summed over a tree of chunks in one pass (DenseKernels.WeightGradientTree)
/// is bit for bit each chunk's gradient rows (DenseKernels.WeightGradientRows) added in the chunk
/// tree, left + right, as the per-chunk training path adds them: packed (units >= 512) and unpacked
/// output gradients, row blocks on and off the six-row tiles, chunks of uneven sizes in two parts'
/// arrays, and blocks that reuse the first block's packed output gradient.
/// </summary>
public sealed class DenseKernelsTreeTests
{
    public static TheoryData<string, int, int, int> Shapes()
    {
        var rows = new TheoryData<string, int, int, int>();
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        {
            foreach (int chunks in new[] { 1, 2, 8 })
            {
                rows.Add(path, chunks, 61, 530); // packed strips, a vector and scalars after them
                rows.Add(path, chunks, 29, 84);  // unpacked
                // a vector after the strips of every width (64, 32 and 16 floats), packed and unpacked
                rows.Add(path, chunks, 61, 600);
                rows.Add(path, chunks, 29, 40);
            }
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_tree_of_chunks_is_the_chunk_gradients_added_in_the_tree(string pathName, int chunkCount, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var chunks = Chunks(chunkCount, inputs, units);
        var expected = TreeOfChunkRows(path, chunks, inputs, units, 0, inputs);
        var whole = new float[inputs * units];
        Array.Fill(whole, float.NaN); // every element must be written
        DenseKernels.WeightGradientTreeOn(path, chunks, inputs, units, 0, inputs, whole);
        AssertSameBits(expected, whole, $"{path}, {chunkCount} chunks, all rows");
        // Blocks on and off the tiles, the later ones on the output gradient the first one packed.
        bool packed = false;
        foreach (var (first, count) in new[] { (0, 13), (13, 6), (19, 5), (24, 1), (25, inputs - 25) })
        {
            var rows = new float[count * units];
            Array.Fill(rows, float.NaN);
            DenseKernels.WeightGradientTreeOn(path, chunks, inputs, units, first, count, rows, packed);
            packed = true;
            AssertSameBits(whole.AsSpan(first * units, count * units), rows, $"{path}, {chunkCount} chunks, rows {first}..{first + count}");
        }
    }

    [Fact]
    public void Chunks_that_do_not_form_a_perfect_tree_are_refused_with_their_count()
    {
        var chunks = Chunks(3, 8, 16);
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.WeightGradientTree(chunks, 8, 16, 0, 8, new float[8 * 16]));
        Assert.Contains("3 chunks do not form a perfect tree", error.Message);
    }

    [Fact]
    public void A_chunk_outside_its_arrays_is_refused_with_its_samples()
    {
        var chunks = Chunks(2, 8, 16);
        chunks[1] = chunks[1] with { Rows = 100 };
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.WeightGradientTree(chunks, 8, 16, 0, 8, new float[8 * 16]));
        Assert.Contains($"samples {chunks[1].FirstSample}..+100", error.Message);
    }

    /// <summary>Chunks of 3 to 9 samples, the first half in one part's arrays and the rest in another's, each part's chunks after a few unrelated samples.</summary>
    private static DenseGradientChunk[] Chunks(int count, int inputs, int units)
    {
        var chunks = new DenseGradientChunk[count];
        int half = Math.Max(1, count / 2);
        for (int part = 0; part < 2; part++)
        {
            int from = part == 0 ? 0 : half, to = part == 0 ? half : count;
            int samples = 2;
            for (int c = from; c < to; c++) samples += 3 + (c * 5) % 7;
            var x = SeededData.Uniform(samples * inputs, SeededData.Seed($"tx{part}.{count}.{inputs}.{units}"));
            var g = SeededData.Uniform(samples * units, SeededData.Seed($"tg{part}.{count}.{inputs}.{units}"));
            int first = 2;
            for (int c = from; c < to; c++)
            {
                int rows = 3 + (c * 5) % 7;
                chunks[c] = new DenseGradientChunk(x, g, first, rows);
                first += rows;
            }
        }
        return chunks;
    }

    /// <summary>Rows of each chunk's gradient (written over a cleared block), added pairwise up the tree.</summary>
    private static float[] TreeOfChunkRows(KernelPath path, DenseGradientChunk[] chunks, int inputs, int units, int first, int count)
    {
        var level = new float[chunks.Length][];
        for (int c = 0; c < chunks.Length; c++)
        {
            var chunk = chunks[c];
            level[c] = new float[count * units];
            DenseKernels.WeightGradientRowsOn(path, chunk.Input.AsSpan(chunk.FirstSample * inputs, chunk.Rows * inputs), inputs, first, count,
                chunk.OutputGradient.AsSpan(chunk.FirstSample * units, chunk.Rows * units), level[c], chunk.Rows, units, overwrite: true);
        }
        while (level.Length > 1)
        {
            var next = new float[level.Length / 2][];
            for (int p = 0; p < next.Length; p++)
            {
                next[p] = new float[count * units];
                TensorPrimitives.Add(level[2 * p], level[2 * p + 1], next[p]);
            }
            level = next;
        }
        return level[0];
    }

    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}, element {i}: {expected[i]:G9} from the chunks, {actual[i]:G9} from the tree");
        }
    }
}
