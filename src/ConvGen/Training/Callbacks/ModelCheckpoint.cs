namespace ConvGen.Training;

/// <summary>
/// Saves the full training state (weights, optimizer moments, epoch, learning rate) after each
/// epoch, or only when the monitored metric improves (a NaN or infinite value never does). Writes
/// are atomic, so a crash never leaves a half-written checkpoint (the temporary file a killed
/// write leaves behind is deleted by the next save), and non-finite weights or optimizer state
/// are never written (a warning line instead, keeping the last good file); resume with
/// <see cref="TrainingCheckpoint.Load(string, ITrainableNetwork, Optimizer)"/>.
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
        double score = SaveBestOnly ? _monitor.Score(result) : double.NaN;
        if (SaveBestOnly && !Monitor.Improves(score, _best))
        {
            return;
        }
        // Never write NaN or infinite weights or optimizer state (possible with
        // TrainingOptions.OnNonFinite = Ignore): the file on disk keeps its last good contents.
        // The weights are the same on every process, so every process skips alike.
        if (Finiteness.DescribeNonFinite(context.Network, context.Optimizer) is { } bad)
        {
            if (context.IsRoot)
            {
                context.Options.Progress?.WriteLine($"Warning: checkpoint '{Path}' not written after epoch {result.Epoch}: {bad}.");
            }
            return;
        }
        if (SaveBestOnly)
        {
            _best = score;
        }
        if (context.IsRoot)
        {
            TrainingCheckpoint.Save(Path, context.Network, context.Optimizer, result.Epoch, context.Options.Seed);
        }
    }
}
