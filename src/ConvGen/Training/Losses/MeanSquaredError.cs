using System;

namespace ConvGen.Training;

/// <summary>
/// Mean squared error for regression (Keras <c>mean_squared_error</c>): per row the mean of
/// <c>(p - y)^2</c> over the row's values; gradient <c>2 (p - y) / rowLength</c>.
/// </summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";

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
            total += difference * difference * inverseLength;
            if (wantGradient)
            {
                gradient[i] = (float)(2 * difference * inverseLength * gradientScale);
            }
        }
        return total;
    }
}
