using System.Collections.Generic;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>Early stopping, best-weight restore, plateau-driven learning rates and user callbacks.</summary>
public class CallbackTests
{
    private static TrainingOptions Options(int epochs, params Callback[] callbacks)
    {
        var options = new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = new Adam(0.01f),
            Epochs = epochs,
            BatchSize = 32,
            Seed = 4,
            Threads = 2,
            Progress = null,
        };
        foreach (var callback in callbacks) options.Callbacks.Add(callback);
        return options;
    }

    [Fact]
    public void Early_stopping_stops_after_the_patience_and_restores_the_best_epochs_weights()
    {
        var network = ShapesNet.Create(1);
        var weightsAfterEpoch = new Dictionary<int, float[]>();
        var recorder = new LambdaCallback((context, result) => weightsAfterEpoch[result.Epoch] = context.Network.Parameters.ToArray());
        // A min-delta no epoch can beat: epoch 1 is the best, and training stops once patience runs out.
        var stopper = new EarlyStopping("loss", patience: 2, minDelta: 1e9, restoreBestWeights: true);
        var history = network.Fit(SyntheticData.Shapes(160, 1), Options(10, recorder, stopper));

        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, stopper.BestEpoch);
        Assert.Equal(3, stopper.StoppedEpoch);
        Assert.Equal(weightsAfterEpoch[1], network.Parameters.ToArray());
        Assert.NotEqual(weightsAfterEpoch[3], weightsAfterEpoch[1]);
    }

    [Fact]
    public void Reduce_on_plateau_lowers_the_rate_once_the_metric_stalls()
    {
        var network = ShapesNet.Create(1);
        var reduce = new ReduceLearningRateOnPlateau("loss", factor: 0.5f, patience: 1, minDelta: 1e9);
        var history = network.Fit(SyntheticData.Shapes(160, 1), Options(4, reduce));
        var rates = history.Series("lr");
        Assert.Equal(0.01, rates[0], 6);
        Assert.Equal(0.01, rates[1], 6);   // epoch 2 is the first without improvement: the rate drops after it
        Assert.Equal(0.005, rates[2], 6);
        Assert.Equal(0.0025, rates[3], 6);
    }

    [Fact]
    public void A_user_callback_sees_every_epoch_and_can_stop_training()
    {
        var network = ShapesNet.Create(1);
        var seen = new List<int>();
        var stopAtTwo = new LambdaCallback((context, result) =>
        {
            seen.Add(result.Epoch);
            if (result.Epoch == 2) context.StopTraining = true;
        });
        var history = network.Fit(SyntheticData.Shapes(96, 1), Options(5, stopAtTwo));
        Assert.Equal(new[] { 1, 2 }, seen);
        Assert.Equal(2, history.Epochs.Count);
        Assert.True(history.Last.Metrics.ContainsKey("accuracy"));
    }
}
