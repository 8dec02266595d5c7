using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The three transforms of Winograd's minimal filtering F(m x m, 3 x 3) (Lavin and Gray, "Fast
/// Algorithms for Convolutional Neural Networks", 2016), one vector of channels at a time: the
/// filter <c>U = G g Gᵀ</c>, the input tile <c>V = Bᵀ d B</c> and the output tile <c>Y = Aᵀ M A</c>,
/// each as a one-dimensional transform applied down the columns of an <c>alpha x alpha</c> (or
/// <c>alpha x 3</c>) tile and then along its rows. The one-dimensional transforms are written out
/// with their constants (rather than looped over a matrix), so that a transform costs a few adds
/// per element next to the <c>F</c> multiply-adds the GEMM spends on it. The input and output
/// transforms take their values in registers (and, as a convenience, as vectors a stride apart in
/// memory), so that a tile's values go from the map to V (and from M to the output) through one
/// small stack buffer between the two passes rather than a Span indexed at every step.
/// </summary>
internal static class WinogradTransforms
{
    /// <summary>Input tile, F(2x2): <c>Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]</c> on four values in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputF2<TV, TO>(TV x0, TV x1, TV x2, TV x3, out TV d0, out TV d1, out TV d2, out TV d3)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        d0 = TO.Subtract(x0, x2);
        d1 = TO.Add(x1, x2);
        d2 = TO.Subtract(x2, x1);
        d3 = TO.Subtract(x1, x3);
    }

    /// <summary><see cref="InputF2{TV, TO}(TV, TV, TV, TV, out TV, out TV, out TV, out TV)"/> on four vectors <paramref name="s"/> floats apart from <paramref name="x"/> into four <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputF2<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        InputF2<TV, TO>(TO.Load(ref x, 0), TO.Load(ref x, s), TO.Load(ref x, 2 * s), TO.Load(ref x, 3 * s), out TV d0, out TV d1, out TV d2, out TV d3);
        TO.Store(d0, ref y, 0);
        TO.Store(d1, ref y, so);
        TO.Store(d2, ref y, 2 * so);
        TO.Store(d3, ref y, 3 * so);
    }

    /// <summary>
    /// Input tile, F(4x4) (and F(2x2, 5x5), <see cref="Winograd5x5Transforms"/>):
    /// <c>Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]</c> on six values in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputF4<TV, TO>(TV x0, TV x1, TV x2, TV x3, TV x4, TV x5, out TV d0, out TV d1, out TV d2, out TV d3, out TV d4, out TV d5)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV four = TO.Broadcast(4f), minusFour = TO.Broadcast(-4f), minusFive = TO.Broadcast(-5f), two = TO.Broadcast(2f), minusTwo = TO.Broadcast(-2f);
        TV x13 = TO.Subtract(x1, x3), x42 = TO.Subtract(x4, x2);
        d0 = TO.MultiplyAdd(four, x0, TO.MultiplyAdd(minusFive, x2, x4));
        d1 = TO.MultiplyAdd(minusFour, TO.Add(x1, x2), TO.Add(x3, x4));
        d2 = TO.MultiplyAdd(four, TO.Subtract(x1, x2), TO.Subtract(x4, x3));
        d3 = TO.MultiplyAdd(minusTwo, x13, x42);
        d4 = TO.MultiplyAdd(two, x13, x42);
        d5 = TO.MultiplyAdd(four, x1, TO.MultiplyAdd(minusFive, x3, x5));
    }

    /// <summary><see cref="InputF4{TV, TO}(TV, TV, TV, TV, TV, TV, out TV, out TV, out TV, out TV, out TV, out TV)"/> on six vectors <paramref name="s"/> floats apart from <paramref name="x"/> into six <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputF4<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        InputF4<TV, TO>(TO.Load(ref x, 0), TO.Load(ref x, s), TO.Load(ref x, 2 * s), TO.Load(ref x, 3 * s), TO.Load(ref x, 4 * s), TO.Load(ref x, 5 * s),
            out TV d0, out TV d1, out TV d2, out TV d3, out TV d4, out TV d5);
        TO.Store(d0, ref y, 0);
        TO.Store(d1, ref y, so);
        TO.Store(d2, ref y, 2 * so);
        TO.Store(d3, ref y, 3 * so);
        TO.Store(d4, ref y, 4 * so);
        TO.Store(d5, ref y, 5 * so);
    }

    /// <summary>Output tile, F(2x2): <c>Aᵀ = [1 1 1 0; 0 1 -1 -1]</c>, four values into two in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputF2<TV, TO>(TV x0, TV x1, TV x2, TV x3, out TV y0, out TV y1) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        y0 = TO.Add(TO.Add(x0, x1), x2);
        y1 = TO.Subtract(TO.Subtract(x1, x2), x3);
    }

    /// <summary><see cref="OutputF2{TV, TO}(TV, TV, TV, TV, out TV, out TV)"/> on four vectors <paramref name="s"/> floats apart from <paramref name="x"/> into two <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputF2<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        OutputF2<TV, TO>(TO.Load(ref x, 0), TO.Load(ref x, s), TO.Load(ref x, 2 * s), TO.Load(ref x, 3 * s), out TV y0, out TV y1);
        TO.Store(y0, ref y, 0);
        TO.Store(y1, ref y, so);
    }

    /// <summary>Output tile, F(4x4): <c>Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]</c>, six values into four in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputF4<TV, TO>(TV x0, TV x1, TV x2, TV x3, TV x4, TV x5, out TV y0, out TV y1, out TV y2, out TV y3)
        where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV s12 = TO.Add(x1, x2), d12 = TO.Subtract(x1, x2), s34 = TO.Add(x3, x4), d34 = TO.Subtract(x3, x4);
        y0 = TO.Add(TO.Add(x0, s12), s34);
        y1 = TO.MultiplyAdd(TO.Broadcast(2f), d34, d12);
        y2 = TO.MultiplyAdd(TO.Broadcast(4f), s34, s12);
        y3 = TO.Add(TO.MultiplyAdd(TO.Broadcast(8f), d34, d12), x5);
    }

    /// <summary><see cref="OutputF4{TV, TO}(TV, TV, TV, TV, TV, TV, out TV, out TV, out TV, out TV)"/> on six vectors <paramref name="s"/> floats apart from <paramref name="x"/> into four <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputF4<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        OutputF4<TV, TO>(TO.Load(ref x, 0), TO.Load(ref x, s), TO.Load(ref x, 2 * s), TO.Load(ref x, 3 * s), TO.Load(ref x, 4 * s), TO.Load(ref x, 5 * s),
            out TV y0, out TV y1, out TV y2, out TV y3);
        TO.Store(y0, ref y, 0);
        TO.Store(y1, ref y, so);
        TO.Store(y2, ref y, 2 * so);
        TO.Store(y3, ref y, 3 * so);
    }

    /// <summary>Filter, F(2x2): <c>G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]</c>, three values <paramref name="si"/> apart into four <paramref name="so"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterF2<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV g0 = g[i], g1 = g[i + si], g2 = g[i + 2 * si];
        TV half = TO.Broadcast(0.5f), s = TO.Add(g0, g2);
        u[o] = g0;
        u[o + so] = TO.Multiply(half, TO.Add(s, g1));
        u[o + 2 * so] = TO.Multiply(half, TO.Subtract(s, g1));
        u[o + 3 * so] = g2;
    }

    /// <summary>Filter, F(4x4): <c>G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1]</c>, three values into six.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterF4<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV g0 = g[i], g1 = g[i + si], g2 = g[i + 2 * si];
        TV s = TO.Add(g0, g2), minusSixth = TO.Broadcast(-1f / 6f);
        TV a = TO.MultiplyAdd(TO.Broadcast(1f / 24f), g0, TO.Multiply(TO.Broadcast(1f / 6f), g2));
        TV b = TO.Multiply(TO.Broadcast(1f / 12f), g1);
        u[o] = TO.Multiply(TO.Broadcast(0.25f), g0);
        u[o + so] = TO.Multiply(minusSixth, TO.Add(s, g1));
        u[o + 2 * so] = TO.Multiply(minusSixth, TO.Subtract(s, g1));
        u[o + 3 * so] = TO.Add(a, b);
        u[o + 4 * so] = TO.Subtract(a, b);
        u[o + 5 * so] = g2;
    }
}
