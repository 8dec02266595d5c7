using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// What distinguishes one Winograd tile shape from another for <see cref="WinogradDriver"/>: the output tile
/// side <c>m</c>, the filter side <c>r</c> (the input tile is <c>m + r - 1</c>) and the one-dimensional filter,
/// input and output transforms. A struct per shape, passed as a type argument, so that the JIT compiles the
/// driver once per shape with the transforms inlined: no virtual call in the loops.
/// </summary>
internal interface IWinogradShape
{
    /// <summary>Outputs per tile side.</summary>
    static abstract int M { get; }

    /// <summary>Filter side.</summary>
    static abstract int R { get; }

    /// <summary><c>G</c>: <see cref="R"/> values <paramref name="si"/> apart into <c>M + R - 1</c> <paramref name="so"/> apart.</summary>
    static abstract void Filter<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV>;

    /// <summary>
    /// <c>Bᵀ</c>: <c>M + R - 1</c> vectors <paramref name="s"/> floats apart from <paramref name="x"/> into as many
    /// <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>), through registers.
    /// </summary>
    static abstract void Input<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>;

    /// <summary><c>Aᵀ</c>: <c>M + R - 1</c> vectors <paramref name="s"/> floats apart from <paramref name="x"/> into <see cref="M"/> <paramref name="so"/> apart from <paramref name="y"/> (which may be <paramref name="x"/>).</summary>
    static abstract void Output<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV>;

    /// <summary>The vectors of the GEMMs for a layer of <paramref name="filters"/> filters (a function of the filter count alone, so every thread sums the same way).</summary>
    static abstract KernelPath GemmPath(KernelPath path, int filters);
}

/// <summary>F(2x2, 3x3): 4x4 input tiles.</summary>
internal readonly struct WinogradF2x2 : IWinogradShape
{
    public static int M => 2;

    public static int R => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.FilterF2<TV, TO>(g, i, si, u, o, so);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.InputF2<TV, TO>(ref x, s, ref y, so);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.OutputF2<TV, TO>(ref x, s, ref y, so);

    public static KernelPath GemmPath(KernelPath path, int filters) => path;
}

/// <summary>F(4x4, 3x3): 6x6 input tiles.</summary>
internal readonly struct WinogradF4x4 : IWinogradShape
{
    public static int M => 4;

    public static int R => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.FilterF4<TV, TO>(g, i, si, u, o, so);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.InputF4<TV, TO>(ref x, s, ref y, so);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.OutputF4<TV, TO>(ref x, s, ref y, so);

    public static KernelPath GemmPath(KernelPath path, int filters) => path;
}

/// <summary>F(2x2, 5x5): the 6x6 input tiles and input transform of F(4x4, 3x3), its own <c>G</c> and <c>Aᵀ</c>.</summary>
internal readonly struct Winograd5x5F2x2 : IWinogradShape
{
    public static int M => 2;

    public static int R => 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter<TV, TO>(Span<TV> g, int i, int si, Span<TV> u, int o, int so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        Winograd5x5Transforms.Filter<TV, TO>(g, i, si, u, o, so);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        WinogradTransforms.InputF4<TV, TO>(ref x, s, ref y, so);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV, TO>(ref float x, nint s, ref float y, nint so) where TV : unmanaged where TO : struct, IVectorOps<TV> =>
        Winograd5x5Transforms.Output<TV, TO>(ref x, s, ref y, so);

    /// <summary>
    /// The GEMM's register tiles are strips of four vectors of filters, its filters after the last strip one vector
    /// and one sample at a time (a load per multiply-add). With 512-bit vectors a layer of 32 or 48 filters (the
    /// input gradient of a 32-channel layer) would be all such leftovers; 256-bit strips of 32 take them whole.
    /// </summary>
    public static KernelPath GemmPath(KernelPath path, int filters) =>
        path == KernelPath.Vector512 && filters % 64 >= 16 ? KernelPath.Vector256 : path;
}
