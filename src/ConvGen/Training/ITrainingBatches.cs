using System;

namespace ConvGen.Training;

/// <summary>
/// Where the training loop takes its batches from: read ahead on a background thread
/// (<see cref="BatchPrefetcher"/>) or by the training threads during the step before
/// (<see cref="InStepBatches"/>). Either gives the same batches.
/// </summary>
internal interface ITrainingBatches : IDisposable
{
    /// <summary>
    /// Starts an epoch: batches of <paramref name="stepCounts"/>[s] samples taken in turn from
    /// <paramref name="order"/>; <paramref name="positions"/> gives each sample's place in the
    /// epoch's global order, which seeds its augmentation.
    /// </summary>
    void Start(int[] order, int[] stepCounts, int[] positions, int epoch);

    /// <summary>The next batch, read and checked for non-finite values; give it back with <see cref="Release"/> once used.</summary>
    BatchBuffer Next();

    void Release(BatchBuffer batch);
}
