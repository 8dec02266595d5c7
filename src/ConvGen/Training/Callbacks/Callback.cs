namespace ConvGen.Training;

/// <summary>Hooks into <see cref="Trainer.Fit"/>, like Keras callbacks. Override what you need.</summary>
public abstract class Callback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }

    /// <summary>After each epoch, once its validation figures are in <paramref name="result"/>.</summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochResult result) { }

    /// <summary>After the last epoch (or after a callback stopped training).</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }
}

/// <summary>What callbacks can see and change during training.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(ITrainableNetwork network, TrainingOptions options, History history, bool isRoot = true)
    {
        Network = network;
        Options = options;
        History = history;
        IsRoot = isRoot;
    }

    /// <summary>True in the process that logs and writes files (rank 0, or the only process).</summary>
    public bool IsRoot { get; }

    /// <summary>The network being trained.</summary>
    public ITrainableNetwork Network { get; }

    /// <summary>The options of this run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The history so far.</summary>
    public History History { get; }

    /// <summary>The optimizer (its learning rate may be changed).</summary>
    public Optimizer Optimizer => Options.Optimizer;

    /// <summary>0-based index of the epoch that just ended (or is about to run).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Set to end training after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Set when a callback changed the learning rate, so the schedule does not overwrite it.</summary>
    public bool LearningRateOverridden { get; set; }
}

/// <summary>Calls a delegate after every epoch.</summary>
public sealed class LambdaCallback : Callback
{
    private readonly System.Action<TrainingContext, EpochResult> _onEpochEnd;

    /// <summary>Wraps <paramref name="onEpochEnd"/>.</summary>
    public LambdaCallback(System.Action<TrainingContext, EpochResult> onEpochEnd) => _onEpochEnd = onEpochEnd;

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result) => _onEpochEnd(context, result);
}
