using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels.Simd;

/// <summary>
/// The element-wise activation derivatives of TrainingKernels.ActivationBackward, eight values at
/// a time, for the kinds whose derivative is a comparison or a product: the same float
/// operations in the same order as the scalar loops (and the same answer for NaN: a comparison
/// that fails), so the gradient is bit for bit the scalar one. The scalar loops finish the tail.
/// </summary>
internal static class ActivationDerivatives
{
    /// <summary>Applies the derivative to the whole vectors of <paramref name="gradient"/>; returns how many values it did (0 for kinds it leaves to the scalar loop).</summary>
    public static int Apply(Activation activation, float alpha, ReadOnlySpan<float> preActivation, ReadOnlySpan<float> output, Span<float> gradient)
    {
        if (!Vector256.IsHardwareAccelerated || gradient.Length < 8)
        {
            return 0;
        }
        int length = gradient.Length / 8 * 8;
        bool readsOutput = activation is Activation.Relu or Activation.Sigmoid or Activation.Tanh;
        bool readsPre = activation is Activation.LeakyRelu or Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish;
        if (!readsOutput && !readsPre)
        {
            return 0;
        }
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float source = ref MemoryMarshal.GetReference(readsOutput ? output.Slice(0, length) : preActivation.Slice(0, length));
        var zero = Vector256<float>.Zero;
        var three = Vector256.Create(3f);
        var minusThree = Vector256.Create(-3f);
        var six = Vector256.Create(6f);
        var sixth = Vector256.Create(1f / 6f);
        var one = Vector256.Create(1f);
        var slope = Vector256.Create(alpha);
        for (int i = 0; i < length; i += 8)
        {
            var d = Vector256.LoadUnsafe(ref g, (nuint)i);
            var v = Vector256.LoadUnsafe(ref source, (nuint)i);
            d = activation switch
            {
                Activation.Relu => Vector256.ConditionalSelect(Vector256.GreaterThan(v, zero), d, zero),
                Activation.LeakyRelu => Vector256.ConditionalSelect(Vector256.GreaterThan(v, zero), d, d * slope),
                Activation.Sigmoid => d * (v * (one - v)),
                Activation.Tanh => d * (one - v * v),
                Activation.Relu6 => Vector256.ConditionalSelect(Vector256.GreaterThan(v, zero) & Vector256.LessThan(v, six), d, zero),
                Activation.HardSigmoid => Vector256.ConditionalSelect(Vector256.GreaterThan(v, minusThree) & Vector256.LessThan(v, three), d * sixth, zero),
                // z <= -3 (or NaN): 0; -3 < z < 3: dy·(2z + 3)/6; z >= 3: dy.
                _ => Vector256.ConditionalSelect(Vector256.GreaterThan(v, minusThree),
                    Vector256.ConditionalSelect(Vector256.LessThan(v, three), d * ((v * 2f + three) * sixth), d), zero),
            };
            d.StoreUnsafe(ref g, (nuint)i);
        }
        return length;
    }
}
