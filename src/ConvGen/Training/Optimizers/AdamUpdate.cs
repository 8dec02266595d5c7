using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// The update <see cref="Adam"/> and <see cref="AdamW"/> share: their moments, the bias-corrected
/// rate and the fused kernel over each trainable range. They differ only in where the weight
/// decay goes: coupled (Adam's L2 term, added to the gradient and so scaled by
/// <c>1 / sqrt(v)</c>) or decoupled (AdamW's <c>w *= 1 - lr * decay</c> before the step).
/// </summary>
internal sealed class AdamUpdate
{
    private readonly OptimizerState _state;

    /// <summary>Arguments are validated by the optimizer that owns the update.</summary>
    public AdamUpdate(string owner, float beta1, float beta2, float epsilon)
    {
        _state = new OptimizerState(owner, "momentum", "velocity");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    /// <summary><c>momentum</c> (first moment m) and <c>velocity</c> (second moment v), as Keras names them.</summary>
    public IReadOnlyDictionary<string, float[]> State => _state.View;

    public void Load(IReadOnlyDictionary<string, float[]> state, long stepCount) => _state.Load(state, stepCount);

    /// <summary>Allocates the moments on the first step (before the parts of a split step run).</summary>
    public void Allocate(int length) => _state.Get(0, length);

    /// <summary>
    /// One step of <paramref name="optimizer"/> (its learning rate, step count and per-range decay)
    /// over the trainable parameters in [<paramref name="from"/>, <paramref name="to"/>), after the
    /// optimizer has validated the arguments and counted the step (<c>Optimizer.BeginSplitStep</c>).
    /// </summary>
    public void Apply(Optimizer optimizer, Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterRange> trainable, bool decoupledDecay,
        int from, int to)
    {
        float[] m = _state.Get(0, parameters.Length);
        float[] v = _state.Get(1, parameters.Length);
        float learningRate = optimizer.LearningRate;
        float alpha = BiasCorrectedRate(learningRate, Beta1, Beta2, optimizer.StepCount);
        for (int i = 0; i < trainable.Count; i++)
        {
            ParameterRange range = trainable[i];
            if (!Optimizer.Overlap(range, from, to, out int offset, out int length)) continue;
            float decay = optimizer.DecayFor(range);
            OptimizerKernels.Adam(
                parameters.Slice(offset, length), gradients.Slice(offset, length),
                m.AsSpan(offset, length), v.AsSpan(offset, length),
                alpha, Beta1, Beta2, Epsilon,
                l2: decoupledDecay ? 0f : decay,
                keep: decoupledDecay ? 1f - learningRate * decay : 1f);
        }
    }

    /// <summary>Fails before the step is counted when the state was loaded for another parameter length.</summary>
    public void CheckLength(int length) => _state.CheckLength(length);

    /// <summary>
    /// <c>lr * sqrt(1 - beta2^t) / (1 - beta1^t)</c>, computed in double: the powers of betas near
    /// 1 lose digits in float, and this scalar multiplies every update of the step.
    /// </summary>
    internal static float BiasCorrectedRate(float learningRate, float beta1, float beta2, long step) =>
        (float)(learningRate * Math.Sqrt(1.0 - Math.Pow(beta2, step)) / (1.0 - Math.Pow(beta1, step)));
}
