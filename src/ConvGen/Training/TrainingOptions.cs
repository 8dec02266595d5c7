using System;
using System.Collections.Generic;
using System.IO;
using ConvGen.Data;

namespace ConvGen.Training;

/// <summary>Everything <see cref="Trainer.Fit"/> needs besides the network and the data, with Keras-like defaults.</summary>
public sealed class TrainingOptions
{
    /// <summary>The loss; must fit the network's last activation (checked before training starts).</summary>
    public required Loss Loss { get; init; }

    /// <summary>The optimizer; its <see cref="Optimizer.LearningRate"/> is the initial rate.</summary>
    public required Optimizer Optimizer { get; init; }

    /// <summary>Number of passes over the training data (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per optimizer step (default 32); the last step of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Reshuffle the training data every epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Fixes shuffling, the validation split and dropout masks. With the same seed and thread count, training is bit-identical.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads that split each batch (default: all cores). Results depend on it only through the order of float additions.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Fraction of the training data held out for validation (taken after a seeded shuffle); ignored when <see cref="ValidationData"/> is set.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Separate validation data.</summary>
    public IDataSource? ValidationData { get; init; }

    /// <summary>
    /// Threads that read (decode, augment) each batch in the background while the previous batch
    /// trains (default 1). More help when decoding images from disk is the bottleneck; results
    /// do not depend on it. With the default, training that takes every core reads an in-memory
    /// <see cref="Data.Dataset"/>'s next batch on its own threads at the end of each step instead,
    /// so no reader takes a core from them.
    /// </summary>
    public int DataThreads { get; init; } = 1;

    /// <summary>Applied to each training sample as it is read (never to validation data), seeded per epoch and sample.</summary>
    public ISampleAugmentation? Augmentation { get; init; }

    /// <summary>Learning-rate schedule applied at the start of each epoch.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Callbacks, called in order.</summary>
    public IList<Callback> Callbacks { get; init; } = new List<Callback>();

    /// <summary>Where progress goes (default the console; null for silence). A live bar on a terminal, one line per epoch otherwise.</summary>
    public TextWriter? Progress { get; init; } = Console.Out;

    /// <summary>First epoch to run (0-based), for resuming from a checkpoint.</summary>
    public int InitialEpoch { get; init; }

    /// <summary>
    /// Data-parallel training over several processes (e.g. <see cref="Distributed.MpiCommunicator"/>
    /// under <c>mpirun</c>): each process reads its own share of every batch, gradients are summed
    /// across processes each step, rank 0's weights, optimizer state and seed are broadcast at the
    /// start, and only rank 0 prints progress and writes checkpoints. <see cref="BatchSize"/> is per
    /// process. Null (the default) is one process.
    /// </summary>
    public Distributed.ICommunicator? Communicator { get; init; }

    /// <summary>
    /// With a <see cref="Communicator"/> of several processes: gradients are summed over the
    /// processes in buckets of whole layers, each of at least this many values (default 65,536 =
    /// 256 KiB), and a bucket's sum starts as soon as backward has finished its layers, while the
    /// layers below are still being differentiated. Smaller buckets overlap more but pay the
    /// all-reduce latency more often. Bucket boundaries are fixed, so results do not depend on timing.
    /// </summary>
    public int AllReduceBucketValues { get; init; } = 1 << 16;

    /// <summary>
    /// With a <see cref="Communicator"/> of several processes: BatchNorm layers normalise over the
    /// global batch (every process's share), exchanging their statistics and backward sums with
    /// all-reduces inside each step, like PyTorch's <c>SyncBatchNorm</c>; then 2 processes with
    /// <see cref="BatchSize"/> 32 train what 1 process with 64 trains, up to rounding. Off (the
    /// default, as in PyTorch DDP): each process normalises its own share, which costs no
    /// communication inside the step. The threads of one process always share their statistics.
    /// A last step that would leave a process without samples is skipped on every process.
    /// </summary>
    public bool SyncBatchNorm { get; init; }

    /// <summary>
    /// Also report top-k accuracy for this k (classification only; 0 = off). Equal scores rank by
    /// class index, as in <see cref="Metrics.TopK.Contains"/>.
    /// </summary>
    public int TopK { get; init; }

    /// <summary>
    /// What happens to a step whose input samples, loss, summed gradients or BatchNorm running
    /// statistics hold a NaN or infinity: <see cref="NonFiniteAction.Stop"/> (default) refuses the
    /// step, keeps the last good weights and ends training with <see cref="History.Stop"/> set and
    /// one line printed; <see cref="NonFiniteAction.SkipStep"/> refuses it and goes on;
    /// <see cref="NonFiniteAction.Ignore"/> checks nothing. Finite runs give the same weights whatever the choice.
    /// </summary>
    public NonFiniteAction OnNonFinite { get; init; } = NonFiniteAction.Stop;

    /// <summary>
    /// A step whose mean loss exceeds this many times the first step's is reported once, with a
    /// warning line and <see cref="History.LossGrowth"/> (default 1000; training goes on).
    /// <see cref="double.PositiveInfinity"/> turns the warning off.
    /// </summary>
    public double LossGrowthFactor { get; init; } = 1000;
}
