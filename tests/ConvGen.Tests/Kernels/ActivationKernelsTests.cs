using System;
using ConvGen.Kernels;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The runtime's own erf (a Chebyshev fit) and softmax, which every generated GELU and softmax
/// layer calls, checked directly against the double-precision reference.
/// </summary>
public sealed class ActivationKernelsTests
{
    /// <summary>The runtime documents |error| &lt; 1.2e-7.</summary>
    [Fact]
    public void Erf_is_within_its_documented_error_over_a_wide_range()
    {
        double worst = 0;
        for (int i = -8000; i <= 8000; i++)
        {
            double x = i / 1000.0;
            worst = Math.Max(worst, Math.Abs(ActivationKernels.Erf(x) - ReferenceErf.Erf(x)));
        }
        Assert.True(worst < 1.2e-7, $"largest erf error {worst:G3}");
    }

    [Fact]
    public void Apply_from_a_source_activates_a_copy_and_leaves_the_source_and_the_rest_of_the_destination()
    {
        float[] source = { -1, 2, -3, 4 };
        float[] destination = { 9, 9, 9, 9, 9, 9 };
        ActivationKernels.Apply(Activation.Relu, 0f, source, destination, 2);
        Assert.Equal(new float[] { 0, 2, 0, 4, 9, 9 }, destination);
        Assert.Equal(new float[] { -1, 2, -3, 4 }, source);
    }

    [Theory]
    [InlineData(Activation.Linear)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Elu)]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.Softmax)]
    [InlineData(Activation.Relu6)]
    [InlineData(Activation.HardSigmoid)]
    [InlineData(Activation.HardSwish)]
    [InlineData(Activation.Silu)]
    [InlineData(Activation.Mish)]
    public void Apply_from_a_source_gives_the_bits_of_a_copy_activated_in_place(Activation activation)
    {
        // 61 values (a vector body and a tail) from -8 to 8, with a NaN, infinities and both zeros.
        var source = new float[61];
        for (int i = 0; i < source.Length; i++) source[i] = -8f + 16f * i / (source.Length - 1);
        source[3] = float.NaN;
        source[7] = float.PositiveInfinity;
        source[11] = float.NegativeInfinity;
        source[13] = -0f;
        source[17] = 0f;
        var inPlace = (float[])source.Clone();
        ActivationKernels.Apply(activation, 0.1f, inPlace, rowLength: 61);
        var destination = new float[61];

        ActivationKernels.Apply(activation, 0.1f, source, destination, rowLength: 61);

        for (int i = 0; i < source.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(inPlace[i]) == BitConverter.SingleToInt32Bits(destination[i]),
                $"{activation} of {source[i]}: {destination[i]} from a source, {inPlace[i]} in place");
        }
    }

    [Fact]
    public void Apply_from_a_source_refuses_a_destination_too_short_for_it()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationKernels.Apply(Activation.Relu, 0f, new float[4], new float[3], 2));
        Assert.Equal("destination", error.ParamName);
        Assert.Contains("holds 3 floats but 4", error.Message);
    }

    [Fact]
    public void Softmax_rows_are_normalised_independently()
    {
        float[] values = { 1, 2, 3, -50, 0, 50 };

        ActivationKernels.SoftmaxRows(values, rowLength: 3);

        var expected = ReferenceActivations.Apply(ReferenceTensor.FromNhwc(new float[] { 1, 2, 3, -50, 0, 50 }, 2, 1, 1, 3), Activation.Softmax, double.NaN);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected.Values[i], values[i], 1e-6);
        }
    }

    [Fact]
    public void Softmax_rejects_a_buffer_that_is_not_whole_rows() =>
        Assert.Throws<ArgumentException>(() => ActivationKernels.SoftmaxRows(new float[5], rowLength: 3));
}
