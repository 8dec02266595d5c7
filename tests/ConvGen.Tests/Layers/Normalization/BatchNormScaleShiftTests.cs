using System;
using ConvGen.Kernels;

namespace ConvGen.Tests.Layers.Normalization;

/// <summary>
/// The runtime half of folding a BatchNorm into a convolution's store: one scale and shift per
/// filter from the BatchNorm tensors and the convolution's bias, and the pass that applies them
/// where no vector kernel does (the generated code's fallback without SIMD).
/// </summary>
public sealed class BatchNormScaleShiftTests
{
    [Fact]
    public void Scale_and_shift_take_the_bias_in_and_equal_the_normalisation_of_biased_sums()
    {
        float[] bias = { 0.5f, -1f, 2f }, gamma = { 1.5f, 0f, -2f }, beta = { 0.25f, 3f, -1f }, mean = { 1f, 2f, -0.5f }, variance = { 4f, 0.5f, 0.01f };
        var scale = new float[3];
        var shift = new float[3];
        BatchNormKernels.FoldIntoScaleShift(bias, gamma, beta, mean, variance, 1e-3f, scale, shift);
        float[] sums = { 0.75f, -3f, 1.25f };
        for (int c = 0; c < 3; c++)
        {
            double normalised = (sums[c] + bias[c] - mean[c]) / Math.Sqrt(variance[c] + 1e-3) * gamma[c] + beta[c];
            Assert.Equal(normalised, scale[c] * sums[c] + shift[c], 1e-5);
        }
        // gamma 0 (a residual branch initialised to nothing): the filter's output is beta, whatever the sum.
        Assert.Equal(0f, scale[1]);
        Assert.Equal(3f, shift[1]);
    }

    [Fact]
    public void Without_a_bias_the_shift_is_the_plain_fold()
    {
        float[] gamma = { 2f, 0.5f }, beta = { 1f, -1f }, mean = { 3f, -2f }, variance = { 1f, 9f };
        Span<float> scale = stackalloc float[2], shift = stackalloc float[2], foldScale = stackalloc float[2], foldShift = stackalloc float[2];
        BatchNormKernels.FoldIntoScaleShift(default, gamma, beta, mean, variance, 0f, scale, shift);
        BatchNormKernels.Fold(gamma, beta, mean, variance, 0f, foldScale, foldShift);
        Assert.Equal(foldScale.ToArray(), scale.ToArray());
        Assert.Equal(foldShift.ToArray(), shift.ToArray());
    }

    [Fact]
    public void The_pass_scales_and_shifts_every_pixel_per_channel()
    {
        float[] values = { 1f, 2f, 3f, 4f, 5f, 6f }; // two pixels of three channels
        BatchNormKernels.ScaleShift(values, new[] { 2f, 0f, -1f }, new[] { 1f, 7f, 0.5f });
        Assert.Equal(new[] { 3f, 7f, -2.5f, 9f, 7f, -5.5f }, values);
    }

    [Fact]
    public void Mismatched_lengths_are_refused_with_the_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchNormKernels.ScaleShift(new float[6], new float[3], new float[2]));
        Assert.Contains("must hold 3 values; one holds 2", error.Message);
        var partial = Assert.Throws<ArgumentException>(() => BatchNormKernels.ScaleShift(new float[7], new float[3], new float[3]));
        Assert.Contains("7 input floats are not whole rows of 3 channels", partial.Message);
        var bias = Assert.Throws<ArgumentException>(() => BatchNormKernels.FoldIntoScaleShift(new float[2], new float[3], new float[3], new float[3], new float[3], 1e-3f, new float[3], new float[3]));
        Assert.Contains("one holds 2", bias.Message);
    }
}
