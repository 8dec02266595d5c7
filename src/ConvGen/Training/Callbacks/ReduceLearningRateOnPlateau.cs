namespace ConvGen.Training;

/// <summary>Multiplies the learning rate by <c>factor</c> when the monitored metric stalls for <c>patience</c> epochs.</summary>
public sealed class ReduceLearningRateOnPlateau : Callback
{
    private readonly Monitor _monitor;
    private readonly float _factor;
    private readonly int _patience;
    private readonly double _minDelta;
    private readonly float _minRate;
    private PlateauTracker? _tracker;

    /// <summary>Creates the callback (Keras defaults: factor 0.1, patience 10; smaller patience suits short runs).</summary>
    public ReduceLearningRateOnPlateau(string monitor = "val_loss", float factor = 0.1f, int patience = 10, double minDelta = 1e-4, float minRate = 0f)
    {
        _monitor = new Monitor(monitor);
        _factor = factor;
        _patience = patience;
        _minDelta = minDelta;
        _minRate = minRate;
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context) => _tracker = new PlateauTracker(_factor, _patience, _minDelta, _minRate);

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        float current = context.Optimizer.LearningRate;
        float next = _tracker!.Update(current, _monitor.Score(result));
        if (next != current)
        {
            context.Optimizer.LearningRate = next;
            context.LearningRateOverridden = true;
            context.Options.Progress?.WriteLine($"Reducing the learning rate to {next:G4} ({_monitor.Name} has not improved for {_patience} epochs).");
        }
    }
}
