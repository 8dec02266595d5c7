using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>Element-wise pieces of networks that are graphs: residual sums and their gradients.</summary>
public static class GraphKernels
{
    /// <summary><c>output = a + b</c> (an Add layer's forward pass; the two inputs may alias the output).</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output)
    {
        if (a.Length != b.Length || output.Length < a.Length)
        {
            throw new ArgumentException($"Add: the summands hold {a.Length} and {b.Length} floats and the output {output.Length}; they must be equal.");
        }
        TensorPrimitives.Add(a, b, output.Slice(0, a.Length));
    }

    /// <summary>
    /// <c>target += gradient</c>: the gradient of a layer whose output several layers read is the
    /// sum of what each reader passes down.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<float> gradient, Span<float> target)
    {
        if (target.Length < gradient.Length)
        {
            throw new ArgumentException($"Accumulate: the target holds {target.Length} floats but the gradient {gradient.Length}.", nameof(target));
        }
        var destination = target.Slice(0, gradient.Length);
        TensorPrimitives.Add(destination, gradient, destination);
    }
}
