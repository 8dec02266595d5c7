using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Activation passes over whole buffers. Generated code fuses linear and the piecewise-linear
/// ones (ReLU, leaky ReLU, ReLU6, hard sigmoid, hard swish) into the layer's register tile; the
/// transcendental ones run here afterwards, through TensorPrimitives where it has the function
/// (and in chunks of a stack buffer where a function needs x twice, as SiLU and Mish do).
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
            case Activation.Relu6:
                TensorPrimitives.Max(values, 0f, values);
                TensorPrimitives.Min(values, 6f, values);
                return;
            case Activation.HardSigmoid:
                HardSigmoid(values, values);
                return;
            case Activation.HardSwish:
                HardSwish(values);
                return;
            case Activation.Silu:
                Silu(values);
                return;
            case Activation.Mish:
                Mish(values);
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
        // The common ones read the source and write the destination in one pass (the same
        // per-element operation as in place); the others copy first, then work in place.
        switch (activation)
        {
            case Activation.Relu:
                TensorPrimitives.Max(source, 0f, values);
                return;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(source, values);
                return;
            case Activation.Tanh:
                TensorPrimitives.Tanh(source, values);
                return;
            case Activation.Relu6:
                TensorPrimitives.Max(source, 0f, values);
                TensorPrimitives.Min(values, 6f, values);
                return;
            case Activation.HardSigmoid:
                HardSigmoid(source, values);
                return;
        }
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

    /// <summary>Floats per chunk of the passes that keep x while they compute a factor of it (two stack buffers of this size at most).</summary>
    private const int Chunk = 256;

    /// <summary>Above this, <c>tanh(softplus(x))</c> is 1 in float; clamping there keeps <c>exp</c> finite.</summary>
    private const float MishSaturation = 20f;

    /// <summary><c>relu6(x + 3) / 6</c>: the same operations in the same order as the fused epilogue, so the two agree to the bit.</summary>
    public static void HardSigmoid(ReadOnlySpan<float> values, Span<float> destination)
    {
        TensorPrimitives.Add(values, 3f, destination);
        TensorPrimitives.Max(destination, 0f, destination);
        TensorPrimitives.Min(destination, 6f, destination);
        TensorPrimitives.Multiply(destination, 1f / 6f, destination);
    }

    /// <summary><c>x * relu6(x + 3) / 6</c> in place.</summary>
    public static void HardSwish(Span<float> values)
    {
        Span<float> factor = stackalloc float[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            Span<float> x = values.Slice(start, Math.Min(Chunk, values.Length - start));
            Span<float> f = factor.Slice(0, x.Length);
            HardSigmoid(x, f);
            TensorPrimitives.Multiply(x, f, x);
        }
    }

    /// <summary><c>x * sigmoid(x)</c> in place.</summary>
    public static void Silu(Span<float> values)
    {
        Span<float> factor = stackalloc float[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            Span<float> x = values.Slice(start, Math.Min(Chunk, values.Length - start));
            Span<float> f = factor.Slice(0, x.Length);
            TensorPrimitives.Sigmoid(x, f);
            TensorPrimitives.Multiply(x, f, x);
        }
    }

    /// <summary>
    /// <c>x * tanh(softplus(x))</c> in place, through <c>tanh(log(1 + e)) = n / (n + 2)</c> with
    /// <c>n = e * (e + 2)</c>, <c>e = exp(x)</c>: one exponential, no logarithm, and no
    /// cancellation for negative x (where the factor is about <c>e</c>).
    /// </summary>
    public static void Mish(Span<float> values)
    {
        Span<float> e = stackalloc float[Chunk];
        Span<float> scratch = stackalloc float[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            Span<float> x = values.Slice(start, Math.Min(Chunk, values.Length - start));
            Span<float> f = e.Slice(0, x.Length);
            Span<float> t = scratch.Slice(0, x.Length);
            TensorPrimitives.Min(x, MishSaturation, f);
            TensorPrimitives.Exp(f, f);
            TensorPrimitives.Add(f, 2f, t);
            TensorPrimitives.Multiply(f, t, f);
            TensorPrimitives.Add(f, 2f, t);
            TensorPrimitives.Divide(f, t, f);
            TensorPrimitives.Multiply(x, f, x);
        }
    }

    /// <summary><c>log(1 + exp(x))</c> in double precision, x itself above the saturation point (Mish's derivative uses it).</summary>
    public static double Softplus(double x) => x > MishSaturation ? x : Math.Log(1.0 + Math.Exp(x));

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
