using System;
using System.Linq;
using ConvGen.Augmentation;

namespace ConvGen.Data.Tests.Augmentation;

public class ImageAugmentationTests
{
    private static float[] Smooth(int height, int width, int channels, double phase = 0)
    {
        var image = new float[height * width * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    image[(y * width + x) * channels + c] = (float)(0.5 + 0.2 * Math.Sin(x / 4.0 + c + phase) * Math.Cos(y / 5.0) + 0.1 * Math.Cos((x + y) / 9.0));
        return image;
    }

    private static ImageAugmentationOptions Everything => new()
    {
        HorizontalFlip = true,
        VerticalFlip = true,
        Rotation = 0.2,
        ShearX = 0.2,
        ShearY = 0.1,
        TranslateHeight = 0.1,
        TranslateWidth = 0.2,
        ZoomHeight = 0.2,
        ZoomWidth = (-0.1, 0.3),
        Brightness = 0.2,
        Contrast = 0.3,
        Saturation = (0.2, 0.8),
        Hue = 0.2,
    };

    [Fact]
    public void Same_seed_gives_the_same_image_and_another_seed_another()
    {
        var augmentation = new ImageAugmentation(Everything, 12, 10, 3);
        var image = Smooth(12, 10, 3);
        float[] Run(ulong seed)
        {
            var copy = (float[])image.Clone();
            var random = new SeededRandom(seed, 3);
            augmentation.Apply(copy, ref random);
            return copy;
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
        var first = new SeededRandom(9);
        var second = new SeededRandom(9);
        Assert.Equal(augmentation.Draw(ref first), augmentation.Draw(ref second));
    }

    [Fact]
    public void No_options_change_nothing()
    {
        var augmentation = new ImageAugmentation(new ImageAugmentationOptions(), 6, 5, 3);
        var image = Smooth(6, 5, 3);
        var copy = (float[])image.Clone();
        var random = new SeededRandom(1);
        augmentation.Apply(copy, ref random);
        Assert.Equal(image, copy);
        Assert.True(AugmentationDraw.Identity.Geometry(6, 5).IsIdentity);
    }

    [Fact]
    public void Applying_allocates_nothing_after_the_first_call_on_a_thread()
    {
        var augmentation = new ImageAugmentation(Everything, 32, 32, 3);
        var image = Smooth(32, 32, 3);
        var random = new SeededRandom(2);
        augmentation.Apply(image, ref random); // the thread's scratch image
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            augmentation.Apply(image, ref random);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Draws_follow_the_Keras_ranges()
    {
        var augmentation = new ImageAugmentation(new ImageAugmentationOptions
        {
            HorizontalFlip = true,
            Rotation = 0.1,                 // [-0.1, 0.1] turn
            ShearX = (0.1, 0.3),            // magnitude in [0.1, 0.3], either sign
            TranslateHeight = (-0.2, 0.3),  // as given
            ZoomHeight = 0.2,               // [-0.2, 0.2]; width follows height
            Brightness = 0.25,              // [-0.25, 0.25]
            Contrast = 0.4,                 // [0.6, 1.4]
            Saturation = 0.5,               // s in [0, 0.5], factor s / (1 - s) in [0, 1]
            Hue = 0.2,                      // |shift| <= 0.1 turn
        }, 8, 8, 3);
        var random = new SeededRandom(11);
        var draws = Enumerable.Range(0, 4000).Select(_ => augmentation.Draw(ref random)).ToArray();
        static void Spans(double[] values, double lower, double upper)
        {
            Assert.All(values, v => Assert.InRange(v, lower, upper));
            Assert.True(values.Min() < lower + 0.05 * (upper - lower), $"min {values.Min()} should approach {lower}");
            Assert.True(values.Max() > upper - 0.05 * (upper - lower), $"max {values.Max()} should approach {upper}");
        }
        Assert.InRange(draws.Count(d => d.FlipHorizontal), 1800, 2200);
        Assert.DoesNotContain(draws, d => d.FlipVertical);
        Spans(draws.Select(d => d.RotationTurns).ToArray(), -0.1, 0.1);
        Spans(draws.Select(d => Math.Abs(d.ShearX)).ToArray(), 0.1, 0.3);
        Assert.InRange(draws.Count(d => d.ShearX < 0), 1800, 2200);
        Assert.All(draws, d => Assert.Equal(0, d.ShearY));
        Spans(draws.Select(d => d.TranslateHeight).ToArray(), -0.2, 0.3);
        Spans(draws.Select(d => d.ZoomHeight).ToArray(), -0.2, 0.2);
        Assert.All(draws, d => Assert.Equal(d.ZoomHeight, d.ZoomWidth));
        Spans(draws.Select(d => (double)d.BrightnessDelta).ToArray(), -0.25, 0.25);
        Spans(draws.Select(d => (double)d.ContrastFactor).ToArray(), 0.6, 1.4);
        Spans(draws.Select(d => (double)d.SaturationFactor).ToArray(), 0, 1.0001);
        Spans(draws.Select(d => (double)Math.Abs(d.HueShift)).ToArray(), 0, 0.1);
    }

    [Fact]
    public void Bad_factors_and_colour_options_on_grey_images_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ImageAugmentation(new ImageAugmentationOptions { Saturation = 0.5 }, 8, 8, 1));
        Assert.Throws<ArgumentException>(() => new ImageAugmentation(new ImageAugmentationOptions { Hue = 0.1 }, 8, 8, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation(new ImageAugmentationOptions { TranslateWidth = 1.5 }, 8, 8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation(new ImageAugmentationOptions { ZoomHeight = (-1.0, 0.0) }, 8, 8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation(new ImageAugmentationOptions { Hue = 1.5 }, 8, 8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationFactor.Range(0.3, 0.1));
        var grey = new ImageAugmentation(new ImageAugmentationOptions { Brightness = 0.2, Contrast = 0.2, Rotation = 0.1 }, 8, 8, 1);
        var image = new float[64];
        var random = new SeededRandom(1);
        grey.Apply(image, ref random);
        Assert.Throws<ArgumentException>(() => grey.Apply(new float[63], ref random));
    }

    [Fact]
    public void Flip_draws_resample_exactly()
    {
        var augmentation = new ImageAugmentation(new ImageAugmentationOptions { HorizontalFlip = true, VerticalFlip = true }, 5, 4, 2);
        var image = Smooth(5, 4, 2);
        var flipped = (float[])image.Clone();
        augmentation.Apply(flipped, new AugmentationDraw(FlipHorizontal: true, FlipVertical: true));
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 4; x++)
                for (int c = 0; c < 2; c++)
                    Assert.Equal(image[((4 - y) * 4 + (3 - x)) * 2 + c], flipped[(y * 4 + x) * 2 + c]);
    }

    [Theory]
    [InlineData(Interpolation.Bilinear, FillMode.Reflect)]
    [InlineData(Interpolation.Bilinear, FillMode.Constant)]
    [InlineData(Interpolation.Bilinear, FillMode.Nearest)]
    [InlineData(Interpolation.Bilinear, FillMode.Wrap)]
    [InlineData(Interpolation.Nearest, FillMode.Reflect)]
    public void Composed_geometry_equals_the_transforms_applied_one_by_one(Interpolation interpolation, FillMode fill)
    {
        const int H = 40, W = 36, C = 3;
        var image = Smooth(H, W, C);
        var options = new ImageAugmentationOptions { Interpolation = interpolation, FillMode = fill, FillValue = 0.5f };
        var augmentation = new ImageAugmentation(options, H, W, C);
        var draw = new AugmentationDraw(FlipHorizontal: true, RotationTurns: 0.03, ShearX: 0.08, ShearY: -0.05,
            TranslateHeight: 0.04, TranslateWidth: -0.03, ZoomHeight: -0.1, ZoomWidth: -0.05);
        var composed = (float[])image.Clone();
        augmentation.Apply(composed, draw);

        // One resample per transform, in the documented order.
        var steps = new[]
        {
            AffineMatrix.FlipHorizontal(W),
            AffineMatrix.Rotation(draw.RotationTurns, H, W),
            AffineMatrix.Shear(draw.ShearX, draw.ShearY, H, W),
            AffineMatrix.Translation(draw.TranslateHeight, draw.TranslateWidth, H, W),
            AffineMatrix.Zoom(draw.ZoomHeight, draw.ZoomWidth, H, W),
        };
        var stepwise = (float[])image.Clone();
        var scratch = new float[image.Length];
        foreach (var step in steps)
        {
            AffineResampler.Resample(stepwise, scratch, H, W, C, step, interpolation, fill, 0.5f);
            (stepwise, scratch) = (scratch, stepwise);
        }

        // Compare away from the border, where the one-by-one passes fill different regions.
        double worst = 0;
        for (int y = 8; y < H - 8; y++)
            for (int x = 8; x < W - 8; x++)
                for (int c = 0; c < C; c++)
                    worst = Math.Max(worst, Math.Abs(composed[(y * W + x) * C + c] - stepwise[(y * W + x) * C + c]));
        // Bilinear: each extra pass blurs a little. Nearest: each pass may move a value by up to
        // half a pixel, so five passes drift by up to 2.5 pixels (the picture changes by at most
        // 0.06 per pixel).
        Assert.True(worst < (interpolation == Interpolation.Bilinear ? 0.01 : 0.16), $"largest difference {worst}");
        Assert.NotEqual(image, composed);
    }

    [Fact]
    public void Geometry_samples_the_picture_at_the_mapped_positions()
    {
        // Resampling a smooth function: output(x, y) ~ f(map(x, y)) up to bilinear error.
        const int H = 48, W = 48;
        static double F(double x, double y) => 0.5 + 0.3 * Math.Sin(x / 7.0) * Math.Cos(y / 6.0);
        var image = new float[H * W];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                image[y * W + x] = (float)F(x, y);
        var augmentation = new ImageAugmentation(new ImageAugmentationOptions(), H, W, 1);
        var draw = new AugmentationDraw(RotationTurns: 0.07, ShearX: 0.1, TranslateHeight: 0.05, ZoomHeight: -0.2, ZoomWidth: -0.2);
        var output = (float[])image.Clone();
        augmentation.Apply(output, draw);
        var m = draw.Geometry(H, W);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                var (sx, sy) = m.Map(x, y);
                if (sx < 0 || sy < 0 || sx > W - 1 || sy > H - 1) continue;
                Assert.True(Math.Abs(output[y * W + x] - F(sx, sy)) < 0.003, $"({x},{y})");
            }
    }

    [Fact]
    public void Colour_changes_follow_Keras_formulas()
    {
        // Two RGB pixels.
        float[] image = { 0.2f, 0.4f, 0.6f, 0.8f, 0.6f, 0.4f };
        var brighter = (float[])image.Clone();
        ColorAdjustments.Brightness(brighter, 0.3f);
        Assert.Equal(new[] { 0.5f, 0.7f, 0.9f, 1f, 0.9f, 0.7f }, brighter.Select(v => MathF.Round(v, 5)).ToArray()); // clipped at 1

        var contrasted = (float[])image.Clone();
        ColorAdjustments.Contrast(contrasted, 3, 2f);   // channel means 0.5, 0.5, 0.5
        Assert.Equal(new[] { 0f, 0.3f, 0.7f, 1f, 0.7f, 0.3f }, contrasted.Select(v => MathF.Round(v, 5)).ToArray());

        var grey = (float[])image.Clone();
        ColorAdjustments.SaturationAndHue(grey, 0f, 0f);   // saturation 0: every channel = value (max)
        Assert.Equal(new[] { 0.6f, 0.6f, 0.6f, 0.8f, 0.8f, 0.8f }, grey);

        float[] red = { 1, 0, 0 };
        ColorAdjustments.SaturationAndHue(red, 1f, 1f / 3);   // a third of a turn: red -> green
        Assert.Equal(new[] { 0f, 1f, 0f }, red.Select(v => MathF.Round(v, 5)).ToArray());

        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            float r = (float)random.NextDouble(), g = (float)random.NextDouble(), b = (float)random.NextDouble();
            var (h, s, v) = ColorAdjustments.RgbToHsv(r, g, b);
            var (r2, g2, b2) = ColorAdjustments.HsvToRgb(h, s, v);
            Assert.True(Math.Abs(r - r2) < 1e-5 && Math.Abs(g - g2) < 1e-5 && Math.Abs(b - b2) < 1e-5);
        }
    }

    [Fact]
    public void Apply_is_one_resample_then_the_colour_changes_in_Keras_order()
    {
        const int H = 10, W = 9, C = 3;
        var image = Smooth(H, W, C);
        var options = new ImageAugmentationOptions { FillMode = FillMode.Nearest };
        var augmentation = new ImageAugmentation(options, H, W, C);
        var draw = new AugmentationDraw(RotationTurns: 0.1, ZoomHeight: 0.1, ZoomWidth: 0.1, BrightnessDelta: 0.05f, ContrastFactor: 1.2f, SaturationFactor: 0.7f, HueShift: 0.05f);
        var actual = (float[])image.Clone();
        augmentation.Apply(actual, draw);

        var expected = new float[image.Length];
        AffineResampler.Resample(image, expected, H, W, C, draw.Geometry(H, W), Interpolation.Bilinear, FillMode.Nearest);
        ColorAdjustments.Brightness(expected, 0.05f);
        ColorAdjustments.Contrast(expected, C, 1.2f);
        ColorAdjustments.SaturationAndHue(expected, 0.7f, 0.05f);
        Assert.Equal(expected, actual);
    }
}
