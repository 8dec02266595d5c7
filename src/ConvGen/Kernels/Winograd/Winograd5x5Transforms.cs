using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The filter and output transforms of Winograd's F(2 x 2, 5 x 5), one vector of channels at a time. With the
/// interpolation points 0, 1, -1, 2, -2 and infinity (those of F(4 x 4, 3 x 3)) its input transform is the same
/// 6 x 6 <c>Bᵀ</c> (<see cref="WinogradTransforms.InputF4{TV, TO}(ref float, nint, ref float, nint)"/>); only <c>G</c> (6 x 5: each row the filter
/// polynomial at a point, times the same normalisation as F(4 x 4)'s) and <c>Aᵀ</c> (2 x 6) differ.
/// </summary>
internal static class Winograd5x5Transforms
{
    /// <summary>
    /// Filter: <c>G = [¼ 0 0 0 0; -⅙ -⅙ -⅙ -⅙ -⅙; -⅙ ⅙ -⅙ ⅙ -⅙; 1/24 1/12 ⅙ ⅓ ⅔; 1/24 -1/12 ⅙ -⅓ ⅔; 0 0 0 0 1]</c>,
    /// five values <paramref name="si"/> apart into six <paramref name="so"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV g0 = g[i], g1 = g[i + si], g2 = g[i + 2 * si], g3 = g[i + 3 * si], g4 = g[i + 4 * si];
        TV even = TO.Add(TO.Add(g0, g2), g4), odd = TO.Add(g1, g3), minusSixth = TO.Broadcast(-1f / 6f);
        // The polynomial at ±2 over 24: even and odd powers apart.
        TV even2 = TO.MultiplyAdd(TO.Broadcast(1f / 24f), g0, TO.MultiplyAdd(TO.Broadcast(1f / 6f), g2, TO.Multiply(TO.Broadcast(2f / 3f), g4)));
        TV odd2 = TO.MultiplyAdd(TO.Broadcast(1f / 12f), g1, TO.Multiply(TO.Broadcast(1f / 3f), g3));
        u[o] = TO.Multiply(TO.Broadcast(0.25f), g0);
        u[o + so] = TO.Multiply(minusSixth, TO.Add(even, odd));
        u[o + 2 * so] = TO.Multiply(minusSixth, TO.Subtract(even, odd));
        u[o + 3 * so] = TO.Add(even2, odd2);
        u[o + 4 * so] = TO.Subtract(even2, odd2);
        u[o + 5 * so] = g4;
    }

    /// <summary>Output: <c>Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 1]</c>, six values into two in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV, TO>(TV x0, TV x1, TV x2, TV x3, TV x4, TV x5, out TV y0, out TV y1) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        y0 = TO.Add(TO.Add(x0, TO.Add(x1, x2)), TO.Add(x3, x4));
        y1 = TO.Add(TO.MultiplyAdd(TO.Broadcast(2f), TO.Subtract(x3, x4), TO.Subtract(x1, x2)), x5);
    }

    /// <summary><see cref="Output{TV, TO}(TV, TV, TV, TV, TV, TV, out TV, out TV)"/> on six vectors <paramref name="s"/> floats apart from <paramref name="x"/> into two <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        Output<TV, TO>(TO.Load(ref x, 0), TO.Load(ref x, s), TO.Load(ref x, 2 * s), TO.Load(ref x, 3 * s), TO.Load(ref x, 4 * s), TO.Load(ref x, 5 * s), out TV y0, out TV y1);
        TO.Store(y0, ref y, 0);
        TO.Store(y1, ref y, so);
    }
}
