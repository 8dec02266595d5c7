using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// The lane sums that end the input gradient's dot products, in one fixed tree: halves, then
/// quarters, then lanes j and j + 2 of the last four, then the two left. A tile of 24 dot products
/// reduces four accumulators at once with shuffles across them (about a fifth of the instructions
/// of 24 separate sums, which cost as much as a quarter of a 3136 x 1024 layer's tile); a single
/// accumulator takes the same additions one vector at a time. Float addition is commutative, so
/// both give the same bits: an element's sum does not depend on the tile that makes it.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>The lanes of <paramref name="v"/> summed in the tree's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LaneSum<TV>(TV v) where TV : struct
    {
        if (typeof(TV) == typeof(float))
        {
            return Unsafe.As<TV, float>(ref v);
        }
        Vector128<float> q;
        if (typeof(TV) == typeof(Vector512<float>))
        {
            var w = Unsafe.As<TV, Vector512<float>>(ref v);
            var h = w.GetLower() + w.GetUpper();
            q = h.GetLower() + h.GetUpper();
        }
        else
        {
            var h = Unsafe.As<TV, Vector256<float>>(ref v);
            q = h.GetLower() + h.GetUpper();
        }
        return Finish(q);
    }

    /// <summary>
    /// The lane sums of four accumulators, <c>[LaneSum(a), LaneSum(b), LaneSum(c), LaneSum(d)]</c>
    /// bit for bit, sharing the shuffles where the CPU has AVX-512 or AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LaneSums<TV>(TV a, TV b, TV c, TV d) where TV : struct
    {
        if (typeof(TV) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            var va = Unsafe.As<TV, Vector512<float>>(ref a);
            var vb = Unsafe.As<TV, Vector512<float>>(ref b);
            var vc = Unsafe.As<TV, Vector512<float>>(ref c);
            var vd = Unsafe.As<TV, Vector512<float>>(ref d);
            // [a halves summed | b halves summed], [c | d]: 128-bit blocks 0,1 of each plus blocks 2,3.
            var ab = Avx512F.Shuffle4x128(va, vb, 0x44) + Avx512F.Shuffle4x128(va, vb, 0xEE);
            var cd = Avx512F.Shuffle4x128(vc, vd, 0x44) + Avx512F.Shuffle4x128(vc, vd, 0xEE);
            // Quarters: blocks 0,2 plus blocks 1,3 of each -> one block per accumulator.
            var q = Avx512F.Shuffle4x128(ab, cd, 0x88) + Avx512F.Shuffle4x128(ab, cd, 0xDD);
            return FinishLaneSums(q.GetLower().GetLower(), q.GetLower().GetUpper(), q.GetUpper().GetLower(), q.GetUpper().GetUpper());
        }
        if (typeof(TV) == typeof(Vector256<float>) && Avx.IsSupported)
        {
            var va = Unsafe.As<TV, Vector256<float>>(ref a);
            var vb = Unsafe.As<TV, Vector256<float>>(ref b);
            var vc = Unsafe.As<TV, Vector256<float>>(ref c);
            var vd = Unsafe.As<TV, Vector256<float>>(ref d);
            var ac = Avx.Permute2x128(va, vc, 0x20) + Avx.Permute2x128(va, vc, 0x31);
            var bd = Avx.Permute2x128(vb, vd, 0x20) + Avx.Permute2x128(vb, vd, 0x31);
            return FinishLaneSums(ac.GetLower(), bd.GetLower(), ac.GetUpper(), bd.GetUpper());
        }
        return Vector128.Create(LaneSum(a), LaneSum(b), LaneSum(c), LaneSum(d));
    }

    /// <summary>The last two levels of the tree for four quarters at once, lanes paired by unpacking rather than one quarter at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> FinishLaneSums(Vector128<float> qa, Vector128<float> qb, Vector128<float> qc, Vector128<float> qd)
    {
        if (Sse.IsSupported)
        {
            // [qa0 + qa2, qb0 + qb2, qa1 + qa3, qb1 + qb3], the same for c and d; then lanes 0 and 1 of each.
            var ab = Sse.UnpackLow(qa, qb) + Sse.UnpackHigh(qa, qb);
            var cd = Sse.UnpackLow(qc, qd) + Sse.UnpackHigh(qc, qd);
            return Sse.MoveLowToHigh(ab, cd) + Sse.MoveHighToLow(cd, ab);
        }
        return Vector128.Create(Finish(qa), Finish(qb), Finish(qc), Finish(qd));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector128<float> q)
    {
        var p = q + Vector128.Shuffle(q, Vector128.Create(2, 3, 0, 1));
        return p.ToScalar() + p.GetElement(1);
    }
}
