using System;
using System.Numerics.Tensors;
using ConvGen.Parallel;

namespace ConvGen.Training;

/// <summary>
/// Assembles a step's parameter gradient from the nodes the threads published (see
/// <see cref="GradientChunks"/>): node(a..b) = node(a..mid) + node(mid+1..b) over the chunk
/// indices, top down, taking a node as a whole wherever one thread completed it. Which thread
/// computed a node changes nothing: every node is the same sum, so the result is the same for
/// any thread count. The sums are made in place in the threads' buffers (used once per step).
/// </summary>
internal static class ChunkTree
{
    /// <summary>
    /// The sum of chunks <paramref name="firstLeaf"/>..<paramref name="endLeaf"/>-1 of parameters
    /// <paramref name="offset"/>..+<paramref name="length"/> into <paramref name="destination"/>;
    /// with <paramref name="checkFinite"/>, returns whether every value is finite (checked in the
    /// last pass), otherwise true.
    /// </summary>
    public static bool Sum(GradientChunks[] parts, int firstLeaf, int endLeaf, int offset, int length, Span<float> destination, bool checkFinite)
    {
        int level = 0;
        while ((1 << level) < endLeaf) level++;
        // Descend to the smallest node that holds the whole range: its two halves give the last add.
        int lo = 0;
        while (level > 0)
        {
            int half = 1 << (level - 1);
            if (endLeaf <= lo + half) { level--; continue; }
            if (firstLeaf >= lo + half) { lo += half; level--; continue; }
            break;
        }
        if (Find(parts, lo, level, offset, length, out var whole))
        {
            return Copy(whole, destination, checkFinite);
        }
        int mid = 1 << (level - 1);
        bool hasLeft = Node(parts, lo, level - 1, firstLeaf, endLeaf, offset, length, out var left);
        bool hasRight = Node(parts, lo + mid, level - 1, firstLeaf, endLeaf, offset, length, out var right);
        if (!hasLeft || !hasRight)
        {
            throw new InvalidOperationException($"Chunks {firstLeaf}..{endLeaf - 1}: no thread published part of the smallest node that holds them.");
        }
        if (checkFinite)
        {
            return Finiteness.AddAndCheck(left, right, destination);
        }
        TensorPrimitives.Add(left, right, destination);
        return true;
    }

    private static bool Copy(ReadOnlySpan<float> source, Span<float> destination, bool checkFinite)
    {
        if (checkFinite) return Finiteness.CopyAndCheck(source, destination);
        source.CopyTo(destination);
        return true;
    }

    /// <summary>Node (<paramref name="lo"/>, <paramref name="level"/>) restricted to the range; false when it holds none of it.</summary>
    private static bool Node(GradientChunks[] parts, int lo, int level, int firstLeaf, int endLeaf, int offset, int length, out Span<float> node)
    {
        node = default;
        int hi = lo + (1 << level);
        if (hi <= firstLeaf || lo >= endLeaf) return false;
        bool inside = lo >= firstLeaf && hi <= endLeaf;
        if (inside && Find(parts, lo, level, offset, length, out node)) return true;
        if (level == 0)
        {
            throw new InvalidOperationException($"Chunk {lo}: no thread published its gradient.");
        }
        int half = 1 << (level - 1);
        bool hasLeft = Node(parts, lo, level - 1, firstLeaf, endLeaf, offset, length, out var left);
        bool hasRight = Node(parts, lo + half, level - 1, firstLeaf, endLeaf, offset, length, out var right);
        if (!hasRight) { node = left; return hasLeft; }
        if (!hasLeft) { node = right; return true; }
        TensorPrimitives.Add(left, right, left);
        node = left;
        return true;
    }

    private static bool Find(GradientChunks[] parts, int lo, int level, int offset, int length, out Span<float> node)
    {
        foreach (var part in parts)
        {
            if (part.TryNode(lo, level, out var buffer))
            {
                node = buffer.Slice(offset, length);
                return true;
            }
        }
        node = default;
        return false;
    }
}
