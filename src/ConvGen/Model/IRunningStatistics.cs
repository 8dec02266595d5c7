using System.Collections.Generic;

namespace ConvGen;

/// <summary>
/// A network with state that training updates besides the parameters: BatchNorm's running mean
/// and variance. Each training thread's <see cref="ITrainableNetwork.ForwardTraining(System.ReadOnlySpan{float}, ITrainingWorkspace, int, DropoutContext, bool)"/> records
/// the statistics of its part of the batch; after the step the trainer calls
/// <see cref="UpdateRunningStatistics"/> once with every thread's workspace, which merges the
/// parts into the statistics of the whole batch (exact, in thread order) and updates the
/// running averages. Passes without batch statistics (evaluation) record nothing.
/// </summary>
public interface IRunningStatistics
{
    /// <summary>Merges the statistics recorded in <paramref name="workspaces"/> since the last call, updates the running averages and clears the records.</summary>
    void UpdateRunningStatistics(IReadOnlyList<ITrainingWorkspace> workspaces);
}
