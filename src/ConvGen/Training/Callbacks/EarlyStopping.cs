using System;

namespace ConvGen.Training;

/// <summary>Stops training when the monitored metric has not improved for <see cref="Patience"/> epochs; optionally restores the best weights.</summary>
public sealed class EarlyStopping : Callback
{
    private Monitor _monitor;
    private double _best;
    private int _wait;
    private float[]? _bestWeights;

    /// <summary>Creates the callback.</summary>
    public EarlyStopping(string monitor = "val_loss", int patience = 3, double minDelta = 0, bool restoreBestWeights = true)
    {
        _monitor = new Monitor(monitor);
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are put back when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>1-based epoch with the best value, 0 before any.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>1-based epoch after which training stopped, 0 if it did not stop early.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        _best = double.PositiveInfinity;
        _wait = 0;
        BestEpoch = 0;
        StoppedEpoch = 0;
        _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        double score = _monitor.Score(result);
        if (Monitor.Improves(score, _best, MinDelta))
        {
            _best = score;
            _wait = 0;
            BestEpoch = result.Epoch;
            if (RestoreBestWeights)
            {
                _bestWeights ??= new float[context.Network.Parameters.Length];
                context.Network.Parameters.CopyTo(_bestWeights);
            }
            return;
        }
        if (++_wait >= Patience)
        {
            StoppedEpoch = result.Epoch;
            context.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context)
    {
        if (RestoreBestWeights && _bestWeights is not null)
        {
            _bestWeights.AsSpan().CopyTo(context.Network.Parameters);
            context.Options.Progress?.WriteLine($"Early stopping: restored the weights of epoch {BestEpoch} (best {_monitor.Name}).");
        }
    }
}
