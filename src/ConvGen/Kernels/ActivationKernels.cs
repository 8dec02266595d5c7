using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Activation passes over whole buffers. Generated code fuses ReLU, leaky ReLU and linear into
/// the layer's register tile; the transcendental ones run here afterwards, through
/// TensorPrimitives where it has the function.
/// </summary>
public static class ActivationKernels
{
    /// <summary>Default slope of leaky ReLU (PyTorch's value).</summary>
    public const float DefaultLeakyReluAlpha = 0.01f;

    /// <summary>Default scale of ELU.</summary>
    public const float DefaultEluAlpha = 1.0f;

    /// <summary>Applies <paramref name="activation"/> in place. Softmax normalises each row of <paramref name="rowLength"/> values.</summary>
    public static void Apply(Activation activation, float alpha, Span<float> values, int rowLength)
    {
        switch (activation)
        {
            case Activation.Linear:
                return;
            case Activation.Relu:
                TensorPrimitives.Max(values, 0f, values);
                return;
            case Activation.LeakyRelu:
                LeakyRelu(values, alpha);
                return;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                return;
            case Activation.Tanh:
                TensorPrimitives.Tanh(values, values);
                return;
            case Activation.Elu:
                Elu(values, alpha);
                return;
            case Activation.Gelu:
                Gelu(values);
                return;
            case Activation.Softmax:
                SoftmaxRows(values, rowLength);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation");
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the start of <paramref name="destination"/> and applies
    /// <paramref name="activation"/> there (the rest of <paramref name="destination"/> is left as it
    /// is): a layer's pre-activation kept for its backward pass, its output next to it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void Apply(Activation activation, float alpha, ReadOnlySpan<float> source, Span<float> destination, int rowLength)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} floats but {source.Length} are to be activated", nameof(destination));
        }
        Span<float> values = destination.Slice(0, source.Length);
        source.CopyTo(values);
        Apply(activation, alpha, values, rowLength);
    }

    /// <summary>Numerically stable softmax of each consecutive row of <paramref name="rowLength"/> values.</summary>
    public static void SoftmaxRows(Span<float> values, int rowLength)
    {
        if (rowLength <= 0 || values.Length % rowLength != 0)
        {
            throw new ArgumentException($"buffer of {values.Length} floats is not a whole number of rows of {rowLength}", nameof(values));
        }
        for (int start = 0; start < values.Length; start += rowLength)
        {
            Span<float> row = values.Slice(start, rowLength);
            TensorPrimitives.SoftMax(row, row);
        }
    }

    /// <summary><c>x &gt; 0 ? x : alpha * x</c> in place.</summary>
    public static void LeakyRelu(Span<float> values, float alpha)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float x = values[i];
            values[i] = x > 0f ? x : alpha * x;
        }
    }

    /// <summary><c>x &gt; 0 ? x : alpha * (exp(x) - 1)</c> in place.</summary>
    public static void Elu(Span<float> values, float alpha)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float x = values[i];
            values[i] = x > 0f ? x : alpha * (MathF.Exp(x) - 1f);
        }
    }

    /// <summary>Exact GELU, <c>x * Phi(x)</c>, in place.</summary>
    public static void Gelu(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Gelu(values[i]);
        }
    }

    /// <summary>Exact GELU of one value.</summary>
    public static float Gelu(float x) => (float)(0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0))));

    /// <summary>
    /// Error function, |error| &lt; 1.2e-7 (Numerical Recipes' Chebyshev fit of erfc), enough
    /// for float results; .NET has no Math.Erf.
    /// </summary>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
