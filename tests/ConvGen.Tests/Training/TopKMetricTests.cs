using System.Linq;
using ConvGen.Data;
using ConvGen.Training;
using ConvGen.Training.Metrics;

namespace ConvGen.Tests.Training;

/// <summary>Fit's <c>top_K_accuracy</c> is <see cref="Classification.TopKAccuracy"/> of the same predictions.</summary>
public class TopKMetricTests
{
    [Fact]
    public void Fit_reports_the_top_k_accuracy_of_its_predictions()
    {
        var network = ShapesNet.Create(11);
        var validation = SyntheticData.Shapes(300, 12);
        var history = network.Fit(SyntheticData.Shapes(320, 13), Options(new Adam(0.01f), validation));
        AssertValidationMetricsMatch(network, validation, history);
    }

    // All weights zero: every class scores the same for every sample, so the tie rule alone
    // decides; the rule under which ties count for the label would report 1.0 here.
    [Fact]
    public void Fit_breaks_ties_as_Classification_TopKAccuracy_does()
    {
        var network = ShapesNet.Create(11);
        network.Parameters.Clear();
        var validation = SyntheticData.Shapes(300, 12);
#pragma warning disable CG0214 // a learning rate of 0 on purpose: the weights must stay at zero
        var history = network.Fit(SyntheticData.Shapes(64, 13), Options(new Sgd(0f), validation));
#pragma warning restore CG0214
        var labels = validation.Targets.ToArray().Select(t => (int)t).ToArray();
        Assert.Equal(labels.Count(l => l < 2) / 300.0, history.Last["val_top_2_accuracy"], 12);
        Assert.Equal(labels.Count(l => l == 0) / 300.0, history.Last["val_accuracy"], 12);
        AssertValidationMetricsMatch(network, validation, history);
    }

    private static TrainingOptions Options(Optimizer optimizer, Dataset validation) => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = optimizer,
        Epochs = 1,
        BatchSize = 32,
        Seed = 3,
        Threads = 2,
        TopK = 2,
        ValidationData = validation,
        Progress = null,
    };

    private static void AssertValidationMetricsMatch(ShapesNet network, Dataset validation, History history)
    {
        float[] predictions = network.Predict(validation, threads: 1);
        var labels = validation.Targets.ToArray().Select(t => (int)t).ToArray();
        Assert.Equal(Classification.TopKAccuracy(predictions, labels, validation.Count, 4, 2), history.Last["val_top_2_accuracy"], 12);
        Assert.Equal(Classification.TopKAccuracy(predictions, labels, validation.Count, 4, 1), history.Last["val_accuracy"], 12);
        var evaluation = network.Evaluate(validation, new SparseSoftmaxCrossEntropy(), threads: 1);
        Assert.Equal(history.Last["val_accuracy"], evaluation.Accuracy, 12);
    }
}
