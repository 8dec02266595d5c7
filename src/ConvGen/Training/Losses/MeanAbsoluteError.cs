using System;

namespace ConvGen.Training;

/// <summary>
/// Mean absolute error for regression (Keras <c>mean_absolute_error</c>): per row the mean of
/// <c>|p - y|</c>; gradient <c>sign(p - y) / rowLength</c>, with sign(0) = 0 as in TensorFlow and
/// PyTorch (the subgradient that leaves an exact prediction alone).
/// </summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";

    /// <inheritdoc/>
    public override bool TakesLogits => false;

    /// <inheritdoc/>
    public override Activation FusedActivation => Activation.Linear;

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
            double difference = (double)predictions[i] - targets[i];
            total += Math.Abs(difference) * inverseLength;
            if (wantGradient)
            {
                gradient[i] = (float)(Math.Sign(difference) * inverseLength * gradientScale);
            }
        }
        return total;
    }
}
