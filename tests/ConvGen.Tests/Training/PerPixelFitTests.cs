using System;
using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

[Network(Input = "6x6x1")]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(3, 1, Activation = Activation.Softmax)]
public sealed partial class PixelClassNet;

/// <summary>
/// Fit on a spatial softmax output: one loss term, one accuracy count and one IoU count per
/// pixel; a loss that cannot mean per pixel is refused before training.
/// </summary>
public class PerPixelFitTests
{
    // Each pixel's class is its intensity band: 0 below 1/3, 1 below 2/3, 2 above; pixels at 0.5
    // in column 0 are labelled 255 and ignored.
    private static Dataset Bands(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * 36];
        var targets = new float[count * 36];
        for (int i = 0; i < inputs.Length; i++)
        {
            float value = (float)random.NextDouble();
            inputs[i] = value;
            targets[i] = i % 6 == 0 ? 255 : value < 1 / 3f ? 0 : value < 2 / 3f ? 1 : 2;
        }
        return new Dataset(inputs, targets, count, 36, 36);
    }

    private static TrainingOptions Options(Loss loss) => new()
    {
        Loss = loss,
        Optimizer = new Adam(0.05f),
        Epochs = 12,
        BatchSize = 16,
        Seed = 5,
        Threads = 2,
        Progress = null,
        ValidationSplit = 0.25,
    };

    [Fact]
    public void Fit_trains_pixel_classes_and_reports_pixel_accuracy_and_mean_iou()
    {
        var network = PixelClassNet.Create(2);
        var history = network.Fit(Bands(128, 1), Options(new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 }));

        Assert.True(history.Last["loss"] < history.Epochs[0]["loss"]);
        Assert.InRange(history.Last["accuracy"], 0.8, 1.0);
        Assert.InRange(history.Last["mean_iou"], 0.6, 1.0);
        Assert.InRange(history.Last["val_mean_iou"], 0.6, 1.0);

        var evaluation = network.Evaluate(Bands(32, 9), new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 }, threads: 2, confusionMatrix: true);
        Assert.NotNull(evaluation.Confusion);
        Assert.Equal(32 * 30, evaluation.Confusion!.Total); // the 6 ignored pixels of each sample are not counted
        Assert.Equal(evaluation.Confusion.MeanIoU, evaluation.Metrics["mean_iou"], 12);
        Assert.Equal(evaluation.Confusion.Accuracy, evaluation.Accuracy, 12);
    }

    [Fact]
    public void Fit_moves_the_mask_with_the_augmented_image()
    {
        // Every picture is flipped or not at random; each pixel's label is its own intensity band,
        // so the task stays learnable only if the mask is flipped with the picture (a mask left in
        // place would disagree with the image on most pixels of a flipped sample).
        var augmentation = new ConvGen.Augmentation.SegmentationAugmentation(
            new ConvGen.Augmentation.ImageAugmentationOptions { HorizontalFlip = true, VerticalFlip = true }, 6, 6, 1, fillLabel: 255);
        var options = Options(new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 });
        var history = PixelClassNet.Create(2).Fit(Bands(128, 1), new TrainingOptions
        {
            Loss = options.Loss, Optimizer = options.Optimizer, Epochs = options.Epochs, BatchSize = options.BatchSize,
            Seed = options.Seed, Threads = options.Threads, Progress = null, ValidationSplit = options.ValidationSplit,
            Augmentation = augmentation,
        });
        Assert.InRange(history.Last["accuracy"], 0.8, 1.0);
    }

    [Fact]
    public void Dice_loss_trains_the_same_network()
    {
        var history = PixelClassNet.Create(3).Fit(Bands(128, 2), Options(new DiceLoss { IgnoreLabel = 255 }));
        Assert.True(history.Last["loss"] < history.Epochs[0]["loss"]);
        Assert.True(history.Last["mean_iou"] > history.Epochs[0]["mean_iou"]);
    }

    [Fact]
    public void A_pixel_label_out_of_range_names_the_sample_and_the_pixel()
    {
        var data = Bands(16, 3);
        var targets = data.Targets.ToArray();
        targets[5 * 36 + 2 * 6 + 4] = 3;
        var bad = new Dataset(data.Inputs.ToArray(), targets, 16, 36, 36);
        var e = Assert.Throws<ArgumentException>(() => PixelClassNet.Create(1).Fit(bad, Options(new SparseSoftmaxCrossEntropy { IgnoreLabel = 255 })));
        Assert.StartsWith("Sample 5 of the training data has label 3 at pixel (row 2, column 4), but a sparse label must be a class index, an integer from 0 to 2, or the ignore label 255", e.Message);
    }

    [Fact]
    public void A_mask_of_the_wrong_size_is_refused_with_the_expected_shape()
    {
        var data = new Dataset(new float[4 * 36], new float[4], 4, 36, 1);
        var e = Assert.Throws<ArgumentException>(() => PixelClassNet.Create(1).Fit(data, Options(new SparseSoftmaxCrossEntropy())));
        Assert.Contains("needs an [6,6] mask of class indices (36 values)", e.Message);
    }

    [Fact]
    public void A_softmax_loss_that_cannot_mean_per_pixel_is_refused_at_fit_start()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PixelClassNet.Create(1).Fit(Bands(8, 4), Options(new WholeMapSoftmaxLoss())));
        Assert.Contains("whole_map cannot be applied per pixel", e.Message);
        Assert.Contains("[6,6,3]", e.Message);
    }

    /// <summary>A user loss that fuses a softmax over the whole row and knows nothing of pixels.</summary>
    private sealed class WholeMapSoftmaxLoss : Loss
    {
        public override string Name => "whole_map";
        public override bool TakesLogits => true;
        public override Activation FusedActivation => Activation.Softmax;
        public override double Compute(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int rowLength, float gradientScale)
            => throw new InvalidOperationException("must not be reached");
    }
}
