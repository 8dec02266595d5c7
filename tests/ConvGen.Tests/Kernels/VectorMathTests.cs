using System;
using ConvGen.Kernels;
using ConvGen.Data;

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

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 50)]
    [InlineData(4, 11)]
    [InlineData(6, 784)]
    [InlineData(7, 19)]
    [InlineData(8, 6084)]
    [InlineData(9, 13)]
    [InlineData(12, 33)]
    [InlineData(16, 400)]
    [InlineData(24, 9)]
    [InlineData(20, 21)]
    [InlineData(40, 17)]
    [InlineData(64, 5)]
    [InlineData(65, 5)]
    [InlineData(130, 3)]
    public void Adding_rows_gives_the_bits_of_adding_one_row_at_a_time(int width, int count)
    {
        // Values of mixed magnitudes, so a change in the order of the additions would show.
        var random = new SeededRandom((ulong)(width * 1000 + count));
        var rows = new float[width * count];
        for (int i = 0; i < rows.Length; i++) rows[i] = (random.NextSingle() - 0.5f) * MathF.Pow(10f, random.NextInt32(7) - 3);
        var expected = new float[width];
        for (int i = 0; i < width; i++) expected[i] = random.NextSingle();
        var destination = (float[])expected.Clone();
        for (int r = 0; r < count; r++)
        {
            for (int i = 0; i < width; i++) expected[i] += rows[r * width + i];
        }

        VectorMath.AddRowsInPlace(destination, rows);

        for (int i = 0; i < width; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(destination[i]), $"column {i}: {destination[i]}, row by row {expected[i]}");
        }
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
