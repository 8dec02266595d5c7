using System;
using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// Updates a network's single parameter buffer from its gradient buffer. Only the
/// <see cref="ParameterRange"/>s passed to <see cref="Step"/> are read or written; state
/// (moments) is allocated once, on the first step, with the length of the whole buffer so that
/// offsets stay valid when the set of trainable ranges changes (fine-tuning after freezing).
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;
    private float _weightDecay;

    /// <summary>Sets the initial learning rate.</summary>
    protected Optimizer(float learningRate)
    {
        LearningRate = learningRate;
    }

    /// <summary>Step size; schedules and callbacks change it between steps. Finite and at least 0.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = NonNegative(value, nameof(LearningRate));
    }

    /// <summary>
    /// Weight-decay coefficient, finite and at least 0. <see cref="Sgd"/>, <see cref="Adam"/> and
    /// <see cref="RmsProp"/> add <c>WeightDecay * w</c> to the gradient (L2 regularisation);
    /// <see cref="AdamW"/> shrinks the weights directly (decoupled decay).
    /// </summary>
    public float WeightDecay
    {
        get => _weightDecay;
        set => _weightDecay = NonNegative(value, nameof(WeightDecay));
    }

    /// <summary>Whether ranges marked <see cref="ParameterRange.IsBias"/> are decayed too (default false: decaying biases only hurts fit).</summary>
    public bool DecayBiases { get; set; }

    /// <summary>Number of completed <see cref="Step"/> calls (Adam's bias correction counts from it).</summary>
    public long StepCount { get; protected set; }

    /// <summary>Short name for logs, e.g. <c>Adam</c>.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>
    /// Applies one update to the <paramref name="trainable"/> ranges of <paramref name="parameters"/>
    /// using <paramref name="gradients"/> (same length as <paramref name="parameters"/>, already
    /// averaged over the batch). Ranges must lie inside the buffer and must not overlap.
    /// </summary>
    public abstract void Step(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable);

    /// <summary>
    /// Whether the update is split in parts (<see cref="BeginSplitStep"/>, then <see cref="StepPart"/>
    /// over disjoint parameter intervals): true for the built-in optimizers, whose update of a
    /// parameter reads only its own gradient and state, with the same arithmetic in the vector body
    /// and the scalar tail (<see cref="OptimizerKernels"/>), so the training step's threads each
    /// update a slice and the weights are the same bit for bit however the buffer is cut.
    /// </summary>
    internal virtual bool Splits => false;

    /// <summary>
    /// The serial start of a split step: validates the arguments, counts the step and allocates the
    /// state (on the first step), as <see cref="Step"/> does before it updates anything.
    /// </summary>
    internal virtual void BeginSplitStep(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable) =>
        throw new NotSupportedException($"{Name} updates in one piece (Step).");

    /// <summary>
    /// The update of the trainable parameters that lie in [<paramref name="from"/>, <paramref name="to"/>),
    /// after <see cref="BeginSplitStep"/>; parts over disjoint intervals may run at once.
    /// </summary>
    internal virtual void StepPart(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable, int from, int to) =>
        throw new NotSupportedException($"{Name} updates in one piece (Step).");

    /// <summary>The part of <paramref name="range"/> inside [<paramref name="from"/>, <paramref name="to"/>); false when none of it is.</summary>
    internal static bool Overlap(ParameterRange range, int from, int to, out int offset, out int length)
    {
        offset = Math.Max(range.Offset, from);
        length = Math.Min(range.Offset + range.Length, to) - offset;
        return length > 0;
    }

    /// <summary>
    /// Named state tensors (moments), each the length of <c>parameters</c>, for checkpoints. Empty
    /// before the first step and for stateless optimizers. The arrays are the live buffers: copy
    /// them if a snapshot must survive further steps.
    /// </summary>
    public abstract IReadOnlyDictionary<string, float[]> State { get; }

    /// <summary>
    /// Restores state saved from <see cref="State"/> and <see cref="StepCount"/>. The arrays are
    /// copied. An empty dictionary resets the state (it is allocated again on the next step).
    /// </summary>
    public abstract void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}(lr={LearningRate}, weight_decay={WeightDecay})");

    /// <summary>
    /// Validates the arguments of <see cref="Step"/> and counts the step. Every implementation
    /// calls it first, so callers get the same messages whatever the optimizer.
    /// </summary>
    protected void BeginStep(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable)
    {
        ArgumentNullException.ThrowIfNull(trainable);
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException(
                $"{Name}.Step: gradients holds {gradients.Length} floats but parameters holds {parameters.Length}; they must have the same length.",
                nameof(gradients));
        }
        ValidateRanges(parameters.Length, trainable);
        StepCount++;
    }

    /// <summary>The decay coefficient for <paramref name="range"/>: <see cref="WeightDecay"/>, or 0 for a bias when <see cref="DecayBiases"/> is false.</summary>
    protected internal float DecayFor(ParameterRange range) => range.IsBias && !DecayBiases ? 0f : WeightDecay;

    /// <summary>Checks that a hyper-parameter lies in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    protected static float InRange(float value, float min, float maxExclusive, string name)
    {
        if (!(value >= min && value < maxExclusive))
        {
            throw new ArgumentOutOfRangeException(
                name, value, $"{name} must be at least {min.ToString(CultureInfo.InvariantCulture)} and below {maxExclusive.ToString(CultureInfo.InvariantCulture)}.");
        }
        return value;
    }

    /// <summary>Checks that a hyper-parameter is finite and positive.</summary>
    protected static float Positive(float value, string name)
    {
        if (!(value > 0 && float.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");
        }
        return value;
    }

    private static float NonNegative(float value, string name)
    {
        if (!(value >= 0 && float.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number, 0 or more.");
        }
        return value;
    }

    private void ValidateRanges(int parameterCount, IReadOnlyList<ParameterRange> trainable)
    {
        // Indexed loops: foreach over the interface would box an enumerator on every step.
        bool sorted = true;
        long previousEnd = 0;
        for (int i = 0; i < trainable.Count; i++)
        {
            ParameterRange range = trainable[i];
            long end = (long)range.Offset + range.Length;
            if (range.Offset < 0 || range.Length < 0 || end > parameterCount)
            {
                throw new ArgumentException(
                    $"{Name}.Step: trainable[{i}] (offset {range.Offset}, length {range.Length}) must lie inside the {parameterCount} parameters.",
                    nameof(trainable));
            }
            if (range.Length == 0)
            {
                continue;
            }
            if (range.Offset < previousEnd)
            {
                sorted = false;
            }
            previousEnd = end;
        }
        if (sorted)
        {
            return; // the usual case: layer order, checked in one pass
        }
        // Unsorted lists are rare and short (one entry per tensor), so a pairwise check is fine.
        for (int i = 0; i < trainable.Count; i++)
        {
            ParameterRange a = trainable[i];
            for (int j = i + 1; j < trainable.Count; j++)
            {
                ParameterRange b = trainable[j];
                if (a.Length > 0 && b.Length > 0 && a.Offset < b.Offset + b.Length && b.Offset < a.Offset + a.Length)
                {
                    throw new ArgumentException(
                        $"{Name}.Step: trainable[{i}] (offset {a.Offset}, length {a.Length}) overlaps trainable[{j}] (offset {b.Offset}, length {b.Length}); each parameter must be updated once per step.",
                        nameof(trainable));
                }
            }
        }
    }
}
