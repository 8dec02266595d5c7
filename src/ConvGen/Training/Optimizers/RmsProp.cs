using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// RMSprop (Hinton's lecture 6e) as Keras implements it: <c>v = rho*v + (1 - rho) g^2;
/// step = lr * g / sqrt(v + epsilon)</c>; with momentum <c>b = momentum*b + step; w -= b</c>,
/// otherwise <c>w -= step</c>. <see cref="Optimizer.WeightDecay"/> adds an L2 term to the gradient.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly OptimizerState _state;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, at least 0.</param>
    /// <param name="rho">Decay of the squared-gradient average, in [0, 1).</param>
    /// <param name="momentum">Momentum factor in [0, 1); 0 disables momentum.</param>
    /// <param name="epsilon">Added to <c>v</c> under the square root, above 0.</param>
    public RmsProp(float learningRate, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f)
        : base(learningRate)
    {
        Rho = InRange(rho, 0f, 1f, nameof(rho));
        Momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        Epsilon = Positive(epsilon, nameof(epsilon));
        _state = momentum > 0f
            ? new OptimizerState(nameof(RmsProp), "velocity", "momentum")
            : new OptimizerState(nameof(RmsProp), "velocity");
    }

    /// <summary>Decay of the running mean of squared gradients.</summary>
    public float Rho { get; }

    /// <summary>Momentum factor (0: none).</summary>
    public float Momentum { get; }

    /// <summary>Numerical-stability term added under the square root.</summary>
    public float Epsilon { get; }

    /// <summary><c>velocity</c> (mean square) and, with momentum, <c>momentum</c>, as Keras names them.</summary>
    public override IReadOnlyDictionary<string, float[]> State => _state.View;

    /// <inheritdoc/>
    public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable)
    {
        BeginSplitStep(parameters, gradients, trainable);
        StepPart(parameters, gradients, trainable, 0, parameters.Length);
    }

    internal override bool Splits => true;

    internal override void BeginSplitStep(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable)
    {
        _state.CheckLength(parameters.Length);
        BeginStep(parameters, gradients, trainable);
        _state.Get(0, parameters.Length);
    }

    internal override void StepPart(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable, int from, int to)
    {
        float[] meanSquare = _state.Get(0, parameters.Length);
        float[]? buffer = Momentum > 0f ? _state.Get(1, parameters.Length) : null;
        for (int i = 0; i < trainable.Count; i++)
        {
            ParameterRange range = trainable[i];
            if (!Overlap(range, from, to, out int offset, out int length)) continue;
            OptimizerKernels.RmsProp(
                parameters.Slice(offset, length), gradients.Slice(offset, length),
                meanSquare.AsSpan(offset, length),
                buffer is null ? Span<float>.Empty : buffer.AsSpan(offset, length),
                LearningRate, Rho, Epsilon, DecayFor(range), Momentum);
        }
    }

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount)
    {
        _state.Load(state, stepCount);
        StepCount = stepCount;
    }
}
