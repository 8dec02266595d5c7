using System;
using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>The row sum every convolution's bias gradient goes through.</summary>
public sealed class VectorMathTests
{
    [Fact]
    public void Adding_rows_sums_every_row_into_the_destination()
    {
        float[] destination = { 1, 2 };
        VectorMath.AddRowsInPlace(destination, new float[] { 10, 20, 100, 200, 1000, 2000 });
        Assert.Equal(new float[] { 1111, 2222 }, destination);
    }

    [Fact]
    public void Adding_rows_to_an_empty_destination_does_nothing() =>
        VectorMath.AddRowsInPlace(Span<float>.Empty, new float[] { 1, 2, 3 });

    [Fact]
    public void A_partial_row_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorMath.AddRowsInPlace(new float[2], new float[3]));
        Assert.Equal("rows", error.ParamName);
        Assert.Contains("3 values are not a whole number of rows of 2", error.Message);
    }
}
