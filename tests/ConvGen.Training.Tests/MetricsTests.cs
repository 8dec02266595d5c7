using System;
using System.Linq;
using ConvGen.Training.Metrics;

namespace ConvGen.Training.Tests;

public class MetricsTests
{
    // actual -> predicted: 0->0 x2, 0->1, 0->2, 1->1 x3, 1->2, 2->2 x2, 2->0   (11 samples, 7 right)
    private static ConfusionMatrix HandExample()
    {
        var matrix = new ConfusionMatrix(3, new[] { "cat", "dog", "bird" });
        (int Actual, int Predicted, int Times)[] pairs = { (0, 0, 2), (0, 1, 1), (0, 2, 1), (1, 1, 3), (1, 2, 1), (2, 2, 2), (2, 0, 1) };
        foreach (var (actual, predicted, times) in pairs)
        {
            for (int i = 0; i < times; i++)
            {
                matrix.Add(actual, predicted);
            }
        }
        return matrix;
    }

    [Fact]
    public void Confusion_matrix_counts_and_accuracy()
    {
        ConfusionMatrix matrix = HandExample();
        Assert.Equal(11, matrix.Total);
        Assert.Equal(2, matrix.Count(0, 0));
        Assert.Equal(1, matrix.Count(2, 0));
        Assert.Equal(0, matrix.Count(1, 0));
        Assert.Equal(7.0 / 11, matrix.Accuracy, 12);
        Assert.Equal(4, matrix.Support(0));
    }

    [Fact]
    public void Precision_recall_and_f1_per_class()
    {
        ConfusionMatrix matrix = HandExample();
        Assert.Equal(2.0 / 3, matrix.Precision(0), 12); // predicted 0: 2 right of 3
        Assert.Equal(3.0 / 4, matrix.Precision(1), 12); // predicted 1: 3 of 4
        Assert.Equal(2.0 / 4, matrix.Precision(2), 12); // predicted 2: 2 of 4
        Assert.Equal(2.0 / 4, matrix.Recall(0), 12);    // actual 0: 2 of 4
        Assert.Equal(3.0 / 4, matrix.Recall(1), 12);
        Assert.Equal(2.0 / 3, matrix.Recall(2), 12);
        Assert.Equal(4.0 / 7, matrix.F1(0), 12);        // 2 (2/3)(1/2) / (2/3 + 1/2)
        Assert.Equal(0.75, matrix.F1(1), 12);
    }

    [Fact]
    public void Classes_never_predicted_or_present_score_zero_not_NaN()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(0, 0);
        matrix.Add(1, 0);
        Assert.Equal(0, matrix.Precision(1));
        Assert.Equal(0, matrix.Recall(2));
        Assert.Equal(0, matrix.F1(2));
        Assert.Equal(0, new ConfusionMatrix(2).Accuracy);
        matrix.Clear();
        Assert.Equal(0, matrix.Total);
        Assert.Equal(0, matrix.Count(0, 0));
    }

    [Fact]
    public void ToString_renders_an_aligned_table_with_names_precision_and_recall()
    {
        string text = HandExample().ToString();
        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("Confusion matrix: 11 samples, accuracy 0.6364", lines[0]);
        Assert.Equal("actual \\ predicted 0 1 2", lines[1]);
        Assert.Equal("0 cat              2 1 1", lines[2]);
        Assert.Equal("1 dog              0 3 1", lines[3]);
        Assert.Equal("2 bird             1 0 2", lines[4]);
        Assert.Equal("class               precision     recall         f1    support", lines[6]);
        Assert.Equal("0 cat                  0.6667     0.5000     0.5714          4", lines[7]);
        Assert.Equal("2 bird                 0.5000     0.6667     0.5714          3", lines[9]);
    }

    [Fact]
    public void Confusion_matrix_validates_classes()
    {
        var matrix = new ConfusionMatrix(3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(3, 0));
        Assert.Contains("actual must be a class index from 0 to 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(0));
        var names = Assert.Throws<ArgumentException>(() => new ConfusionMatrix(3, new[] { "a", "b" }));
        Assert.Contains("classNames has 2 names but there are 3 classes", names.Message);
    }

    [Fact]
    public void ArgMax_returns_the_first_largest_index()
    {
        Assert.Equal(2, Classification.ArgMax(new[] { 0.1f, 0.3f, 0.5f, 0.1f }));
        Assert.Equal(1, Classification.ArgMax(new[] { 0f, 7f, 7f }));
        Assert.Equal(0, Classification.ArgMax(new[] { -3f }));
        Assert.Throws<ArgumentException>(() => Classification.ArgMax(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void TopKAccuracy_counts_labels_among_the_k_best_scores()
    {
        float[] scores =
        {
            0.1f, 0.5f, 0.4f, // label 2: second best
            0.7f, 0.2f, 0.1f, // label 0: best
            0.3f, 0.4f, 0.3f, // label 0: tied second, ranked second (lower index)
            0.1f, 0.2f, 0.7f, // label 0: last
        };
        int[] labels = { 2, 0, 0, 0 };
        Assert.Equal(0.25, Classification.TopKAccuracy(scores, labels, 4, 3, 1), 12);
        Assert.Equal(0.75, Classification.TopKAccuracy(scores, labels, 4, 3, 2), 12);
        Assert.Equal(1.0, Classification.TopKAccuracy(scores, labels, 4, 3, 3), 12);
        // Equal scores rank by class index (see TopKTests): the tie at the boundary goes to class 0.
        Assert.Equal(0.0, Classification.TopKAccuracy(new[] { 0.5f, 0.5f, 0f }, new[] { 1 }, 1, 3, 1), 12);
        Assert.Equal(1.0, Classification.TopKAccuracy(new[] { 0.5f, 0.5f, 0f }, new[] { 0 }, 1, 3, 1), 12);
    }

    [Fact]
    public void TopKAccuracy_validates_its_arguments()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Classification.TopKAccuracy(new float[6], new int[2], 2, 3, 4));
        Assert.Contains("k must be from 1 to the number of classes (3)", e.Message);
        var lengths = Assert.Throws<ArgumentException>(() => Classification.TopKAccuracy(new float[5], new int[2], 2, 3, 1));
        Assert.Contains("scores holds 5 floats but 2 rows of 3 classes need 6", lengths.Message);
        var label = Assert.Throws<ArgumentException>(() => Classification.TopKAccuracy(new float[6], new[] { 0, 3 }, 2, 3, 1));
        Assert.Contains("labels[1] is 3", label.Message);
    }

    [Fact]
    public void Regression_errors_average_over_all_values()
    {
        float[] predictions = { 1f, 2f, 3f, 4f };
        float[] targets = { 0f, 4f, 3f, 3.5f };
        Assert.Equal((1 + 2 + 0 + 0.5) / 4, Regression.MeanAbsoluteError(predictions, targets), 12);
        Assert.Equal((1 + 4 + 0 + 0.25) / 4, Regression.MeanSquaredError(predictions, targets), 12);
        var e = Assert.Throws<ArgumentException>(() => Regression.MeanAbsoluteError(predictions, new float[3]));
        Assert.Contains("targets holds 3 values but predictions holds 4", e.Message);
    }
}
