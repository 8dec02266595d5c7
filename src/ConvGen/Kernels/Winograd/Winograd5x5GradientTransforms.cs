using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The transposes of F(2 x 2, 5 x 5)'s output and filter transforms (<see cref="Winograd5x5Transforms"/>), one vector
/// of channels at a time, for the weight gradient: the forward's tile is <c>Y = Aᵀ [U ⊙ V] A</c> with
/// <c>U = G g Gᵀ</c>, so the gradient of <c>U</c> is <c>V ⊙ (A dY Aᵀ)</c> and that of <c>g</c> is <c>Gᵀ dU G</c>.
/// </summary>
internal static class Winograd5x5GradientTransforms
{
    /// <summary>
    /// Output gradient: <c>A = [1 0; 1 1; 1 -1; 1 2; 1 -2; 0 1]</c> times (<paramref name="y0"/>, <paramref name="y1"/>),
    /// stored as six values <paramref name="stride"/> apart from <paramref name="d"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputGradient<TV, TO>(TV y0, TV y1, ref float d, nint stride) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV twice = TO.Add(y1, y1);
        TO.Store(y0, ref d, 0);
        TO.Store(TO.Add(y0, y1), ref d, stride);
        TO.Store(TO.Subtract(y0, y1), ref d, 2 * stride);
        TO.Store(TO.Add(y0, twice), ref d, 3 * stride);
        TO.Store(TO.Subtract(y0, twice), ref d, 4 * stride);
        TO.Store(y1, ref d, 5 * stride);
    }

    /// <summary>
    /// Filter gradient: <c>Gᵀ</c> (5 x 6, the transpose of <see cref="Winograd5x5Transforms.Filter{TV, TO}"/>'s <c>G</c>),
    /// six values <paramref name="si"/> apart into five <paramref name="so"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterGradient<TV, TO>(Span<TV> u, int i, int si, Span<TV> g, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV u0 = u[i], u1 = u[i + si], u2 = u[i + 2 * si], u3 = u[i + 3 * si], u4 = u[i + 4 * si], u5 = u[i + 5 * si];
        // The points ±1 (rows 1, 2 of G) and ±2 (rows 3, 4) in sums and differences.
        TV sum1 = TO.Add(u1, u2), difference1 = TO.Subtract(u1, u2), sum2 = TO.Add(u3, u4), difference2 = TO.Subtract(u3, u4);
        TV minusSixthSum1 = TO.Multiply(TO.Broadcast(-1f / 6f), sum1), minusSixthDifference1 = TO.Multiply(TO.Broadcast(-1f / 6f), difference1);
        g[o] = TO.MultiplyAdd(TO.Broadcast(0.25f), u0, TO.MultiplyAdd(TO.Broadcast(1f / 24f), sum2, minusSixthSum1));
        g[o + so] = TO.MultiplyAdd(TO.Broadcast(1f / 12f), difference2, minusSixthDifference1);
        g[o + 2 * so] = TO.MultiplyAdd(TO.Broadcast(1f / 6f), sum2, minusSixthSum1);
        g[o + 3 * so] = TO.MultiplyAdd(TO.Broadcast(1f / 3f), difference2, minusSixthDifference1);
        g[o + 4 * so] = TO.Add(TO.MultiplyAdd(TO.Broadcast(2f / 3f), sum2, minusSixthSum1), u5);
    }
}
