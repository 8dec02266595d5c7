using System;

namespace ConvGen;

/// <summary>Weight initialisation schemes used by generated networks.</summary>
public enum WeightInit
{
    /// <summary>Uniform in ±sqrt(6 / (fanIn + fanOut)) — Keras's default, right for sigmoid, tanh, softmax and linear layers.</summary>
    GlorotUniform = 0,
    /// <summary>Uniform in ±sqrt(6 / fanIn) — keeps the variance of ReLU-family layers.</summary>
    HeUniform,
    /// <summary>All zeros (biases).</summary>
    Zeros,
    /// <summary>All ones (BatchNorm scale and running variance).</summary>
    Ones,
}

/// <summary>Fills parameter tensors deterministically from a seed.</summary>
public static class WeightInitializer
{
    /// <summary>
    /// Fills <paramref name="destination"/>. Each tensor draws from its own stream
    /// (<paramref name="tensorIndex"/>), so adding a layer does not change the others' weights.
    /// </summary>
    public static void Fill(Span<float> destination, WeightInit scheme, int fanIn, int fanOut, ulong seed, int tensorIndex)
    {
        if (fanIn <= 0 || fanOut <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fanIn), $"fan-in {fanIn} and fan-out {fanOut} must be positive");
        }
        if (scheme == WeightInit.Ones)
        {
            destination.Fill(1f);
            return;
        }
        double limit = scheme switch
        {
            WeightInit.GlorotUniform => Math.Sqrt(6.0 / (fanIn + fanOut)),
            WeightInit.HeUniform => Math.Sqrt(6.0 / fanIn),
            WeightInit.Zeros => 0.0,
            _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown initialisation scheme"),
        };
        if (limit == 0.0)
        {
            destination.Clear();
            return;
        }
        var random = new SeededRandom(seed, (ulong)tensorIndex + 1);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)((2.0 * random.NextDouble() - 1.0) * limit);
        }
    }
}
