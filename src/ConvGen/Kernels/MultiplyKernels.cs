using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Element-wise product of two layers' outputs (<c>[Multiply("a", "b")]</c>): equal shapes, or a
/// per-channel <c>[1,1,C]</c> factor broadcast over every position of an <c>[H,W,C]</c> map, in
/// either order (squeeze-and-excitation's gate). Per sample, the operand the size of the output
/// is the full one; an operand of <c>channels</c> floats is the broadcast one.
/// </summary>
public static class MultiplyKernels
{
    /// <summary><c>output = first * second</c> for <paramref name="batch"/> samples; a per-sample length of <paramref name="channels"/> broadcasts over positions.</summary>
    /// <exception cref="ArgumentException">The lengths do not describe equal or broadcastable operands, or a span is shorter than the batch.</exception>
    public static void Forward(ReadOnlySpan<float> first, int firstLength, ReadOnlySpan<float> second, int secondLength, Span<float> output, int batch, int channels)
    {
        int outputLength = Check(first.Length, firstLength, second.Length, secondLength, batch, channels);
        Require(output.Length, batch * outputLength, "output");
        bool firstIsFull = firstLength == outputLength;
        ReadOnlySpan<float> full = firstIsFull ? first : second;
        ReadOnlySpan<float> other = firstIsFull ? second : first;
        int otherLength = firstIsFull ? secondLength : firstLength;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> x = full.Slice(n * outputLength, outputLength);
            Span<float> y = output.Slice(n * outputLength, outputLength);
            if (otherLength == outputLength)
            {
                TensorPrimitives.Multiply(x, other.Slice(n * outputLength, outputLength), y);
                continue;
            }
            ReadOnlySpan<float> scale = other.Slice(n * channels, channels);
            for (int p = 0; p < outputLength; p += channels)
            {
                TensorPrimitives.Multiply(x.Slice(p, channels), scale, y.Slice(p, channels));
            }
        }
    }

    /// <summary>
    /// Both operands' gradients from the output's: the full operand's is <c>gradient * other</c>
    /// (the other broadcast), the broadcast operand's is summed over positions,
    /// <c>sum_p gradient[p, c] * full[p, c]</c>. An empty gradient span skips that operand.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> first, int firstLength, ReadOnlySpan<float> second, int secondLength, ReadOnlySpan<float> outputGradient,
        Span<float> firstGradient, Span<float> secondGradient, int batch, int channels)
    {
        int outputLength = Check(first.Length, firstLength, second.Length, secondLength, batch, channels);
        Require(outputGradient.Length, batch * outputLength, "outputGradient");
        if (!firstGradient.IsEmpty)
        {
            Require(firstGradient.Length, batch * firstLength, nameof(firstGradient));
            OperandGradient(second, secondLength, outputGradient, firstGradient, firstLength, outputLength, batch, channels);
        }
        if (!secondGradient.IsEmpty)
        {
            Require(secondGradient.Length, batch * secondLength, nameof(secondGradient));
            OperandGradient(first, firstLength, outputGradient, secondGradient, secondLength, outputLength, batch, channels);
        }
    }

    /// <summary>The gradient of the operand of <paramref name="length"/> floats whose partner is <paramref name="partner"/>.</summary>
    private static void OperandGradient(ReadOnlySpan<float> partner, int partnerLength, ReadOnlySpan<float> gradient, Span<float> result, int length, int outputLength, int batch, int channels)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> g = gradient.Slice(n * outputLength, outputLength);
            ReadOnlySpan<float> y = partner.Slice(n * partnerLength, partnerLength);
            Span<float> r = result.Slice(n * length, length);
            if (length == outputLength && partnerLength == outputLength)
            {
                TensorPrimitives.Multiply(g, y, r);
            }
            else if (length == outputLength)
            {
                for (int p = 0; p < outputLength; p += channels)
                {
                    TensorPrimitives.Multiply(g.Slice(p, channels), y, r.Slice(p, channels));
                }
            }
            else
            {
                // The broadcast operand: its one value per channel met every position.
                r.Clear();
                for (int p = 0; p < outputLength; p += channels)
                {
                    TensorPrimitives.MultiplyAdd(g.Slice(p, channels), y.Slice(p, channels), r, r);
                }
            }
        }
    }

    /// <summary>The output's per-sample length, after checking that the operands are equal or one is a per-channel factor of the other.</summary>
    private static int Check(int firstSpan, int firstLength, int secondSpan, int secondLength, int batch, int channels)
    {
        int outputLength = Math.Max(firstLength, secondLength);
        int smaller = Math.Min(firstLength, secondLength);
        if (channels <= 0 || batch < 0 || outputLength % channels != 0 || (smaller != outputLength && smaller != channels))
        {
            throw new ArgumentException(
                $"Multiply: operands of {firstLength} and {secondLength} floats per sample with {channels} channels are neither equal nor a per-channel factor and a map.");
        }
        Require(firstSpan, batch * firstLength, "first");
        Require(secondSpan, batch * secondLength, "second");
        return outputLength;
    }

    private static void Require(int length, int needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"Multiply: {name} holds {length} floats but the batch needs {needed}.", name);
        }
    }
}
