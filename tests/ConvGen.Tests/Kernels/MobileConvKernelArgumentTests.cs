using System;
using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The public depthwise and padding kernels refuse buffers that do not hold the batch their
/// geometry describes, and negative pads, with the buffer and the sizes named, before touching memory.
/// </summary>
public sealed class MobileConvKernelArgumentTests
{
    private static readonly DepthwiseGeometry Geometry = new(4, 4, 3, 2, 2, 2, 3, 3, 1, 1, 1, 1, 0, 0);

    [Fact]
    public void Depthwise_forward_refuses_an_output_too_small_for_the_batch()
    {
        var error = Assert.Throws<ArgumentException>(() => DepthwiseKernels.Forward(new float[2 * 48], new float[54], default, new float[24 + 23], 2, Geometry, Activation.Linear, 0f));
        Assert.Equal("output", error.ParamName);
        Assert.Contains("the output holds 47 floats, a batch of 2 needs 48", error.Message);
    }

    [Fact]
    public void Depthwise_gradients_refuse_weights_of_another_geometry()
    {
        var error = Assert.Throws<ArgumentException>(() => DepthwiseKernels.WeightGradient(new float[48], new float[24], new float[53], default, 1, Geometry));
        Assert.Equal("weights", error.ParamName);
        Assert.Contains("holds 53 floats, expected 54", error.Message);
        Assert.Throws<ArgumentException>(() => DepthwiseKernels.InputGradient(new float[54], new float[24], new float[47], 1, Geometry));
    }

    [Fact]
    public void Padding_refuses_a_negative_side_and_a_short_buffer()
    {
        var negative = Assert.Throws<ArgumentException>(() => PaddingKernels.Pad(new float[12], new float[100], 1, 2, 2, 3, 1, -1, 0, 0));
        Assert.Contains("padding (1, -1, 0, 0) has a negative side", negative.Message);
        var shortOutput = Assert.Throws<ArgumentException>(() => PaddingKernels.Pad(new float[12], new float[26], 1, 2, 2, 3, 1, 0, 1, 1));
        Assert.Contains("needs 12 input and 36 padded floats", shortOutput.Message);
    }

    [Fact]
    public void Crop_is_the_middle_of_the_padded_gradient()
    {
        float[] padded = new float[3 * 4 * 1];
        for (int i = 0; i < padded.Length; i++)
        {
            padded[i] = i;
        }
        var middle = new float[2 * 2];
        PaddingKernels.Crop(padded, middle, 1, 2, 2, 1, top: 1, bottom: 0, left: 1, right: 1);
        Assert.Equal([5f, 6f, 9f, 10f], middle);
    }
}
