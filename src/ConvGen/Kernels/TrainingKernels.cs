using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>Element-wise pieces of the backward pass that generated code calls.</summary>
public static class TrainingKernels
{
    /// <summary>
    /// Turns the gradient with respect to an activation's output into the gradient with respect
    /// to its input, in place. <paramref name="preActivation"/> is z, <paramref name="output"/>
    /// is f(z); each derivative uses whichever is cheaper.
    /// </summary>
    public static void ActivationBackward(Activation activation, float alpha, ReadOnlySpan<float> preActivation, ReadOnlySpan<float> output, Span<float> gradient, int rowLength)
    {
        int vectorised = Simd.ActivationDerivatives.Apply(activation, alpha, preActivation, output, gradient);
        switch (activation)
        {
            case Activation.Linear:
                return;
            case Activation.Relu:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    if (!(output[i] > 0f)) gradient[i] = 0f;
                }
                return;
            case Activation.LeakyRelu:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    if (!(preActivation[i] > 0f)) gradient[i] *= alpha;
                }
                return;
            case Activation.Sigmoid:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    float y = output[i];
                    gradient[i] *= y * (1f - y);
                }
                return;
            case Activation.Tanh:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    float y = output[i];
                    gradient[i] *= 1f - y * y;
                }
                return;
            case Activation.Elu:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    if (!(preActivation[i] > 0f)) gradient[i] *= output[i] + alpha;
                }
                return;
            case Activation.Gelu:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    double z = preActivation[i];
                    double cdf = 0.5 * (1.0 + ActivationKernels.Erf(z / Math.Sqrt(2.0)));
                    double pdf = Math.Exp(-0.5 * z * z) / Math.Sqrt(2.0 * Math.PI);
                    gradient[i] = (float)(gradient[i] * (cdf + z * pdf));
                }
                return;
            case Activation.Relu6:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    float z = preActivation[i];
                    if (!(z > 0f && z < 6f)) gradient[i] = 0f;
                }
                return;
            case Activation.HardSigmoid:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    float z = preActivation[i];
                    gradient[i] = z > -3f && z < 3f ? gradient[i] * (1f / 6f) : 0f;
                }
                return;
            case Activation.HardSwish:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    float z = preActivation[i];
                    if (!(z > -3f)) gradient[i] = 0f;
                    else if (z < 3f) gradient[i] *= (2f * z + 3f) * (1f / 6f);
                }
                return;
            case Activation.Silu:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    double z = preActivation[i];
                    double s = 1.0 / (1.0 + Math.Exp(-z));
                    gradient[i] = (float)(gradient[i] * s * (1.0 + z * (1.0 - s)));
                }
                return;
            case Activation.Mish:
                for (int i = vectorised; i < gradient.Length; i++)
                {
                    double z = preActivation[i];
                    double t = Math.Tanh(ActivationKernels.Softplus(z));
                    double s = 1.0 / (1.0 + Math.Exp(-z));
                    gradient[i] = (float)(gradient[i] * (t + z * (1.0 - t * t) * s));
                }
                return;
            case Activation.Softmax:
                // dz = y * (dy - <dy, y>) per row.
                for (int start = 0; start < gradient.Length; start += rowLength)
                {
                    var y = output.Slice(start, rowLength);
                    var g = gradient.Slice(start, rowLength);
                    float dot = TensorPrimitives.Dot(y, g);
                    for (int i = 0; i < rowLength; i++)
                    {
                        g[i] = y[i] * (g[i] - dot);
                    }
                }
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation");
        }
    }

    /// <summary>
    /// Inverted dropout for one layer: draws a keep mask (0 or 1/(1-rate)) per value from a
    /// per-sample stream, stores it, and writes <c>input * mask</c>.
    /// </summary>
    public static void DropoutForward(ReadOnlySpan<float> input, Span<float> output, Span<float> mask, int batch, int sampleLength,
        float rate, DropoutContext context, int layerIndex)
    {
        int length = batch * sampleLength;
        if (!context.Enabled || rate == 0f)
        {
            input.Slice(0, length).CopyTo(output);
            mask.Slice(0, length).Fill(1f);
            return;
        }
        float keep = 1f / (1f - rate);
        for (int n = 0; n < batch; n++)
        {
            ulong stream = (ulong)(context.FirstSample + n) * 1024UL + (ulong)layerIndex;
            var random = new SeededRandom(context.Seed, stream);
            int start = n * sampleLength;
            for (int i = start; i < start + sampleLength; i++)
            {
                float m = random.NextSingle() >= rate ? keep : 0f;
                mask[i] = m;
                output[i] = input[i] * m;
            }
        }
    }

    /// <summary>Gradient through dropout: multiplies by the stored mask, in place.</summary>
    public static void DropoutBackward(ReadOnlySpan<float> mask, Span<float> gradient) =>
        TensorPrimitives.Multiply(gradient, mask.Slice(0, gradient.Length), gradient);

    /// <summary>
    /// Copies an HWIO convolution kernel (<paramref name="taps"/> x <paramref name="inputChannels"/> x
    /// <paramref name="outputChannels"/>) into <paramref name="transposed"/> as taps x outputs x inputs,
    /// the layout the input gradient reads: input and output channels swapped and, when
    /// <paramref name="flipTaps"/>, the taps in reverse order (the kernel rotated by 180 degrees).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the kernel.</exception>
    public static void TransposeKernel(ReadOnlySpan<float> kernel, Span<float> transposed, int taps, int inputChannels, int outputChannels, bool flipTaps)
    {
        int length = taps * inputChannels * outputChannels;
        if (kernel.Length < length || transposed.Length < length)
        {
            throw new ArgumentException(
                $"a kernel of {taps} taps x {inputChannels} x {outputChannels} needs {length} floats but the kernel holds {kernel.Length} and its transpose {transposed.Length}",
                kernel.Length < length ? nameof(kernel) : nameof(transposed));
        }
        for (int tap = 0; tap < taps; tap++)
        {
            int target = flipTaps ? taps - 1 - tap : tap;
            for (int ci = 0; ci < inputChannels; ci++)
            {
                for (int co = 0; co < outputChannels; co++)
                {
                    transposed[(target * outputChannels + co) * inputChannels + ci] = kernel[(tap * inputChannels + ci) * outputChannels + co];
                }
            }
        }
    }
}
