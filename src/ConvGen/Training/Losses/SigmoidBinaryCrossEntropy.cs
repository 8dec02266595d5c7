using System;

namespace ConvGen.Training;

/// <summary>
/// Binary cross-entropy on logits with the sigmoid fused in (Keras
/// <c>BinaryCrossentropy(from_logits=True)</c>), for one binary output or several independent
/// labels (multi-label). Each value uses the stable form
/// <c>max(z, 0) - z*y + log(1 + exp(-|z|))</c>, which never takes the log of a rounded-to-zero
/// probability; the row's loss is the mean over its values (as Keras averages the last axis) and
/// the gradient is <c>(sigmoid(z) - y) / rowLength</c>.
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";

    /// <inheritdoc/>
    public override bool TakesLogits => true;

    /// <inheritdoc/>
    public override Activation FusedActivation => Activation.Sigmoid;

    /// <inheritdoc/>
    public override double Compute(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int rows, int rowLength, float gradientScale)
    {
        bool wantGradient = ValidateArguments(predictions, targets, gradient, rows, rowLength);
        double inverseLength = 1.0 / rowLength;
        double total = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            double z = predictions[i];
            double y = targets[i];
            total += (Math.Max(z, 0) - z * y + LogOnePlusExp(-Math.Abs(z))) * inverseLength;
            if (wantGradient)
            {
                gradient[i] = (float)((Sigmoid(z) - y) * inverseLength * gradientScale);
            }
        }
        return total;
    }

    // log1p is not in System.Math; for tiny x, log(1 + x) loses digits, so use the series there.
    private static double LogOnePlusExp(double negativeAbs)
    {
        double x = Math.Exp(negativeAbs);
        return x < 1e-5 ? x - x * x / 2 : Math.Log(1 + x);
    }

    // Written per sign so that exp never overflows.
    private static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }
        double e = Math.Exp(z);
        return e / (1 + e);
    }
}
