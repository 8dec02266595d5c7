using System;

namespace ConvGen.Tests.Reference;

/// <summary>The activation functions by their definitions, in double precision.</summary>
public static class ReferenceActivations
{
    /// <summary>Keras uses 0.3 for LeakyReLU; ConvGen follows PyTorch's 0.01 (documented on the enum).</summary>
    public const double DefaultLeakyReluAlpha = 0.01;

    public const double DefaultEluAlpha = 1.0;

    /// <summary>Applies <paramref name="activation"/>; softmax normalises over the channel (last) axis at each position.</summary>
    /// <param name="alpha">Leaky ReLU slope or ELU scale; NaN means the activation's default.</param>
    public static ReferenceTensor Apply(ReferenceTensor input, Activation activation, double alpha)
    {
        var output = new ReferenceTensor(input.Batch, input.Height, input.Width, input.Channels, input.Rank);
        if (activation == Activation.Softmax)
        {
            Softmax(input.Values, output.Values, input.Channels);
            return output;
        }
        for (int i = 0; i < input.Values.Length; i++)
        {
            output.Values[i] = Scalar(input.Values[i], activation, alpha);
        }
        return output;
    }

    public static double Scalar(double x, Activation activation, double alpha) => activation switch
    {
        Activation.Linear => x,
        Activation.Relu => Math.Max(x, 0.0),
        Activation.LeakyRelu => x > 0 ? x : (double.IsNaN(alpha) ? DefaultLeakyReluAlpha : alpha) * x,
        Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-x)),
        Activation.Tanh => Math.Tanh(x),
        Activation.Elu => x > 0 ? x : (double.IsNaN(alpha) ? DefaultEluAlpha : alpha) * (Math.Exp(x) - 1.0),
        // Exact GELU (Keras approximate=False, PyTorch approximate='none').
        Activation.Gelu => 0.5 * x * (1.0 + ReferenceErf.Erf(x / Math.Sqrt(2.0))),
        Activation.Relu6 => Math.Min(Math.Max(x, 0.0), 6.0),
        // Keras 3: relu6(x + 3) / 6 (Keras 2 used the steeper 0.2 * x + 0.5).
        Activation.HardSigmoid => Math.Min(Math.Max(x + 3.0, 0.0), 6.0) / 6.0,
        Activation.HardSwish => x * Math.Min(Math.Max(x + 3.0, 0.0), 6.0) / 6.0,
        Activation.Silu => x / (1.0 + Math.Exp(-x)),
        Activation.Mish => x * Math.Tanh(Softplus(x)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an element-wise activation"),
    };

    /// <summary><c>log(1 + exp(x))</c> without overflow for large x.</summary>
    private static double Softplus(double x) => x > 30 ? x : Math.Log(1.0 + Math.Exp(x));

    /// <summary><c>exp(x_i) / sum_j exp(x_j)</c> over each run of <paramref name="rowLength"/> values.</summary>
    private static void Softmax(double[] input, double[] output, int rowLength)
    {
        for (int start = 0; start < input.Length; start += rowLength)
        {
            double sum = 0;
            for (int i = 0; i < rowLength; i++)
            {
                output[start + i] = Math.Exp(input[start + i]);
                sum += output[start + i];
            }
            for (int i = 0; i < rowLength; i++)
            {
                output[start + i] /= sum;
            }
        }
    }
}
