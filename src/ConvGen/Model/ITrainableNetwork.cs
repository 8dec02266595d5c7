using System;

namespace ConvGen;

/// <summary>
/// The training side of a generated network: a forward pass that keeps what backward needs,
/// the backward pass into per-workspace gradient buffers, and layer freezing. The runtime's
/// training loop drives it; one <see cref="ITrainingWorkspace"/> per thread.
/// </summary>
public interface ITrainableNetwork : INetwork
{
    /// <summary>The last layer's activation; losses fuse softmax / sigmoid with it.</summary>
    Activation OutputActivation { get; }

    /// <summary>Allocates activations and gradient buffers for up to <paramref name="capacity"/> samples.</summary>
    ITrainingWorkspace CreateTrainingWorkspace(int capacity);

    /// <summary>
    /// Training-mode forward pass on <paramref name="batch"/> samples: dropout active, every
    /// intermediate kept. Fills <see cref="ITrainingWorkspace.Logits"/> (the last layer before
    /// its activation) and <see cref="ITrainingWorkspace.Outputs"/>.
    /// </summary>
    /// <remarks>BatchNorm normalises with the batch's statistics exactly when dropout is enabled; to set the two apart call <see cref="ForwardTraining(ReadOnlySpan{float}, ITrainingWorkspace, int, DropoutContext, bool)"/>.</remarks>
    void ForwardTraining(ReadOnlySpan<float> inputs, ITrainingWorkspace workspace, int batch, DropoutContext dropout);

    /// <summary>
    /// <see cref="ForwardTraining(ReadOnlySpan{float}, ITrainingWorkspace, int, DropoutContext)"/> with
    /// BatchNorm's mode given on its own: with <paramref name="batchStatistics"/> BatchNorm normalises
    /// with this call's batch and records its statistics for
    /// <see cref="IRunningStatistics.UpdateRunningStatistics"/> (training); without, it uses the running
    /// statistics and records nothing (evaluation), whatever <paramref name="dropout"/> says. Frozen
    /// BatchNorm layers always use the running statistics. Generated networks with BatchNorm implement
    /// it; the default serves networks without running statistics, where the flag changes nothing.
    /// </summary>
    void ForwardTraining(ReadOnlySpan<float> inputs, ITrainingWorkspace workspace, int batch, DropoutContext dropout, bool batchStatistics)
    {
        if (this is IRunningStatistics && batchStatistics != dropout.Enabled)
        {
            throw new NotSupportedException(
                $"{GetType().Name} keeps running statistics but does not implement ForwardTraining with batchStatistics, so its BatchNorm mode cannot differ from the dropout setting.");
        }
        ForwardTraining(inputs, workspace, batch, dropout);
    }

    /// <summary>
    /// Backward pass for the batch last run through <see cref="ForwardTraining(ReadOnlySpan{float}, ITrainingWorkspace, int, DropoutContext)"/>. Reads the loss
    /// gradient from <see cref="ITrainingWorkspace.OutputGradient"/> — with respect to the logits
    /// when <paramref name="gradientIsForLogits"/> (softmax / sigmoid fused into the loss), else
    /// with respect to the outputs — and adds the parameter gradients into
    /// <see cref="ITrainingWorkspace.Gradients"/>. Frozen layers get no gradient.
    /// </summary>
    void Backward(ReadOnlySpan<float> inputs, ITrainingWorkspace workspace, int batch, bool gradientIsForLogits);

    /// <summary>
    /// <see cref="Backward(ReadOnlySpan{float}, ITrainingWorkspace, int, bool)"/> that also reports to
    /// <paramref name="progress"/> each time a layer's parameter gradients are complete. Generated
    /// networks report after every layer with parameters; the default reports nothing, and callers
    /// then treat every gradient as final only when the call returns.
    /// </summary>
    void Backward(ReadOnlySpan<float> inputs, ITrainingWorkspace workspace, int batch, bool gradientIsForLogits, BackwardProgress? progress)
        => Backward(inputs, workspace, batch, gradientIsForLogits);

    /// <summary>Whether layer <paramref name="layerIndex"/> is frozen (no gradient, no update).</summary>
    bool IsFrozen(int layerIndex);

    /// <summary>Freezes or unfreezes one layer.</summary>
    void SetFrozen(int layerIndex, bool frozen);
}

/// <summary>Per-thread buffers of a training step.</summary>
public interface ITrainingWorkspace
{
    /// <summary>Largest batch the workspace holds.</summary>
    int Capacity { get; }

    /// <summary>Last layer before its activation, <c>Capacity x OutputLength</c>.</summary>
    Span<float> Logits { get; }

    /// <summary>Network outputs after the last activation, <c>Capacity x OutputLength</c>.</summary>
    Span<float> Outputs { get; }

    /// <summary>Loss gradient written by the loss before <see cref="ITrainableNetwork.Backward(ReadOnlySpan{float}, ITrainingWorkspace, int, bool)"/>, <c>Capacity x OutputLength</c>.</summary>
    Span<float> OutputGradient { get; }

    /// <summary>Parameter gradients, same layout as <see cref="INetwork.Parameters"/>; backward adds into it.</summary>
    Span<float> Gradients { get; }

    /// <summary>
    /// The part of a batch that several threads share, which this workspace trains: BatchNorm
    /// layers exchange their statistics through it and normalise over the whole batch. Null (the
    /// default) when the workspace's batch is the whole batch. A network without such layers
    /// keeps nothing.
    /// </summary>
    Parallel.BatchShare? Share { get => null; set { } }

    /// <summary>
    /// The chunks of the batch this workspace trains and where their parameter gradients go (see
    /// <see cref="Parallel.GradientChunks"/>), set by the training step. Null (the default): backward
    /// adds the whole batch's gradient into <see cref="Gradients"/>. A network generated without
    /// chunk support keeps nothing; the training step then adds its threads' gradients in thread order.
    /// </summary>
    Parallel.GradientChunks? Chunks { get => null; set { } }
}

/// <summary>
/// Seeds dropout masks. A sample's mask depends only on <see cref="Seed"/>, its position in the
/// epoch and the layer, so results do not depend on how a batch is split across threads.
/// </summary>
/// <param name="Seed">Mixes the run's seed with the epoch and step.</param>
/// <param name="FirstSample">Position of the first sample of this call within the step's batch.</param>
/// <param name="Enabled">False for evaluation: dropout layers pass values through unchanged.</param>
public readonly record struct DropoutContext(ulong Seed, long FirstSample, bool Enabled = true)
{
    /// <summary>No dropout: the training forward pass computes what inference computes (used to evaluate losses on logits).</summary>
    public static DropoutContext Off => new(0, 0, false);
}
