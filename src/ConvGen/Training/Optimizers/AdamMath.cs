using System;

namespace ConvGen.Training;

/// <summary>Adam's per-step scalar, shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal static class AdamMath
{
    /// <summary>
    /// <c>lr * sqrt(1 - beta2^t) / (1 - beta1^t)</c>, computed in double: the powers of betas near
    /// 1 lose digits in float, and this scalar multiplies every update of the step.
    /// </summary>
    public static float BiasCorrectedRate(float learningRate, float beta1, float beta2, long step) =>
        (float)(learningRate * Math.Sqrt(1.0 - Math.Pow(beta2, step)) / (1.0 - Math.Pow(beta1, step)));
}
