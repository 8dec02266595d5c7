namespace ConvGen.Training;

/// <summary>
/// Saves the full training state (weights, optimizer moments, epoch, learning rate) after each
/// epoch, or only when the monitored metric improves. Writes are atomic, so a crash never
/// leaves a half-written checkpoint (the temporary file a killed write leaves behind is deleted
/// by the next save), and a network that diverged to NaN or infinity is refused with an
/// <see cref="System.InvalidOperationException"/> rather than written over the last good
/// checkpoint; resume with <see cref="TrainingCheckpoint.Load(string, ITrainableNetwork, Optimizer)"/>.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly Monitor _monitor;
    private double _best = double.PositiveInfinity;

    /// <summary>Creates the callback writing to <paramref name="path"/> (a <c>.safetensors</c> file).</summary>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false)
    {
        Path = path;
        _monitor = new Monitor(monitor);
        SaveBestOnly = saveBestOnly;
    }

    /// <summary>Checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Only save when the monitored metric improved.</summary>
    public bool SaveBestOnly { get; }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        if (SaveBestOnly)
        {
            double score = _monitor.Score(result);
            if (score >= _best)
            {
                return;
            }
            _best = score;
        }
        if (context.IsRoot)
        {
            TrainingCheckpoint.Save(Path, context.Network, context.Optimizer, result.Epoch, context.Options.Seed);
        }
    }
}
