using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// Adam (Kingma and Ba 2015) with bias correction, in the paper's efficient form that Keras
/// uses: <c>alpha_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)</c>,
/// <c>w -= alpha_t * m / (sqrt(v) + epsilon)</c>. The epsilon is Keras's "epsilon hat"
/// (default 1e-7), so results match Keras rather than PyTorch for the same settings.
/// <see cref="Optimizer.WeightDecay"/> adds an L2 term to the gradient; for decoupled decay use <see cref="AdamW"/>.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly AdamUpdate _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, at least 0.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to <c>sqrt(v)</c> to avoid division by zero, above 0.</param>
    public Adam(float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        Beta1 = InRange(beta1, 0f, 1f, nameof(beta1));
        Beta2 = InRange(beta2, 0f, 1f, nameof(beta2));
        Epsilon = Positive(epsilon, nameof(epsilon));
        _update = new AdamUpdate(nameof(Adam), Beta1, Beta2, Epsilon);
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
        _update.Apply(this, parameters, gradients, trainable, decoupledDecay: false, from, to);

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount)
    {
        _update.Load(state, stepCount);
        StepCount = stepCount;
    }
}
