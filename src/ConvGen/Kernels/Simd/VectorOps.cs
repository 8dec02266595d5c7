using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels.Simd;

/// <summary>
/// The handful of operations a register-tiled kernel needs, for one vector type. Kernels are
/// written once as generic methods over <typeparamref name="TVector"/> and an ops struct; the JIT
/// compiles a separate, fully inlined copy for each struct (Vector512, Vector256, and plain float
/// for the scalar path and for columns that do not fill a vector).
/// </summary>
internal interface IVectorOps<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Lanes { get; }

    /// <summary>
    /// Vector registers the JIT allocates for this type: 32 with AVX-512, 16 with AVX2 (and 16 xmm
    /// for scalars). A register tile must fit its accumulators, the vectors it loads and the
    /// broadcast in these, or the JIT spills an accumulator to the stack inside the hot loop.
    /// </summary>
    static abstract int Registers { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Broadcast(float value);

    static abstract TVector Load(ref float source, nint offset);

    static abstract void Store(TVector value, ref float destination, nint offset);

    /// <summary><c>a * b + addend</c>, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>
    /// <c>max(value, 0)</c> with the bits of <c>TensorPrimitives.Max(x, 0)</c> (NaN kept, -0 made +0)
    /// in a compare and an and, so a kernel's store and a separate pass agree (training's forward
    /// stores ReLU in the kernel; a diverged network shows NaN, not zeros).
    /// </summary>
    static abstract TVector Relu(TVector value);

    static abstract TVector LeakyRelu(TVector value, float alpha);

    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary><c>min(max(value, low), high)</c>: ReLU6 and the hard sigmoid's clamp.</summary>
    static abstract TVector Clamp(TVector value, float low, float high);

    /// <summary>Sum of the lanes.</summary>
    static abstract float Sum(TVector value);
}

/// <summary>512-bit vectors: 16 floats (AVX-512).</summary>
internal readonly struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Lanes => Vector512<float>.Count;
    public static int Registers => 32;
    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref Unsafe.Add(ref destination, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => Vector512.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu(Vector512<float> value) => Vector512.AndNot(value, Vector512.LessThanOrEqual(value, Vector512<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LeakyRelu(Vector512<float> value, float alpha) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(value, Vector512<float>.Zero), value, value * alpha);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clamp(Vector512<float> value, float low, float high) =>
        Vector512.MinNative(Vector512.MaxNative(value, Vector512.Create(low)), Vector512.Create(high));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
}

/// <summary>256-bit vectors: 8 floats (AVX2; software-emulated, still correct, elsewhere).</summary>
internal readonly struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Lanes => Vector256<float>.Count;
    public static int Registers => 16;
    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref Unsafe.Add(ref destination, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) => Vector256.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu(Vector256<float> value) => Vector256.AndNot(value, Vector256.LessThanOrEqual(value, Vector256<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LeakyRelu(Vector256<float> value, float alpha) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(value, Vector256<float>.Zero), value, value * alpha);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> value, float low, float high) =>
        Vector256.MinNative(Vector256.MaxNative(value, Vector256.Create(low)), Vector256.Create(high));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
}

/// <summary>One float per "vector": the scalar path, and the columns left over after the vectors.</summary>
internal readonly struct ScalarOps : IVectorOps<float>
{
    public static int Lanes => 1;
    public static int Registers => 16;
    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float addend) => a * b + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float value) => value <= 0f ? 0f : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyRelu(float value, float alpha) => value > 0f ? value : alpha * value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Clamp(float value, float low, float high) => MathF.Min(MathF.Max(value, low), high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;
}
