using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>One chunk of a batch: its rows of a Dense layer's input and output gradient, samples <c>FirstSample..+Rows</c> of the arrays.</summary>
internal readonly record struct DenseGradientChunk(float[] Input, float[] OutputGradient, int FirstSample, int Rows);

/// <summary>
/// A weight gradient summed over a tree of chunks in one pass: each chunk's gradient is its
/// products in sample order from zero, and two sibling subtrees are added left + right, as the
/// chunk tree adds the per-chunk gradients (GradientChunks.Done). A tile of weight rows x units
/// makes every chunk's sums in registers one after the other, keeps the unfinished subtrees on a
/// small stack in the L1 cache and stores only the root: the chunks' gradients and their sums never
/// go through cache-sized blocks in L2, and each chunk's few samples (8 of a batch of 64) still
/// cost one store per accumulator, not one store and the adds' loads and stores per chunk and level.
/// The output gradient of all chunks is packed once per call, strip by strip, so a tile reads it
/// as one sequential run.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>Subtrees a tile may hold unfinished: log2 of the largest chunk count.</summary>
    private const int MaxTreeLevels = 4;

    /// <summary>Six-row groups that read one strip of the packed output gradient while it is in the L1 cache.</summary>
    private const int TreeRowGroups = 4;

    [ThreadStatic] private static float[]? s_treeStack;

    /// <summary>
    /// Rows <paramref name="firstInput"/>..+<paramref name="count"/> of the weight gradient of
    /// <paramref name="chunks"/> (a power of two of them, at most 2^<see cref="MaxTreeLevels"/>) summed
    /// in their tree, written to <paramref name="destination"/> (<paramref name="count"/> x
    /// <paramref name="units"/>). With <paramref name="packed"/>, the thread's panel still holds these
    /// chunks' output gradient from an earlier call of this thread (a thread's share made a block of
    /// rows at a time packs it once).
    /// </summary>
    internal static void WeightGradientTree(
        ReadOnlySpan<DenseGradientChunk> chunks, int inputs, int units, int firstInput, int count, Span<float> destination, bool packed = false) =>
        WeightGradientTreeOn(KernelPaths.Preferred, chunks, inputs, units, firstInput, count, destination, packed);

    /// <summary>As <see cref="WeightGradientTree"/>, on the given vector path.</summary>
    internal static void WeightGradientTreeOn(
        KernelPath path, ReadOnlySpan<DenseGradientChunk> chunks, int inputs, int units, int firstInput, int count, Span<float> destination, bool packed = false)
    {
        if (chunks.Length == 0 || (chunks.Length & (chunks.Length - 1)) != 0 || chunks.Length > 1 << MaxTreeLevels)
        {
            throw new ArgumentException($"DenseKernels: {chunks.Length} chunks do not form a perfect tree of at most {1 << MaxTreeLevels} leaves.", nameof(chunks));
        }
        if (firstInput < 0 || count < 0 || firstInput + count > inputs)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"DenseKernels: rows {firstInput}..{firstInput + count} are outside the layer's {inputs} inputs.");
        }
        CheckLength(nameof(destination), destination.Length, (long)count * units);
        int samples = 0;
        foreach (var chunk in chunks)
        {
            if (chunk.FirstSample < 0 || chunk.Rows < 0
                || chunk.Input.Length < (long)(chunk.FirstSample + chunk.Rows) * inputs || chunk.OutputGradient.Length < (long)(chunk.FirstSample + chunk.Rows) * units)
            {
                throw new ArgumentException($"DenseKernels: a chunk's samples {chunk.FirstSample}..+{chunk.Rows} are outside its input ({chunk.Input.Length} floats) or output gradient ({chunk.OutputGradient.Length} floats).", nameof(chunks));
            }
            samples += chunk.Rows;
        }
        if (count == 0) return;
        var tree = new Tree(chunks, samples, inputs, units, firstInput, count, ref MemoryMarshal.GetReference(destination));
        int u = 0;
        if (path == KernelPath.Vector512) u = TreeColumns<Vector512<float>, Vector512Ops>(ref tree, chunks, u, packed);
        if (path >= KernelPath.Vector256) u = TreeColumns<Vector256<float>, Vector256Ops>(ref tree, chunks, u, packed);
        TreeColumns<float, ScalarOps>(ref tree, chunks, u, packed);
    }

    /// <summary>The operands of one tree call; <c>G</c> and <c>GStride</c> are where strip s's output gradient of sample n is.</summary>
    private ref struct Tree
    {
        public readonly ReadOnlySpan<DenseGradientChunk> Chunks;
        public readonly int Samples;
        public readonly nint Inputs;
        public readonly nint Units;
        public readonly int FirstInput;
        public readonly int Count;
        public ref float Destination;
        public ref float Stack;
        /// <summary>
        /// Floats of the thread's panel the wider vectors' strips have packed: a narrower width packs
        /// its strips after them, so a later call with <c>packed</c> finds every width's strips as
        /// this call left them.
        /// </summary>
        public nint PanelUsed;

        public Tree(ReadOnlySpan<DenseGradientChunk> chunks, int samples, int inputs, int units, int firstInput, int count, ref float destination)
        {
            Chunks = chunks;
            Samples = samples;
            Inputs = inputs;
            Units = units;
            FirstInput = firstInput;
            Count = count;
            Destination = ref destination;
            Stack = ref AlignedStack();
        }
    }

    private static ref float AlignedStack()
    {
        // One slot per level for the largest tile (6 rows x 4 Vector512; the narrow strips use part of it), cache-line aligned.
        return ref AlignedStart(s_treeStack ??= GC.AllocateUninitializedArray<float>(MaxTreeLevels * 6 * 4 * 16 + 16, pinned: true));
    }

    /// <summary>Columns from <paramref name="u"/> on, as far as whole vectors go; returns the first column left.</summary>
    private static int TreeColumns<TV, TO>(ref Tree t, ReadOnlySpan<DenseGradientChunk> chunks, int u, bool packed) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int lanes = TO.Lanes, strip = StripVectors<TV, TO>() * lanes;
        int strips = (int)(t.Units - u) / strip;
        if (strips > 0)
        {
            // Strip by strip, the samples of all chunks in order: a strip of one sample is a page
            // from the next in place, which would map the tile's reads onto a few L1 sets.
            nint packedFloats = (nint)t.Samples * strips * strip;
            bool pack = t.Units >= PackFromUnits && t.PanelUsed + packedFloats <= MaxPackedGradient;
            ref float panel = ref pack ? ref Unsafe.Add(ref GradientPanel((int)(t.PanelUsed + packedFloats)), t.PanelUsed) : ref Unsafe.NullRef<float>();
            if (pack) t.PanelUsed += packedFloats;
            if (pack && !packed)
            {
                int sample = 0;
                foreach (var chunk in chunks)
                {
                    ref float g = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk.OutputGradient), (nint)chunk.FirstSample * t.Units + u);
                    for (int s = 0; s < strips; s++)
                    {
                        PackStrip<TV, TO>(ref Unsafe.Add(ref g, s * strip), t.Units, chunk.Rows, ref Unsafe.Add(ref panel, ((nint)s * t.Samples + sample) * strip));
                    }
                    sample += chunk.Rows;
                }
            }
            // A few six-row groups per strip: the strip's output gradient (16 KB for 64 samples of a Vector512 strip)
            // stays in the L1 cache for all of them, with their input columns.
            int sixes = t.Count / 6 * 6;
            for (int i0 = 0; i0 < sixes; i0 += TreeRowGroups * 6)
            {
                int end = Math.Min(i0 + TreeRowGroups * 6, sixes);
                for (int s = 0; s < strips; s++)
                {
                    for (int r = i0; r < end; r += 6) TreeTile6<TV, TO>(ref t, ref panel, pack, r, u + s * strip, s, strip);
                }
            }
            for (int i = sixes; i < t.Count; i++)
            {
                for (int s = 0; s < strips; s++) TreeTiles<TV, TO, Rows1>(ref t, ref panel, pack, i, u, s, strip);
            }
            u += strips * strip;
        }
        for (; u + lanes <= t.Units; u += lanes)
        {
            for (int i = 0; i < t.Count; i++)
            {
                TreeTiles<TV, TO, Vector1>(ref t, ref Unsafe.NullRef<float>(), false, i, u, 0, lanes);
            }
        }
        return u;
    }

    /// <summary>The shapes of the edge tiles: 1 row x a strip (<see cref="StripVectors{TV, TO}"/>), 1 row x 1 vector.</summary>
    private interface ITreeTile
    {
        static abstract bool WholeStrip { get; }
    }

    private struct Rows1 : ITreeTile
    {
        public static bool WholeStrip => true;
    }

    private struct Vector1 : ITreeTile
    {
        public static bool WholeStrip => false;
    }

    /// <summary>
    /// One tile's rows <paramref name="i"/>.. (of the call's block) x strip <paramref name="s"/> from
    /// column <paramref name="u"/>: every chunk in turn, each adding the subtrees it completes, the
    /// root stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TreeTiles<TV, TO, TT>(ref Tree t, ref float panel, bool pack, int i, int u, int s, int strip)
        where TV : struct where TO : struct, IVectorOps<TV> where TT : struct, ITreeTile
    {
        nint slot = (TT.WholeStrip ? StripVectors<TV, TO>() : 1) * TO.Lanes;
        int depth = 0, sample = 0;
        int last = t.Chunks.Length - 1;
        int column = u + s * strip;
        for (int c = 0; c <= last; c++)
        {
            var chunk = t.Chunks[c];
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk.Input), (nint)chunk.FirstSample * t.Inputs + t.FirstInput + i);
            ref float g = ref pack
                ? ref Unsafe.Add(ref panel, ((nint)s * t.Samples + sample) * strip)
                : ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk.OutputGradient), (nint)chunk.FirstSample * t.Units + column);
            nint gStride = pack ? strip : t.Units;
            // Chunk c completes as many subtrees as c + 1 has trailing zero bits.
            int merges = BitOperations.TrailingZeroCount(c + 1);
            int top = depth - merges;
            ref float target = ref c == last ? ref Unsafe.Add(ref t.Destination, i * t.Units + column) : ref Unsafe.Add(ref t.Stack, top * slot);
            if (typeof(TT) == typeof(Rows1))
            {
                if (StripVectors<TV, TO>() == 4) TreeTile1x4<TV, TO>(ref x, t.Inputs, ref g, gStride, chunk.Rows, ref t.Stack, slot, depth, merges, ref target);
                else TreeTile1x2<TV, TO>(ref x, t.Inputs, ref g, gStride, chunk.Rows, ref t.Stack, slot, depth, merges, ref target);
            }
            else
            {
                TreeTile1x1<TV, TO>(ref x, t.Inputs, ref g, gStride, chunk.Rows, ref t.Stack, slot, depth, merges, ref target);
            }
            depth = top + 1;
            sample += chunk.Rows;
        }
    }
}
