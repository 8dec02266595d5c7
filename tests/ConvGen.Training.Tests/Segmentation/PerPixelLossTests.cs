using System;
using System.Linq;

namespace ConvGen.Training.Tests.Segmentation;

/// <summary>
/// The per-pixel losses on <c>[H,W,C]</c> outputs: one softmax and one term per pixel, averaged
/// over a sample's labelled pixels; class weights; the ignore label; soft Dice.
/// </summary>
public class PerPixelLossTests
{
    private const double Ln2 = 0.69314718055994530942;
    private const double Ln3 = 1.09861228866810969140;

    [Fact]
    public void Sparse_cross_entropy_means_one_term_per_pixel_and_each_sample_over_its_own_pixels()
    {
        // Sample 0: 2 pixels of 3 classes. Pixel 0 logits ln1, ln2, ln5 (p = 1/8, 2/8, 5/8), label 2:
        // ln(8/5). Pixel 1 logits 0,0,0, label 0: ln 3. Sample loss = (ln(8/5) + ln 3) / 2.
        // Sample 1: both pixels 0,0,0 with labels 1 and 2: ln 3.
        float[] logits = { 0f, (float)Ln2, (float)Math.Log(5), 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f };
        float[] labels = { 2f, 0f, 1f, 2f };
        var gradient = new float[12];

        double loss = new SparseSoftmaxCrossEntropy().ComputePerPixel(logits, labels, gradient, samples: 2, pixels: 2, channels: 3, gradientScale: 0.5f);

        Assert.Equal((Math.Log(8.0 / 5.0) + Ln3) / 2 + Ln3, loss, 6);
        // (p - y) * 0.5 (scale) / 2 (pixels of the sample)
        double[] expected = { 0.125, 0.25, -0.375, 1 / 3.0 - 1, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0 - 1, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0 - 1 };
        LossAssert.Close(expected.Select(g => g * 0.25).ToArray(), gradient, 1e-6);
    }

    [Fact]
    public void Ignored_pixels_add_no_loss_no_gradient_and_leave_the_mean()
    {
        // Three pixels, the middle one labelled 255 (ignored): the mean is over the other two,
        // and its gradient is exactly 0 even though its logits are extreme.
        float[] logits = { 0f, 0f, 50f, -50f, 0f, (float)Ln3 };
        float[] labels = { 0f, 255f, 1f };
        var gradient = Enumerable.Repeat(9f, 6).ToArray();
        var loss = new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 };

        double value = loss.ComputePerPixel(logits, labels, gradient, 1, 3, 2, 1f);

        // Pixel 0: ln 2. Pixel 2: logits 0, ln3 -> p = 1/4, 3/4, label 1: ln(4/3).
        Assert.Equal((Ln2 + Math.Log(4.0 / 3.0)) / 2, value, 6);
        LossAssert.Close(new[] { -0.25, 0.25, 0, 0, 0.125, -0.125 }, gradient, 1e-6);
    }

    [Fact]
    public void A_sample_whose_pixels_are_all_ignored_adds_nothing()
    {
        var gradient = Enumerable.Repeat(9f, 4).ToArray();
        double value = new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 }.ComputePerPixel(new[] { 1f, 2f, 3f, 4f }, new[] { 255f, 255f }, gradient, 1, 2, 2, 1f);
        Assert.Equal(0.0, value);
        Assert.All(gradient, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Class_weights_multiply_the_pixel_terms_but_not_the_count()
    {
        // Two pixels 0,0 of 2 classes: each term ln 2; weights 3 (class 0) and 1 (class 1).
        var loss = new SparseSoftmaxCrossEntropy { ClassWeights = new[] { 3f, 1f } };
        var gradient = new float[4];

        double value = loss.ComputePerPixel(new float[4], new[] { 0f, 1f }, gradient, 1, 2, 2, 1f);

        Assert.Equal((3 * Ln2 + Ln2) / 2, value, 6);
        LossAssert.Close(new[] { 3 * -0.5 / 2, 3 * 0.5 / 2, 0.5 / 2, -0.5 / 2 }, gradient, 1e-6);
    }

    [Fact]
    public void One_hot_cross_entropy_per_pixel_leaves_all_zero_pixels_unlabelled()
    {
        // Pixel 0: logits 0,0 one-hot class 1: ln 2. Pixel 1: all-zero target: unlabelled.
        var gradient = new float[4];
        double value = new SoftmaxCrossEntropy { ClassWeights = new[] { 1f, 2f } }
            .ComputePerPixel(new[] { 0f, 0f, 5f, -5f }, new[] { 0f, 1f, 0f, 0f }, gradient, 1, 2, 2, 1f);

        Assert.Equal(2 * Ln2, value, 6);
        LossAssert.Close(new[] { 2 * 0.5, 2 * -0.5, 0, 0 }, gradient, 1e-6);
    }

    [Fact]
    public void Dice_matches_the_hand_computed_formula()
    {
        // One sample of 2 pixels, 2 classes, logits 0 -> p = 1/2 everywhere; labels 0 and 1.
        // Class 0: I = 1/2, U = (1/2 + 1/2) + 1 = 2, dice = (2*1/2 + 1) / (2 + 1) = 2/3; class 1 the same.
        // L = 1 - 2/3 = 1/3.
        double value = new DiceLoss().ComputePerPixel(new float[4], new[] { 0f, 1f }, Span<float>.Empty, 1, 2, 2, 1f);
        Assert.Equal(1 / 3.0, value, 9);

        // A perfect, confident prediction has (almost) no loss; the smoothing keeps an absent class at 1.
        double perfect = new DiceLoss().ComputePerPixel(new[] { 40f, -40f, 40f, -40f }, new[] { 0f, 0f }, Span<float>.Empty, 1, 2, 2, 1f);
        Assert.Equal(0.0, perfect, 9);
    }

    [Fact]
    public void Dice_with_a_smaller_smoothing_and_an_ignored_pixel()
    {
        // Smoothing 0.5; pixels: p = 1/2 with label 0, and an ignored pixel that must not count.
        // Class 0: I = 1/2, U = 1/2 + 1 = 3/2, dice = (1 + 0.5) / (1.5 + 0.5) = 3/4.
        // Class 1: I = 0, U = 1/2, dice = 0.5 / 1 = 1/2. L = 1 - 5/8 = 3/8.
        double value = new DiceLoss { Smoothing = 0.5, IgnoreLabel = 7 }
            .ComputePerPixel(new[] { 0f, 0f, 30f, -30f }, new[] { 0f, 7f }, Span<float>.Empty, 1, 2, 2, 1f);
        Assert.Equal(3 / 8.0, value, 9);
    }

    [Fact]
    public void A_label_out_of_range_is_refused_naming_the_pixel_and_the_range_and_writes_no_gradient()
    {
        var gradient = Enumerable.Repeat(9f, 6).ToArray();
        var e = Assert.Throws<ArgumentException>(() =>
            new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 }.ComputePerPixel(new float[6], new[] { 0f, 1f, 3f }, gradient, 1, 3, 2, 1f));
        Assert.Contains("row 2 has target 3", e.Message);
        Assert.Contains("from 0 to 1", e.Message);
        Assert.Contains("ignore label 255", e.Message);
        Assert.All(gradient, g => Assert.Equal(9f, g));

        var dice = Assert.Throws<ArgumentException>(() => new DiceLoss().ComputePerPixel(new float[4], new[] { 0f, -1f }, gradient.AsSpan(0, 4), 1, 2, 2, 1f));
        Assert.Contains("pixel 1 has target -1", dice.Message);
    }

    [Fact]
    public void Class_weights_must_be_finite_non_negative_and_one_per_class()
    {
        var negative = Assert.Throws<ArgumentException>(() => new SparseSoftmaxCrossEntropy { ClassWeights = new[] { 1f, -2f } });
        Assert.Contains("class weight 1 is -2", negative.Message);
        var count = Assert.Throws<ArgumentException>(() =>
            new SparseSoftmaxCrossEntropy { ClassWeights = new[] { 1f, 2f } }.ComputePerPixel(new float[3], new[] { 0f }, new float[3], 1, 1, 3, 1f));
        Assert.Contains("2 class weights were given but the predictions have 3 classes", count.Message);
    }

    [Fact]
    public void Per_pixel_losses_say_so_and_dice_is_found_by_name()
    {
        Assert.True(new SparseSoftmaxCrossEntropy().PerPixel);
        Assert.True(new SoftmaxCrossEntropy().PerPixel);
        Assert.True(new DiceLoss().PerPixel);
        Assert.False(new MeanSquaredError().PerPixel);
        Assert.IsType<DiceLoss>(Losses.For("dice"));
        Assert.Equal(1, new DiceLoss().TargetLength(5));
    }

    // ---- finite differences ------------------------------------------------------------------

    public static TheoryData<string> Cases => new() { "sparse", "sparse_weighted_ignore", "one_hot_weighted", "dice", "dice_ignore", "binary" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Per_pixel_gradient_matches_central_finite_differences(string name)
    {
        const int samples = 2, pixels = 6, channels = 3;
        Loss loss = name switch
        {
            "sparse" => new SparseSoftmaxCrossEntropy(),
            "sparse_weighted_ignore" => new SparseSoftmaxCrossEntropy { ClassWeights = new[] { 0.5f, 2f, 1f }, IgnoreLabel = 255 },
            "one_hot_weighted" => new SoftmaxCrossEntropy { ClassWeights = new[] { 0.5f, 2f, 1f } },
            "dice" => new DiceLoss(),
            "dice_ignore" => new DiceLoss { IgnoreLabel = 255, Smoothing = 0.25 },
            _ => new SigmoidBinaryCrossEntropy(),
        };
        var random = new SeededRandom(11);
        var predictions = new float[samples * pixels * channels];
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = (float)(random.NextDouble() * 4 - 2);
        }
        var targets = new float[samples * pixels * loss.TargetLength(channels)];
        for (int p = 0; p < samples * pixels; p++)
        {
            int label = random.NextInt32(channels);
            bool ignored = p % 5 == 3;
            switch (loss)
            {
                case SoftmaxCrossEntropy:
                    if (!ignored) targets[p * channels + label] = 1; // ignored: an all-zero row
                    break;
                case SigmoidBinaryCrossEntropy:
                    for (int c = 0; c < channels; c++) targets[p * channels + c] = random.NextInt32(2);
                    break;
                default:
                    targets[p] = ignored && name.Contains("ignore") ? 255 : label;
                    break;
            }
        }
        const float scale = 0.5f;
        var analytic = new float[predictions.Length];
        loss.ComputePerPixel(predictions, targets, analytic, samples, pixels, channels, scale);

        const float h = 1f / 1024;
        for (int i = 0; i < predictions.Length; i++)
        {
            float original = predictions[i];
            predictions[i] = original + h;
            double plus = loss.ComputePerPixel(predictions, targets, Span<float>.Empty, samples, pixels, channels, 1f);
            predictions[i] = original - h;
            double minus = loss.ComputePerPixel(predictions, targets, Span<float>.Empty, samples, pixels, channels, 1f);
            predictions[i] = original;
            double numeric = (plus - minus) / (2 * h) * scale;
            Assert.True(Math.Abs(numeric - analytic[i]) < 2e-5, $"{name}: element {i}: analytic {analytic[i]} vs numeric {numeric}");
        }
        if (name.Contains("ignore") || name == "one_hot_weighted")
        {
            // Pixel 3 of sample 0 is unlabelled: its gradient is exactly zero.
            Assert.All(analytic.AsSpan(3 * channels, channels).ToArray(), g => Assert.Equal(0f, g));
        }
    }
}

internal static class LossAssert
{
    public static void Close(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
