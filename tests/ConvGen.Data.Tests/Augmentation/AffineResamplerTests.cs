using System;
using System.Linq;
using ConvGen.Augmentation;

namespace ConvGen.Data.Tests.Augmentation;

public class AffineResamplerTests
{
    private static readonly FillMode[] AllFillModes = { FillMode.Reflect, FillMode.Constant, FillMode.Nearest, FillMode.Wrap };

    /// <summary>Distinct values: value(y, x, c) = 100 y + 10 x + c, so any misplaced pixel shows.</summary>
    private static float[] Ramp(int height, int width, int channels)
    {
        var image = new float[height * width * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    image[(y * width + x) * channels + c] = 100 * y + 10 * x + c;
        return image;
    }

    private static float At(float[] image, int width, int channels, int y, int x, int c) => image[(y * width + x) * channels + c];

    private static float[] Resample(float[] source, int height, int width, int channels, AffineMatrix m, Interpolation interpolation = Interpolation.Bilinear, FillMode fill = FillMode.Reflect, float fillValue = 0)
    {
        var output = new float[source.Length];
        AffineResampler.Resample(source, output, height, width, channels, m, interpolation, fill, fillValue);
        return output;
    }

    [Theory]
    [InlineData(4, 5, Interpolation.Bilinear)]
    [InlineData(5, 4, Interpolation.Nearest)]
    [InlineData(1, 7, Interpolation.Bilinear)]
    public void Flips_are_exact_permutations(int height, int width, Interpolation interpolation)
    {
        var image = Ramp(height, width, 3);
        var horizontal = Resample(image, height, width, 3, AffineMatrix.FlipHorizontal(width), interpolation);
        var vertical = Resample(image, height, width, 3, AffineMatrix.FlipVertical(height), interpolation);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(At(image, width, 3, y, width - 1 - x, c), At(horizontal, width, 3, y, x, c));
                    Assert.Equal(At(image, width, 3, height - 1 - y, x, c), At(vertical, width, 3, y, x, c));
                }
    }

    [Theory]
    [InlineData(5, Interpolation.Bilinear)]
    [InlineData(6, Interpolation.Bilinear)]
    [InlineData(6, Interpolation.Nearest)]
    public void Quarter_turns_are_exact_and_counter_clockwise(int n, Interpolation interpolation)
    {
        var image = Ramp(n, n, 2);
        var quarter = Resample(image, n, n, 2, AffineMatrix.Rotation(0.25, n, n), interpolation);
        var half = Resample(image, n, n, 2, AffineMatrix.Rotation(0.5, n, n), interpolation);
        var threeQuarters = Resample(image, n, n, 2, AffineMatrix.Rotation(-0.25, n, n), interpolation);
        var full = Resample(image, n, n, 2, AffineMatrix.Rotation(1, n, n), interpolation);
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                for (int c = 0; c < 2; c++)
                {
                    // Counter-clockwise: the top-right corner moves to the top-left.
                    Assert.Equal(At(image, n, 2, x, n - 1 - y, c), At(quarter, n, 2, y, x, c));
                    Assert.Equal(At(image, n, 2, n - 1 - y, n - 1 - x, c), At(half, n, 2, y, x, c));
                    Assert.Equal(At(image, n, 2, n - 1 - x, y, c), At(threeQuarters, n, 2, y, x, c));
                    Assert.Equal(At(image, n, 2, y, x, c), At(full, n, 2, y, x, c));
                }
        Assert.Equal(At(image, n, 2, 0, n - 1, 0), At(quarter, n, 2, 0, 0, 0));
    }

    [Fact]
    public void Whole_pixel_translation_is_exact_inside()
    {
        var image = Ramp(8, 8, 1);
        // Keras: positive fractions move the picture down and right (0.25 * 8 = 2 rows, 0.375 * 8 = 3 columns).
        var moved = Resample(image, 8, 8, 1, AffineMatrix.Translation(0.25, 0.375, 8, 8), fill: FillMode.Constant, fillValue: -1);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                Assert.Equal(y >= 2 && x >= 3 ? At(image, 8, 1, y - 2, x - 3, 0) : -1, At(moved, 8, 1, y, x, 0));
    }

    [Fact]
    public void Fill_modes_extend_a_row_as_Keras_documents()
    {
        // a b c d extended by 4 on each side.
        int[] indices = Enumerable.Range(-4, 12).ToArray();
        int[] Fix(FillMode mode) => indices.Select(i => AffineResampler.FixIndex(i, 4, mode)).ToArray();
        Assert.Equal(new[] { 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0 }, Fix(FillMode.Reflect));  // d c b a | a b c d | d c b a
        Assert.Equal(new[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3 }, Fix(FillMode.Wrap));     // a b c d | a b c d | a b c d
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3 }, Fix(FillMode.Nearest));  // a a a a | a b c d | d d d d
        Assert.Equal(new[] { -1, -1, -1, -1, 0, 1, 2, 3, -1, -1, -1, -1 }, Fix(FillMode.Constant));
        Assert.Equal(0, AffineResampler.FixIndex(-5, 1, FillMode.Reflect));
        Assert.Equal(0, AffineResampler.FixIndex(-9, 4, FillMode.Reflect)); // -8..-5 read a b c d, -9 reads a again
        Assert.Equal(3, AffineResampler.FixIndex(-12, 4, FillMode.Reflect));
    }

    [Theory]
    [InlineData(FillMode.Reflect, new float[] { 1, 0, 0, 1, 2, 3, 4, 5 })]
    [InlineData(FillMode.Wrap, new float[] { 6, 7, 0, 1, 2, 3, 4, 5 })]
    [InlineData(FillMode.Nearest, new float[] { 0, 0, 0, 1, 2, 3, 4, 5 })]
    [InlineData(FillMode.Constant, new float[] { 9, 9, 0, 1, 2, 3, 4, 5 })]
    public void Each_fill_mode_fills_the_uncovered_columns(FillMode fill, float[] expected)
    {
        float[] row = { 0, 1, 2, 3, 4, 5, 6, 7 };
        var moved = Resample(row, 1, 8, 1, AffineMatrix.Translation(0, 0.25, 1, 8), fill: fill, fillValue: 9);
        Assert.Equal(expected, moved);
    }

    [Fact]
    public void Constant_fill_blends_bilinear_taps_at_the_border()
    {
        float[] row = { 4, 4, 4, 4 };
        // Half a pixel right: column 0 reads between the outside (fill 0) and the first pixel.
        var moved = Resample(row, 1, 4, 1, AffineMatrix.Translation(0, 0.5 / 4, 1, 4), fill: FillMode.Constant, fillValue: 0);
        Assert.Equal(new float[] { 2, 4, 4, 4 }, moved);
    }

    [Fact]
    public void Bilinear_reads_between_pixels_and_nearest_rounds_half_to_even()
    {
        float[] row = { 0, 10, 20, 30 };
        var m = new AffineMatrix(1, 0, 0.5, 0, 1, 0); // x' = x + 0.5
        Assert.Equal(new float[] { 5, 15, 25, 30 }, Resample(row, 1, 4, 1, m, Interpolation.Bilinear, FillMode.Nearest));
        Assert.Equal(new float[] { 0, 20, 20, 30 }, Resample(row, 1, 4, 1, m, Interpolation.Nearest, FillMode.Nearest));
    }

    [Theory]
    [InlineData(FillMode.Reflect, true)]
    [InlineData(FillMode.Constant, true)]
    [InlineData(FillMode.Nearest, true)]
    [InlineData(FillMode.Wrap, true)]
    [InlineData(FillMode.Reflect, false)]
    [InlineData(FillMode.Constant, false)]
    [InlineData(FillMode.Nearest, false)]
    [InlineData(FillMode.Wrap, false)]
    public void Random_affine_maps_match_the_reference_resample(FillMode fill, bool bilinear)
    {
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            int height = 3 + random.Next(8), width = 3 + random.Next(8), channels = 1 + random.Next(3);
            var image = Enumerable.Range(0, height * width * channels).Select(_ => (float)random.NextDouble()).ToArray();
            var m = new AffineMatrix(
                0.5 + random.NextDouble(), random.NextDouble() - 0.5, 6 * random.NextDouble() - 3,
                random.NextDouble() - 0.5, 0.5 + random.NextDouble(), 6 * random.NextDouble() - 3);
            var actual = Resample(image, height, width, channels, m, bilinear ? Interpolation.Bilinear : Interpolation.Nearest, fill, 0.25f);
            var expected = ReferenceResample.Run(image, height, width, channels, m.Map, bilinear, (ReferenceResample.Fill)fill, 0.25f);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"trial {trial} ({m}), element {i}: expected {expected[i]}, got {actual[i]}");
            }
        }
    }

    [Fact]
    public void Matrices_map_as_Keras_layers_do()
    {
        // Rotation keeps the centre; zoom 0.5 reads a region 1.5 times larger about the centre.
        var (cx, cy) = AffineMatrix.Rotation(0.1, 9, 7).Map(3, 4);
        Assert.Equal(3, cx, 12);
        Assert.Equal(4, cy, 12);
        Assert.Equal((0 - 3) * 1.5 + 3, AffineMatrix.Zoom(0.5, 0.5, 9, 7).Map(0, 0).X, 12);
        Assert.Equal((0 - 4) * 1.5 + 4, AffineMatrix.Zoom(0.5, 0.5, 9, 7).Map(0, 0).Y, 12);
        // Shear about the centre: the centre row does not move.
        Assert.Equal(5, AffineMatrix.Shear(0.3, 0, 9, 7).Map(5, 4).X, 12);
        Assert.Equal(5 + 0.3 * 4, AffineMatrix.Shear(0.3, 0, 9, 7).Map(5, 8).X, 12);
        // Then = matrix product: applying m then n reads through n first.
        var m = AffineMatrix.Rotation(0.13, 9, 7);
        var n = AffineMatrix.Translation(0.2, -0.1, 9, 7);
        var composed = m.Then(n).Map(2, 5);
        var (nx, ny) = n.Map(2, 5);
        var stepwise = m.Map(nx, ny);
        Assert.Equal(stepwise.X, composed.X, 12);
        Assert.Equal(stepwise.Y, composed.Y, 12);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var image = new float[12];
        Assert.Throws<ArgumentException>(() => AffineResampler.Resample(image, new float[11], 2, 2, 3, AffineMatrix.Identity));
        Assert.Throws<ArgumentException>(() => AffineResampler.Resample(image, image, 2, 2, 3, AffineMatrix.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => AffineResampler.Resample(image, new float[12], 0, 2, 3, AffineMatrix.Identity));
    }
}
