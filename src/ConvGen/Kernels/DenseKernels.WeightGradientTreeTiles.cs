using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The tree weight gradient's tiles (see DenseKernels.WeightGradientTree.cs): one chunk's products
/// in sample order from zero, then the <c>merges</c> subtrees it completes added on the left, top of
/// the stack first, the sum stored to the stack's new top or, for the last chunk, the gradient.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>
    /// Weight rows <paramref name="i"/>..+5 of the block x one strip from <paramref name="column"/>
    /// (strip <paramref name="s"/>; four vectors, or two with 16 registers), every chunk in turn in
    /// this one call: the chunks' few samples each make one short run of FMAs, so the call's setup
    /// is paid once, not per chunk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TreeTile6<TV, TO>(ref Tree t, ref float panel, bool pack, int i, int column, int s, int strip) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint width = StripVectors<TV, TO>() * TO.Lanes, slot = 6 * width, xStride = t.Inputs, gStride = pack ? strip : t.Units;
        int depth = 0, sample = 0, last = t.Chunks.Length - 1;
        for (int c = 0; c <= last; c++)
        {
            var chunk = t.Chunks[c];
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk.Input), (nint)chunk.FirstSample * t.Inputs + t.FirstInput + i);
            ref float g = ref pack
                ? ref Unsafe.Add(ref panel, ((nint)s * t.Samples + sample) * strip)
                : ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk.OutputGradient), (nint)chunk.FirstSample * t.Units + column);
            // Chunk c completes as many subtrees as c + 1 has trailing zero bits.
            int merges = BitOperations.TrailingZeroCount(c + 1);
            int top = depth - merges;
            ref float target = ref c == last ? ref Unsafe.Add(ref t.Destination, i * t.Units + column) : ref Unsafe.Add(ref t.Stack, top * slot);
            nint targetStride = c == last ? t.Units : width;
            if (width == 4 * TO.Lanes)
            {
                ChunkTile6x4<TV, TO>(ref x, xStride, ref g, gStride, chunk.Rows, ref t.Stack, slot, depth, merges, ref target, targetStride);
            }
            else
            {
                ChunkTile6x2<TV, TO>(ref x, xStride, ref g, gStride, chunk.Rows, ref t.Stack, slot, depth, merges, ref target, targetStride);
            }
            depth = top + 1;
            sample += chunk.Rows;
        }
    }

    /// <summary>One chunk's part of <see cref="TreeTile6"/> four vectors wide: its sums, the subtrees it completes, the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ChunkTile6x4<TV, TO>(ref float x, nint xStride, ref float g, nint gStride, int samples,
        ref float stack, nint slot, int depth, int merges, ref float target, nint targetStride) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        TV a00 = TO.Zero, a01 = TO.Zero, a02 = TO.Zero, a03 = TO.Zero;
        TV a10 = TO.Zero, a11 = TO.Zero, a12 = TO.Zero, a13 = TO.Zero;
        TV a20 = TO.Zero, a21 = TO.Zero, a22 = TO.Zero, a23 = TO.Zero;
        TV a30 = TO.Zero, a31 = TO.Zero, a32 = TO.Zero, a33 = TO.Zero;
        TV a40 = TO.Zero, a41 = TO.Zero, a42 = TO.Zero, a43 = TO.Zero;
        TV a50 = TO.Zero, a51 = TO.Zero, a52 = TO.Zero, a53 = TO.Zero;
        for (int n = 0; n < samples; n++, x = ref Unsafe.Add(ref x, xStride), g = ref Unsafe.Add(ref g, gStride))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l), g2 = TO.Load(ref g, 2 * l), g3 = TO.Load(ref g, 3 * l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01); a02 = TO.MultiplyAdd(s, g2, a02); a03 = TO.MultiplyAdd(s, g3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11); a12 = TO.MultiplyAdd(s, g2, a12); a13 = TO.MultiplyAdd(s, g3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21); a22 = TO.MultiplyAdd(s, g2, a22); a23 = TO.MultiplyAdd(s, g3, a23);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31); a32 = TO.MultiplyAdd(s, g2, a32); a33 = TO.MultiplyAdd(s, g3, a33);
            s = TO.Broadcast(Unsafe.Add(ref x, 4));
            a40 = TO.MultiplyAdd(s, g0, a40); a41 = TO.MultiplyAdd(s, g1, a41); a42 = TO.MultiplyAdd(s, g2, a42); a43 = TO.MultiplyAdd(s, g3, a43);
            s = TO.Broadcast(Unsafe.Add(ref x, 5));
            a50 = TO.MultiplyAdd(s, g0, a50); a51 = TO.MultiplyAdd(s, g1, a51); a52 = TO.MultiplyAdd(s, g2, a52); a53 = TO.MultiplyAdd(s, g3, a53);
        }
        for (int m = 0; m < merges; m++)
        {
            // The left sibling (earlier chunks) first, as the chunk tree adds left + right.
            ref float left = ref Unsafe.Add(ref stack, (depth - 1 - m) * slot);
            nint r = 4 * l;
            a00 = TO.Add(TO.Load(ref left, 0), a00); a01 = TO.Add(TO.Load(ref left, l), a01); a02 = TO.Add(TO.Load(ref left, 2 * l), a02); a03 = TO.Add(TO.Load(ref left, 3 * l), a03);
            left = ref Unsafe.Add(ref left, r);
            a10 = TO.Add(TO.Load(ref left, 0), a10); a11 = TO.Add(TO.Load(ref left, l), a11); a12 = TO.Add(TO.Load(ref left, 2 * l), a12); a13 = TO.Add(TO.Load(ref left, 3 * l), a13);
            left = ref Unsafe.Add(ref left, r);
            a20 = TO.Add(TO.Load(ref left, 0), a20); a21 = TO.Add(TO.Load(ref left, l), a21); a22 = TO.Add(TO.Load(ref left, 2 * l), a22); a23 = TO.Add(TO.Load(ref left, 3 * l), a23);
            left = ref Unsafe.Add(ref left, r);
            a30 = TO.Add(TO.Load(ref left, 0), a30); a31 = TO.Add(TO.Load(ref left, l), a31); a32 = TO.Add(TO.Load(ref left, 2 * l), a32); a33 = TO.Add(TO.Load(ref left, 3 * l), a33);
            left = ref Unsafe.Add(ref left, r);
            a40 = TO.Add(TO.Load(ref left, 0), a40); a41 = TO.Add(TO.Load(ref left, l), a41); a42 = TO.Add(TO.Load(ref left, 2 * l), a42); a43 = TO.Add(TO.Load(ref left, 3 * l), a43);
            left = ref Unsafe.Add(ref left, r);
            a50 = TO.Add(TO.Load(ref left, 0), a50); a51 = TO.Add(TO.Load(ref left, l), a51); a52 = TO.Add(TO.Load(ref left, 2 * l), a52); a53 = TO.Add(TO.Load(ref left, 3 * l), a53);
        }
        ref float d = ref target;
        TO.Store(a00, ref d, 0); TO.Store(a01, ref d, l); TO.Store(a02, ref d, 2 * l); TO.Store(a03, ref d, 3 * l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a10, ref d, 0); TO.Store(a11, ref d, l); TO.Store(a12, ref d, 2 * l); TO.Store(a13, ref d, 3 * l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a20, ref d, 0); TO.Store(a21, ref d, l); TO.Store(a22, ref d, 2 * l); TO.Store(a23, ref d, 3 * l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a30, ref d, 0); TO.Store(a31, ref d, l); TO.Store(a32, ref d, 2 * l); TO.Store(a33, ref d, 3 * l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a40, ref d, 0); TO.Store(a41, ref d, l); TO.Store(a42, ref d, 2 * l); TO.Store(a43, ref d, 3 * l);
        d = ref Unsafe.Add(ref d, targetStride);
        TO.Store(a50, ref d, 0); TO.Store(a51, ref d, l); TO.Store(a52, ref d, 2 * l); TO.Store(a53, ref d, 3 * l);
    }

    /// <summary>One weight row x four vectors of units: the rows after the six-row tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TreeTile1x4<TV, TO>(ref float x, nint xStride, ref float g, nint gStride, int samples,
        ref float stack, nint slot, int depth, int merges, ref float target) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        TV a0 = TO.Zero, a1 = TO.Zero, a2 = TO.Zero, a3 = TO.Zero;
        for (int n = 0; n < samples; n++, x = ref Unsafe.Add(ref x, xStride), g = ref Unsafe.Add(ref g, gStride))
        {
            TV s = TO.Broadcast(x);
            a0 = TO.MultiplyAdd(s, TO.Load(ref g, 0), a0); a1 = TO.MultiplyAdd(s, TO.Load(ref g, l), a1);
            a2 = TO.MultiplyAdd(s, TO.Load(ref g, 2 * l), a2); a3 = TO.MultiplyAdd(s, TO.Load(ref g, 3 * l), a3);
        }
        for (int m = 0; m < merges; m++)
        {
            ref float left = ref Unsafe.Add(ref stack, (depth - 1 - m) * slot);
            a0 = TO.Add(TO.Load(ref left, 0), a0); a1 = TO.Add(TO.Load(ref left, l), a1); a2 = TO.Add(TO.Load(ref left, 2 * l), a2); a3 = TO.Add(TO.Load(ref left, 3 * l), a3);
        }
        TO.Store(a0, ref target, 0); TO.Store(a1, ref target, l); TO.Store(a2, ref target, 2 * l); TO.Store(a3, ref target, 3 * l);
    }

    /// <summary>One weight row x one vector (or one float) of units: the columns after the strips.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TreeTile1x1<TV, TO>(ref float x, nint xStride, ref float g, nint gStride, int samples,
        ref float stack, nint slot, int depth, int merges, ref float target) where TV : struct where TO : struct, IVectorOps<TV>
    {
        TV a = TO.Zero;
        for (int n = 0; n < samples; n++, x = ref Unsafe.Add(ref x, xStride), g = ref Unsafe.Add(ref g, gStride))
        {
            a = TO.MultiplyAdd(TO.Broadcast(x), TO.Load(ref g, 0), a);
        }
        for (int m = 0; m < merges; m++)
        {
            a = TO.Add(TO.Load(ref Unsafe.Add(ref stack, (depth - 1 - m) * slot), 0), a);
        }
        TO.Store(a, ref target, 0);
    }
}
