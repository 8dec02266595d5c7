using System;
using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// ReLU6, the hard sigmoid and swish, SiLU and Mish in the runtime's passes and derivatives,
/// against values worked out by hand (and, for the transcendental ones, to 16 digits in double),
/// across chunk boundaries and in the saturating tails.
/// </summary>
public sealed class MobileActivationKernelsTests
{
    [Theory]
    [InlineData(Activation.Relu6, new float[] { -1f, 0f, 3f, 6f, 7f }, new[] { 0.0, 0.0, 3.0, 6.0, 6.0 })]
    // Keras 3: relu6(x + 3) / 6, so 0 at -3 and below, 1/2 at 0, 1 from 3 on.
    [InlineData(Activation.HardSigmoid, new float[] { -4f, -3f, 0f, 1.5f, 4f }, new[] { 0.0, 0.0, 0.5, 0.75, 1.0 })]
    [InlineData(Activation.HardSwish, new float[] { -4f, -1f, 0f, 1.5f, 4f }, new[] { 0.0, -1.0 / 3.0, 0.0, 1.125, 4.0 })]
    [InlineData(Activation.Silu, new float[] { 0f, 1f, -2f }, new[] { 0.0, 0.7310585786300049, -0.2384058440442351 })]
    [InlineData(Activation.Mish, new float[] { 0f, 1f, -1f, 30f, -30f }, new[] { 0.0, 0.8650983882673103, -0.30340146137410895, 30.0, -2.807286890651921e-12 })]
    public void Apply_matches_hand_computed_values(Activation activation, float[] input, double[] expected)
    {
        float[] values = (float[])input.Clone();
        ActivationKernels.Apply(activation, 0f, values, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-6 * Math.Max(1.0, Math.Abs(expected[i])),
                $"{activation}({input[i]}) = {values[i]}, expected {expected[i]}");
        }
    }

    [Theory]
    [InlineData(Activation.HardSwish)]
    [InlineData(Activation.Silu)]
    [InlineData(Activation.Mish)]
    public void Chunked_passes_treat_every_element_alike_across_chunk_boundaries(Activation activation)
    {
        // 700 values: two whole chunks of the stack buffer and a part of a third.
        float[] values = new float[700];
        for (int i = 0; i < values.Length; i++) values[i] = (i % 7) - 3f;
        ActivationKernels.Apply(activation, 0f, values, values.Length);
        for (int i = 7; i < values.Length; i++)
        {
            Assert.Equal(values[i % 7], values[i]);
        }
    }

    [Fact]
    public void Mish_stays_finite_far_in_both_tails()
    {
        float[] values = { 1000f, -1000f, float.MaxValue, -float.MaxValue };
        ActivationKernels.Apply(Activation.Mish, 0f, values, values.Length);
        Assert.Equal(1000f, values[0]);
        Assert.Equal(float.MaxValue, values[2]);
        Assert.True(values[1] == 0f && values[3] == 0f, $"Mish(-1000) = {values[1]}, Mish(-max) = {values[3]}");
    }

    [Theory]
    [InlineData(Activation.Relu6, 3f, 1.0)]
    [InlineData(Activation.Relu6, -1f, 0.0)]
    [InlineData(Activation.Relu6, 7f, 0.0)]
    [InlineData(Activation.HardSigmoid, 0f, 1.0 / 6.0)]
    [InlineData(Activation.HardSigmoid, 4f, 0.0)]
    [InlineData(Activation.HardSwish, 0f, 0.5)] // (2x + 3) / 6
    [InlineData(Activation.HardSwish, 1.5f, 1.0)]
    [InlineData(Activation.HardSwish, -4f, 0.0)]
    [InlineData(Activation.HardSwish, 4f, 1.0)]
    [InlineData(Activation.Silu, 0f, 0.5)]
    [InlineData(Activation.Silu, 1f, 0.9276705118714869)] // s (1 + x (1 - s))
    [InlineData(Activation.Mish, 0f, 0.6)] // tanh(ln 2) = 3/5
    [InlineData(Activation.Mish, 1f, 1.0490362200997922)]
    public void Derivative_matches_hand_computed_values(Activation activation, float z, double expected)
    {
        float[] pre = { z };
        float[] output = { z };
        ActivationKernels.Apply(activation, 0f, output, 1);
        float[] gradient = { 2f };
        TrainingKernels.ActivationBackward(activation, 0f, pre, output, gradient, 1);
        Assert.Equal(2 * expected, gradient[0], 1e-6);
    }
}
