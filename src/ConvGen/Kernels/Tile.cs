using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>
/// The inner step of the generated register tiles: one input value broadcast to every lane,
/// multiplied into an accumulator. Written once here so that each of the hundreds of such lines
/// in a generated kernel reads <c>a3_0 = Tile.MultiplyAdd(ref x, at + 51, g0, a3_0)</c>; the JIT
/// inlines it to the same broadcast load and FMA as the expression written out.
/// </summary>
public static class Tile
{
    /// <summary><c>accumulator + broadcast(source[offset]) * vector</c>, for a tile's narrow tail of 4 channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(ref float source, int offset, Vector128<float> vector, Vector128<float> accumulator) =>
        Vector128.MultiplyAddEstimate(Vector128.Create(Unsafe.Add(ref source, offset)), vector, accumulator);

    /// <summary><c>accumulator + broadcast(source[offset]) * vector</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(ref float source, int offset, Vector256<float> vector, Vector256<float> accumulator) =>
        Vector256.MultiplyAddEstimate(Vector256.Create(Unsafe.Add(ref source, offset)), vector, accumulator);

    /// <summary><c>accumulator + broadcast(source[offset]) * vector</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(ref float source, int offset, Vector512<float> vector, Vector512<float> accumulator) =>
        Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref source, offset)), vector, accumulator);
}
