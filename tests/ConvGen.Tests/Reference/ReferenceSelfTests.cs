using System;
using ConvGen.Tests.Lecture;

namespace ConvGen.Tests.Reference;

/// <summary>
/// The references are the yardstick for every numeric test, so they are anchored here to numbers
/// that do not come from this code: published function values and the lecture's worked example.
/// </summary>
public sealed class ReferenceSelfTests
{
    /// <summary>Values from Abramowitz and Stegun / any CAS, covering the series and the continued-fraction branches.</summary>
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(-1.0, -0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.4999, 0.9995928300996666)]
    [InlineData(2.5, 0.9995930479825550)]
    [InlineData(3.0, 0.9999779095030014)]
    public void Erf_matches_published_values(double x, double expected) =>
        Assert.Equal(expected, ReferenceErf.Erf(x), 1e-13);

    /// <summary>In the tail erfc keeps relative accuracy where 1 - erf would cancel.</summary>
    [Theory]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(4.0, 1.541725790028002e-08)]
    [InlineData(6.0, 2.151973671249892e-17)]
    public void Erfc_matches_published_values_in_the_tail(double x, double expected) =>
        Assert.Equal(1.0, ReferenceErf.Erfc(x) / expected, 1e-12);

    [Fact]
    public void Gelu_matches_published_values()
    {
        // x * Phi(x) for x = 1 and x = -1, Phi from the normal table.
        Assert.Equal(0.8413447460685429, ReferenceActivations.Scalar(1.0, Activation.Gelu, double.NaN), 1e-13);
        Assert.Equal(-0.15865525393145707, ReferenceActivations.Scalar(-1.0, Activation.Gelu, double.NaN), 1e-13);
    }

    /// <summary>TensorFlow / Keras sizes, e.g. 7 inputs, kernel 3, stride 2, same: 4 outputs and 2 padding cells, 1 before and 1 after.</summary>
    [Theory]
    [InlineData(7, 3, 2, 1, false, 3, 0)]
    [InlineData(7, 3, 2, 1, true, 4, 1)]
    [InlineData(6, 3, 1, 1, true, 6, 1)]
    [InlineData(6, 2, 1, 1, true, 6, 0)] // the odd padding cell goes after the input
    [InlineData(8, 2, 2, 1, true, 4, 0)]
    [InlineData(9, 3, 1, 2, false, 5, 0)]
    [InlineData(9, 3, 1, 2, true, 9, 2)]
    public void Geometry_follows_keras(int input, int kernel, int stride, int dilation, bool same, int output, int padBefore) =>
        Assert.Equal((output, padBefore), ReferenceGeometry.Axis(input, kernel, stride, dilation, same));

    [Fact]
    public void Convolution_reproduces_the_lectures_corrected_numbers()
    {
        var image = ReferenceTensor.FromNhwc(LectureConvolutionExampleTests.Image, 1, 6, 6, 1);
        double[] kernel = Array.ConvertAll(LectureConvolutionExampleTests.Kernel, v => (double)v);

        var valid = ReferenceConv2D.Forward(image, kernel, null, 1, 3, 3, 1, 1, same: false);
        var stride2 = ReferenceConv2D.Forward(image, kernel, null, 1, 3, 3, 2, 1, same: false);
        var same = ReferenceConv2D.Forward(image, kernel, null, 1, 3, 3, 1, 1, same: true);

        Assert.Equal(Array.ConvertAll(LectureConvolutionExampleTests.ValidStride1, v => (double)v), valid.Values);
        Assert.Equal(Array.ConvertAll(LectureConvolutionExampleTests.Stride2, v => (double)v), stride2.Values);
        Assert.Equal(Array.ConvertAll(LectureConvolutionExampleTests.SameRow0, v => (double)v), same.Values[..6]);
    }

    [Fact]
    public void Pooling_reproduces_the_lectures_numbers()
    {
        var input = ReferenceTensor.FromNhwc(new float[] { 1, 4, 2, 11, 6, 13, 8, 3, 10, 0, 17, 7, 9, 2, 3, 5 }, 1, 4, 4, 1);

        Assert.Equal(new double[] { 13, 11, 10, 17 }, ReferencePooling.Window(input, max: true, 2, 2, stride: 0, same: false).Values);
        Assert.Equal(new double[] { 6, 6, 5.25, 8 }, ReferencePooling.Window(input, max: false, 2, 2, stride: 0, same: false).Values);
    }

    /// <summary>Same padding ignores padded cells: a corner window of a 3x3 average over a 4x4 input averages 4 cells, not 9.</summary>
    [Fact]
    public void Average_pooling_with_same_padding_divides_by_the_cells_inside()
    {
        var input = ReferenceTensor.FromNhwc(new float[] { 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 1, 4, 4, 1);

        var output = ReferencePooling.Window(input, max: false, 3, 3, stride: 1, same: true);

        Assert.Equal(2.5, output[0, 0, 0, 0]);
    }
}
