using System;

namespace ConvGen.Training;

/// <summary>
/// Categorical cross-entropy on logits with the softmax fused in (Keras
/// <c>CategoricalCrossentropy(from_logits=True)</c>). Targets are one-hot or soft distributions,
/// one value per class. Per row: <c>L = sum_j y_j * (logsumexp(z) - z_j)</c>; gradient
/// <c>p_j * sum(y) - y_j</c>, which is the familiar <c>p - y</c> when the targets sum to 1
/// (the exact form is used so unnormalised targets still get a true gradient).
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    /// <inheritdoc/>
    public override bool TakesLogits => true;

    /// <inheritdoc/>
    public override Activation FusedActivation => Activation.Softmax;

    /// <inheritdoc/>
    public override double Compute(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int rows, int rowLength, float gradientScale)
    {
        bool wantGradient = ValidateArguments(predictions, targets, gradient, rows, rowLength);
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            int start = r * rowLength;
            ReadOnlySpan<float> logits = predictions.Slice(start, rowLength);
            ReadOnlySpan<float> y = targets.Slice(start, rowLength);
            double logSumExp = SoftmaxMath.LogSumExp(logits, out _);
            double targetSum = 0;
            double weightedLogits = 0;
            for (int j = 0; j < rowLength; j++)
            {
                targetSum += y[j];
                weightedLogits += (double)y[j] * logits[j];
            }
            total += targetSum * logSumExp - weightedLogits;
            if (wantGradient)
            {
                Span<float> g = gradient.Slice(start, rowLength);
                for (int j = 0; j < rowLength; j++)
                {
                    double probability = Math.Exp(logits[j] - logSumExp);
                    g[j] = (float)((probability * targetSum - y[j]) * gradientScale);
                }
            }
        }
        return total;
    }
}
