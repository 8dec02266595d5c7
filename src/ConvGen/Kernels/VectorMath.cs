using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// The few vector primitives generated code calls, forwarded to TensorPrimitives. Generated
/// code goes through here so that a user's project needs a reference to ConvGen only.
/// </summary>
public static class VectorMath
{
    /// <summary><c>destination[i] += values[i]</c>.</summary>
    public static void AddInPlace(Span<float> destination, ReadOnlySpan<float> values) => TensorPrimitives.Add(destination, values, destination);
}
