using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// Categorical cross-entropy on logits with the softmax fused in (Keras
/// <c>CategoricalCrossentropy(from_logits=True)</c>). Targets are one-hot or soft distributions,
/// one value per class. Per row: <c>L = sum_j y_j * (logsumexp(z) - z_j)</c>; gradient
/// <c>p_j * sum(y) - y_j</c>, which is the familiar <c>p - y</c> when the targets sum to 1
/// (the exact form is used so unnormalised targets still get a true gradient). With
/// <see cref="ClassWeights"/>, a row's loss and gradient are multiplied by <c>sum_j w_j y_j</c>
/// (the weight of its class for a one-hot row). On an <c>[H,W,C]</c> output every pixel is a
/// row (<see cref="Loss.ComputePerPixel"/>) with a one-hot <c>[H,W,C]</c> target; a pixel whose
/// target is all zeros is unlabelled: no loss, no gradient, not in the mean nor the metrics.
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    private readonly float[]? _classWeights;

    /// <summary>Optional weight per class (Keras's <c>class_weight</c>); null: all 1.</summary>
    public IReadOnlyList<float>? ClassWeights
    {
        get => _classWeights;
        init => _classWeights = Training.ClassWeights.Checked(value, Name);
    }

    /// <inheritdoc/>
    public override bool PerPixel => true;

    /// <summary>The pixels whose target row is not all zeros.</summary>
    protected override int LabelledPixels(ReadOnlySpan<float> targets, int rows, int rowLength)
    {
        int labelled = 0;
        for (int r = 0; r < rows; r++)
        {
            if (targets.Slice(r * rowLength, rowLength).ContainsAnyExcept(0f))
            {
                labelled++;
            }
        }
        return labelled;
    }
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
            double weight = _classWeights is null ? 1 : 0;
            for (int j = 0; j < rowLength; j++)
            {
                targetSum += y[j];
                weightedLogits += (double)y[j] * logits[j];
                if (_classWeights is not null)
                {
                    weight += Training.ClassWeights.Of(_classWeights, j, rowLength, Name) * y[j];
                }
            }
            total += weight * (targetSum * logSumExp - weightedLogits);
            if (wantGradient)
            {
                Span<float> g = gradient.Slice(start, rowLength);
                for (int j = 0; j < rowLength; j++)
                {
                    double probability = Math.Exp(logits[j] - logSumExp);
                    g[j] = (float)(weight * (probability * targetSum - y[j]) * gradientScale);
                }
            }
        }
        return total;
    }
}
