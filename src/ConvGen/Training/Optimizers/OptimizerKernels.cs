using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Training;

/// <summary>
/// The fused update loops, one pass over parameters, gradients and state per range: these run
/// over every parameter on every step, so each reads its inputs once (Vector256, scalar tail).
/// Multiply and add are kept separate (no FMA) so the vector body and the scalar tail give
/// bit-identical results and a value's update does not depend on where it falls in a range.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>SGD without momentum: <c>w -= lr * (g + decay * w)</c>.</summary>
    public static void Sgd(Span<float> weights, ReadOnlySpan<float> gradients, float learningRate, float decay)
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        int n = weights.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lr = Vector256.Create(learningRate);
            var wd = Vector256.Create(decay);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref w, (nuint)i);
                var d = Vector256.LoadUnsafe(ref g, (nuint)i) + wd * wi;
                (wi - lr * d).StoreUnsafe(ref w, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref w, i);
            float d = Unsafe.Add(ref g, i) + decay * wi;
            Unsafe.Add(ref w, i) = wi - learningRate * d;
        }
    }

    /// <summary>
    /// SGD with momentum, PyTorch semantics: <c>d = g + decay*w; b = mu*b + d;
    /// w -= lr * (nesterov ? d + mu*b : b)</c>. A zero buffer reproduces PyTorch's first step (b = d).
    /// </summary>
    public static void SgdMomentum(
        Span<float> weights, ReadOnlySpan<float> gradients, Span<float> buffer,
        float learningRate, float decay, float momentum, bool nesterov)
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float b = ref MemoryMarshal.GetReference(buffer);
        int n = weights.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lr = Vector256.Create(learningRate);
            var wd = Vector256.Create(decay);
            var mu = Vector256.Create(momentum);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref w, (nuint)i);
                var d = Vector256.LoadUnsafe(ref g, (nuint)i) + wd * wi;
                var bi = mu * Vector256.LoadUnsafe(ref b, (nuint)i) + d;
                bi.StoreUnsafe(ref b, (nuint)i);
                var step = nesterov ? d + mu * bi : bi;
                (wi - lr * step).StoreUnsafe(ref w, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref w, i);
            float d = Unsafe.Add(ref g, i) + decay * wi;
            float bi = momentum * Unsafe.Add(ref b, i) + d;
            Unsafe.Add(ref b, i) = bi;
            float step = nesterov ? d + momentum * bi : bi;
            Unsafe.Add(ref w, i) = wi - learningRate * step;
        }
    }

    /// <summary>
    /// Adam in Kingma and Ba's efficient form (as Keras implements it):
    /// <c>d = g + l2*w; m += (d - m)(1 - b1); v += (d^2 - v)(1 - b2);
    /// w = w*keep - alpha*m / (sqrt(v) + eps)</c>, where <c>alpha</c> carries the bias correction
    /// and <c>keep = 1 - lr*decay</c> is AdamW's decoupled decay (1 for Adam).
    /// </summary>
    public static void Adam(
        Span<float> weights, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment,
        float alpha, float beta1, float beta2, float epsilon, float l2, float keep)
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int n = weights.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(alpha);
            var c1 = Vector256.Create(oneMinusBeta1);
            var c2 = Vector256.Create(oneMinusBeta2);
            var eps = Vector256.Create(epsilon);
            var decay = Vector256.Create(l2);
            var k = Vector256.Create(keep);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref w, (nuint)i);
                var d = Vector256.LoadUnsafe(ref g, (nuint)i) + decay * wi;
                var mi = Vector256.LoadUnsafe(ref m, (nuint)i);
                var vi = Vector256.LoadUnsafe(ref v, (nuint)i);
                mi += (d - mi) * c1;
                vi += (d * d - vi) * c2;
                mi.StoreUnsafe(ref m, (nuint)i);
                vi.StoreUnsafe(ref v, (nuint)i);
                (wi * k - mi * a / (Vector256.Sqrt(vi) + eps)).StoreUnsafe(ref w, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref w, i);
            float d = Unsafe.Add(ref g, i) + l2 * wi;
            float mi = Unsafe.Add(ref m, i);
            float vi = Unsafe.Add(ref v, i);
            mi += (d - mi) * oneMinusBeta1;
            vi += (d * d - vi) * oneMinusBeta2;
            Unsafe.Add(ref m, i) = mi;
            Unsafe.Add(ref v, i) = vi;
            Unsafe.Add(ref w, i) = wi * keep - mi * alpha / (MathF.Sqrt(vi) + epsilon);
        }
    }

    /// <summary>
    /// RMSprop as Keras implements it: <c>d = g + decay*w; v = rho*v + (1 - rho) d^2;
    /// step = lr*d / sqrt(v + eps)</c>; with momentum <c>b = mu*b + step; w -= b</c>, else <c>w -= step</c>.
    /// </summary>
    public static void RmsProp(
        Span<float> weights, ReadOnlySpan<float> gradients, Span<float> meanSquare, Span<float> buffer,
        float learningRate, float rho, float epsilon, float decay, float momentum)
    {
        bool useMomentum = !buffer.IsEmpty;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float s = ref MemoryMarshal.GetReference(meanSquare);
        ref float b = ref MemoryMarshal.GetReference(buffer);
        float oneMinusRho = 1f - rho;
        int n = weights.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lr = Vector256.Create(learningRate);
            var r = Vector256.Create(rho);
            var c = Vector256.Create(oneMinusRho);
            var eps = Vector256.Create(epsilon);
            var wd = Vector256.Create(decay);
            var mu = Vector256.Create(momentum);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref w, (nuint)i);
                var d = Vector256.LoadUnsafe(ref g, (nuint)i) + wd * wi;
                var si = r * Vector256.LoadUnsafe(ref s, (nuint)i) + c * (d * d);
                si.StoreUnsafe(ref s, (nuint)i);
                var step = lr * d / Vector256.Sqrt(si + eps);
                if (useMomentum)
                {
                    step = mu * Vector256.LoadUnsafe(ref b, (nuint)i) + step;
                    step.StoreUnsafe(ref b, (nuint)i);
                }
                (wi - step).StoreUnsafe(ref w, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref w, i);
            float d = Unsafe.Add(ref g, i) + decay * wi;
            float si = rho * Unsafe.Add(ref s, i) + oneMinusRho * (d * d);
            Unsafe.Add(ref s, i) = si;
            float step = learningRate * d / MathF.Sqrt(si + epsilon);
            if (useMomentum)
            {
                step = momentum * Unsafe.Add(ref b, i) + step;
                Unsafe.Add(ref b, i) = step;
            }
            Unsafe.Add(ref w, i) = wi - step;
        }
    }
}
