using System;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Lecture;

/// <summary>
/// The lecture's 6x6 image and 3x3 kernel, with the corrected numbers of DESIGN.md §1 (the
/// lecture itself has arithmetic slips after the first value, 293). All values are integers
/// far below 2^24, so float arithmetic is exact and the comparisons are exact.
/// </summary>
public sealed class LectureConvolutionExampleTests
{
    internal static readonly float[] Image =
    {
         1,  4, 12, 11,  0,  2,
         9, 15,  3,  0,  4, 17,
         1,  4,  8,  6,  6, 10,
        16, 10,  0, 11, 13,  6,
         0,  2,  9,  3,  0,  8,
         2, 14, 12,  5, 14,  1,
    };

    /// <summary>Row-major 3x3; with one input channel and one filter this is also its HWIO layout.</summary>
    internal static readonly float[] Kernel =
    {
        3, 0,  8,
        1, 5, 10,
        0, 2,  9,
    };

    internal static readonly float[] ValidStride1 =
    {
        293, 200, 145, 341,
        172, 248, 278, 352,
        218, 225, 263, 306,
        284, 264, 264, 201,
    };

    internal static readonly float[] Stride2 =
    {
        293, 145,
        218, 263,
    };

    internal static readonly float[] SameRow0 = { 198, 198, 180, 103, 192, 44 };

    [Fact]
    public void Valid_stride_1_gives_the_corrected_4x4_matrix()
    {
        var network = new LectureValidConvolution();
        Kernel.CopyTo(network.Conv2dWeight);
        network.Conv2dBias.Fill(0f);
        var output = new float[LectureValidConvolution.OutputLength];

        network.Predict(Image, output);

        Assert.Equal(TensorShape.Spatial(4, 4, 1), network.OutputShape);
        Assert.Equal(ValidStride1, output);
    }

    [Fact]
    public void Stride_2_gives_the_corrected_2x2_matrix()
    {
        var network = new LectureStride2Convolution();
        Kernel.CopyTo(network.Conv2dWeight);
        var output = new float[LectureStride2Convolution.OutputLength];

        network.Predict(Image, output);

        Assert.Equal(TensorShape.Spatial(2, 2, 1), network.OutputShape);
        Assert.Equal(Stride2, output);
    }

    [Fact]
    public void Same_padding_gives_the_corrected_first_row()
    {
        var output = RunSamePadding();

        Assert.Equal(SameRow0, output.AsSpan(0, 6).ToArray());
    }

    /// <summary>With one cell of zero padding, the inner 4x4 of the same output is the valid output.</summary>
    [Fact]
    public void Same_padding_interior_equals_the_valid_matrix()
    {
        var output = RunSamePadding();

        for (int y = 0; y < 4; y++)
        {
            Assert.Equal(ValidStride1.AsSpan(y * 4, 4).ToArray(), output.AsSpan((y + 1) * 6 + 1, 4).ToArray());
        }
    }

    [Fact]
    public void Same_padding_matches_the_reference_loop_everywhere()
    {
        var output = RunSamePadding();

        var expected = ReferenceConv2D.Forward(
            ReferenceTensor.FromNhwc(Image, 1, 6, 6, 1), Array.ConvertAll(Kernel, v => (double)v), bias: null,
            filters: 1, kernelHeight: 3, kernelWidth: 3, stride: 1, dilation: 1, same: true);
        Assert.Equal(expected.Values, Array.ConvertAll(output, v => (double)v));
    }

    /// <summary>Bias -250 then ReLU: only responses above 250 survive, reduced by 250.</summary>
    [Fact]
    public void Bias_and_relu_shift_and_clip_the_valid_matrix()
    {
        var network = new LectureConvolutionBiasRelu();
        Kernel.CopyTo(network.Conv2dWeight);
        network.Conv2dBias[0] = -250f;
        var output = new float[LectureConvolutionBiasRelu.OutputLength];

        network.Predict(Image, output);

        float[] expected =
        {
            43,  0,  0, 91,
             0,  0, 28, 102,
             0,  0, 13, 56,
            34, 14, 14,  0,
        };
        Assert.Equal(expected, output);
    }

    private static float[] RunSamePadding()
    {
        var network = new LectureSameConvolution();
        Kernel.CopyTo(network.Conv2dWeight);
        var output = new float[LectureSameConvolution.OutputLength];
        network.Predict(Image, output);
        Assert.Equal(TensorShape.Spatial(6, 6, 1), network.OutputShape);
        return output;
    }
}
