using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter 2019), as PyTorch and Keras implement
/// it: first <c>w -= lr * WeightDecay * w</c>, then the plain <see cref="Adam"/> update. Unlike
/// L2, the decay is not divided by <c>sqrt(v)</c>, so every weight shrinks at the same rate.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly AdamUpdate _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, at least 0.</param>
    /// <param name="weightDecay">Decoupled decay coefficient, at least 0 (sets <see cref="Optimizer.WeightDecay"/>).</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to <c>sqrt(v)</c> to avoid division by zero, above 0.</param>
    public AdamW(float learningRate, float weightDecay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        WeightDecay = weightDecay;
        Beta1 = InRange(beta1, 0f, 1f, nameof(beta1));
        Beta2 = InRange(beta2, 0f, 1f, nameof(beta2));
        Epsilon = Positive(epsilon, nameof(epsilon));
        _update = new AdamUpdate(nameof(AdamW), Beta1, Beta2, Epsilon);
    }

    /// <summary>Decay of the first-moment (mean) estimate.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second-moment (uncentred variance) estimate.</summary>
    public float Beta2 { get; }

    /// <summary>Numerical-stability term added to <c>sqrt(v)</c>.</summary>
    public float Epsilon { get; }

    /// <summary><c>momentum</c> (first moment m) and <c>velocity</c> (second moment v), as Keras names them.</summary>
    public override IReadOnlyDictionary<string, float[]> State => _update.State;

    /// <inheritdoc/>
    public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable)
    {
        BeginSplitStep(parameters, gradients, trainable);
        StepPart(parameters, gradients, trainable, 0, parameters.Length);
    }

    internal override bool Splits => true;

    internal override void BeginSplitStep(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable)
    {
        _update.CheckLength(parameters.Length);
        BeginStep(parameters, gradients, trainable);
        _update.Allocate(parameters.Length);
    }

    internal override void StepPart(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable, int from, int to) =>
        _update.Apply(this, parameters, gradients, trainable, decoupledDecay: true, from, to);

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount)
    {
        _update.Load(state, stepCount);
        StepCount = stepCount;
    }
}
