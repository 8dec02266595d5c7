using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>Why and where <see cref="Trainer.Fit"/> stopped before its last epoch because of a non-finite value (<see cref="History.Stop"/>).</summary>
/// <param name="Value">What was not finite.</param>
/// <param name="Epoch">1-based epoch of the refused step.</param>
/// <param name="Step">1-based step within that epoch.</param>
/// <param name="Samples">Indices (into the training data) of this process's samples in the refused step.</param>
/// <param name="Message">The line printed to the progress output.</param>
public sealed record TrainingStop(NonFiniteValue Value, int Epoch, int Step, IReadOnlyList<int> Samples, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>
/// The first step whose mean loss exceeded <see cref="TrainingOptions.LossGrowthFactor"/> times
/// the first step's (<see cref="History.LossGrowth"/>): the run is probably diverging.
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based step within that epoch.</param>
/// <param name="Loss">That step's mean loss.</param>
/// <param name="FirstLoss">The mean loss of the run's first step, the reference.</param>
/// <param name="Message">The warning line printed to the progress output.</param>
public sealed record LossGrowthWarning(int Epoch, int Step, double Loss, double FirstLoss, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
