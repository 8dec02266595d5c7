using System;
using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The kernel transpose every convolution's input gradient starts with: HWIO in, taps x outputs x
/// inputs out, the taps reversed for the gather form.
/// </summary>
public sealed class TransposeKernelTests
{
    // 2 taps x 2 inputs x 3 outputs: value = 100 * tap + 10 * input + output.
    private static readonly float[] s_kernel = { 0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112 };

    [Fact]
    public void Swaps_input_and_output_channels_tap_by_tap()
    {
        float[] transposed = new float[12];
        TrainingKernels.TransposeKernel(s_kernel, transposed, 2, 2, 3, flipTaps: false);
        Assert.Equal(new float[] { 0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112 }, transposed);
    }

    [Fact]
    public void Flipping_reverses_the_taps()
    {
        float[] transposed = new float[12];
        TrainingKernels.TransposeKernel(s_kernel, transposed, 2, 2, 3, flipTaps: true);
        Assert.Equal(new float[] { 100, 110, 101, 111, 102, 112, 0, 10, 1, 11, 2, 12 }, transposed);
    }

    [Fact]
    public void A_transpose_buffer_shorter_than_the_kernel_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingKernels.TransposeKernel(s_kernel, new float[11], 2, 2, 3, flipTaps: false));
        Assert.Equal("transposed", error.ParamName);
        Assert.Contains("needs 12 floats", error.Message);
    }
}
