using System;
using ConvGen.Training.Metrics;

namespace ConvGen.Training.Tests.Segmentation;

public class SegmentationMetricsTests
{
    [Fact]
    public void IoU_and_mean_IoU_match_hand_computed_values()
    {
        // Pixels (actual -> predicted): 0->0 x3, 0->1 x1, 1->1 x2, 1->0 x1, 2->2 x0 (class 2 absent and never predicted).
        var matrix = new ConfusionMatrix(3);
        matrix.Add(0, 0, 3);
        matrix.Add(0, 1, 1);
        matrix.Add(1, 1, 2);
        matrix.Add(1, 0, 1);

        // Class 0: TP 3, FN 1, FP 1 -> 3/5. Class 1: TP 2, FN 1, FP 1 -> 2/4.
        Assert.Equal(0.6, matrix.IoU(0), 12);
        Assert.Equal(0.5, matrix.IoU(1), 12);
        Assert.True(double.IsNaN(matrix.IoU(2)));
        // Class 2 is left out of the mean (Keras MeanIoU), not counted as 0.
        Assert.Equal(0.55, matrix.MeanIoU, 12);
        Assert.Equal(5.0 / 7, matrix.Accuracy, 12);
        Assert.Equal(7, matrix.Total);
        Assert.Equal(4, matrix.Predicted(0));
    }

    [Fact]
    public void A_class_predicted_but_absent_counts_with_IoU_zero()
    {
        long[] counts = { 2, 2, 0, 0 }; // actual 0: 2 right, 2 predicted as 1; class 1 never present
        Assert.Equal((0.5 + 0.0) / 2, ConvGen.Training.Metrics.Segmentation.MeanIoU(counts, 2), 12);
        Assert.Equal(0.0, ConvGen.Training.Metrics.Segmentation.MeanIoU(new long[4], 2));
    }

    [Fact]
    public void Mean_IoU_refuses_counts_of_the_wrong_size()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvGen.Training.Metrics.Segmentation.MeanIoU(new long[5], 2));
        Assert.Contains("5 values but 2 classes need 4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(2).Add(0, 1, -1));
    }
}
