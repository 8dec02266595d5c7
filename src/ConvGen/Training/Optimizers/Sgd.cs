using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, with PyTorch's
/// <c>torch.optim.SGD</c> semantics (dampening 0): <c>d = g + WeightDecay*w; b = momentum*b + d;
/// w -= lr * (nesterov ? d + momentum*b : b)</c>. Without momentum it keeps no state.
/// </summary>
public sealed class Sgd : Optimizer
{
    private const int MomentumBuffer = 0;
    private readonly OptimizerState _state;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, at least 0.</param>
    /// <param name="momentum">Momentum factor in [0, 1); 0 disables momentum.</param>
    /// <param name="nesterov">Use Nesterov momentum (requires a momentum above 0, as in PyTorch).</param>
    public Sgd(float learningRate, float momentum = 0f, bool nesterov = false)
        : base(learningRate)
    {
        Momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("nesterov requires a momentum greater than 0.", nameof(nesterov));
        }
        Nesterov = nesterov;
        _state = momentum > 0f ? new OptimizerState(nameof(Sgd), "momentum") : new OptimizerState(nameof(Sgd));
    }

    /// <summary>Momentum factor (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>Whether the update looks ahead along the momentum (Nesterov).</summary>
    public bool Nesterov { get; }

    /// <summary><c>momentum</c> (the velocity buffer) when <see cref="Momentum"/> is above 0; otherwise empty.</summary>
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
        if (Momentum > 0f) _state.Get(MomentumBuffer, parameters.Length);
    }

    internal override void StepPart(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable, int from, int to)
    {
        float[]? buffer = Momentum > 0f ? _state.Get(MomentumBuffer, parameters.Length) : null;
        for (int i = 0; i < trainable.Count; i++)
        {
            ParameterRange range = trainable[i];
            if (!Overlap(range, from, to, out int offset, out int length)) continue;
            Span<float> weights = parameters.Slice(offset, length);
            ReadOnlySpan<float> grads = gradients.Slice(offset, length);
            if (buffer is null)
            {
                OptimizerKernels.Sgd(weights, grads, LearningRate, DecayFor(range));
            }
            else
            {
                OptimizerKernels.SgdMomentum(
                    weights, grads, buffer.AsSpan(offset, length),
                    LearningRate, DecayFor(range), Momentum, Nesterov);
            }
        }
    }

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, float[]> state, long stepCount)
    {
        _state.Load(state, stepCount);
        StepCount = stepCount;
    }
}
