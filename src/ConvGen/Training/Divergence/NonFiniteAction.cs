namespace ConvGen.Training;

/// <summary>
/// What <see cref="Trainer.Fit"/> does when a step meets a NaN or infinity — in an input sample,
/// the loss, the summed gradients or the BatchNorm running statistics — before the optimizer
/// would apply it (<see cref="TrainingOptions.OnNonFinite"/>).
/// </summary>
public enum NonFiniteAction
{
    /// <summary>
    /// The default (Keras' <c>TerminateOnNaN</c>, but on by default): the step is not applied,
    /// training ends, <see cref="History.Stop"/> says where and why, and the network keeps the
    /// weights, optimizer state and running statistics of the last good step.
    /// </summary>
    Stop,

    /// <summary>
    /// The step is not applied and training goes on with the next batch; the count is in
    /// <see cref="History.SkippedSteps"/>. For rare bad samples; a diverging run keeps skipping.
    /// </summary>
    SkipStep,

    /// <summary>No check: every step is applied, as in plain PyTorch. Non-finite values spread into the weights.</summary>
    Ignore,
}

/// <summary>Where the non-finite value that stopped (or skipped) a step was found.</summary>
public enum NonFiniteValue
{
    /// <summary>An input or target value of a training sample (after augmentation).</summary>
    Input,

    /// <summary>The step's loss.</summary>
    Loss,

    /// <summary>The step's summed parameter gradients.</summary>
    Gradient,

    /// <summary>The BatchNorm running statistics the step would have stored.</summary>
    RunningStatistics,

    /// <summary>The weights after a step with finite gradients (an update too large for float).</summary>
    Weights,
}
