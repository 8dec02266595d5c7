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
/// per element next to the <c>F</c> multiply-adds the GEMM spends on it.
/// </summary>
internal static class WinogradTransforms
{
    /// <summary>Input tile, F(2x2): <c>Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]</c>, on d[o], d[o+s], d[o+2s], d[o+3s] in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputF2<TV, TO>(Span<TV> d, int o, int s) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV x0 = d[o], x1 = d[o + s], x2 = d[o + 2 * s], x3 = d[o + 3 * s];
        d[o] = TO.Subtract(x0, x2);
        d[o + s] = TO.Add(x1, x2);
        d[o + 2 * s] = TO.Subtract(x2, x1);
        d[o + 3 * s] = TO.Subtract(x1, x3);
    }

    /// <summary>
    /// Input tile, F(4x4): <c>Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]</c>,
    /// on six values <paramref name="s"/> apart in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputF4<TV, TO>(Span<TV> d, int o, int s) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV x0 = d[o], x1 = d[o + s], x2 = d[o + 2 * s], x3 = d[o + 3 * s], x4 = d[o + 4 * s], x5 = d[o + 5 * s];
        TV four = TO.Broadcast(4f), minusFour = TO.Broadcast(-4f), minusFive = TO.Broadcast(-5f), two = TO.Broadcast(2f), minusTwo = TO.Broadcast(-2f);
        TV x13 = TO.Subtract(x1, x3), x42 = TO.Subtract(x4, x2);
        d[o] = TO.MultiplyAdd(four, x0, TO.MultiplyAdd(minusFive, x2, x4));
        d[o + s] = TO.MultiplyAdd(minusFour, TO.Add(x1, x2), TO.Add(x3, x4));
        d[o + 2 * s] = TO.MultiplyAdd(four, TO.Subtract(x1, x2), TO.Subtract(x4, x3));
        d[o + 3 * s] = TO.MultiplyAdd(minusTwo, x13, x42);
        d[o + 4 * s] = TO.MultiplyAdd(two, x13, x42);
        d[o + 5 * s] = TO.MultiplyAdd(four, x1, TO.MultiplyAdd(minusFive, x3, x5));
    }

    /// <summary>Output tile, F(2x2): <c>Aᵀ = [1 1 1 0; 0 1 -1 -1]</c>, four values <paramref name="s"/> apart into two at d[o], d[o+s].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputF2<TV, TO>(Span<TV> d, int o, int s) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV x0 = d[o], x1 = d[o + s], x2 = d[o + 2 * s], x3 = d[o + 3 * s];
        d[o] = TO.Add(TO.Add(x0, x1), x2);
        d[o + s] = TO.Subtract(TO.Subtract(x1, x2), x3);
    }

    /// <summary>Output tile, F(4x4): <c>Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]</c>, six values into four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputF4<TV, TO>(Span<TV> d, int o, int s) where TV : unmanaged where TO : struct, IVectorOps<TV>
    {
        TV x0 = d[o], x1 = d[o + s], x2 = d[o + 2 * s], x3 = d[o + 3 * s], x4 = d[o + 4 * s], x5 = d[o + 5 * s];
        TV s12 = TO.Add(x1, x2), d12 = TO.Subtract(x1, x2), s34 = TO.Add(x3, x4), d34 = TO.Subtract(x3, x4);
        d[o] = TO.Add(TO.Add(x0, s12), s34);
        d[o + s] = TO.MultiplyAdd(TO.Broadcast(2f), d34, d12);
        d[o + 2 * s] = TO.MultiplyAdd(TO.Broadcast(4f), s34, s12);
        d[o + 3 * s] = TO.Add(TO.MultiplyAdd(TO.Broadcast(8f), d34, d12), x5);
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
