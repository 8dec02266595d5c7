using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// Categorical cross-entropy on logits with integer labels (Keras
/// <c>SparseCategoricalCrossentropy(from_logits=True)</c>): each row's target is one float holding
/// the class index, which saves a one-hot buffer of batch x classes. Per row:
/// <c>L = logsumexp(z) - z_k</c>; gradient <c>p - onehot(k)</c>.
/// </summary>
public sealed class SparseSoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <inheritdoc/>
    public override bool TakesLogits => true;

    /// <inheritdoc/>
    public override Activation FusedActivation => Activation.Softmax;

    /// <summary>One float per row: the class index.</summary>
    public override int TargetLength(int rowLength) => 1;

    /// <inheritdoc/>
    public override double Compute(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int rows, int rowLength, float gradientScale)
    {
        bool wantGradient = ValidateArguments(predictions, targets, gradient, rows, rowLength);
        // Check every label before writing any gradient, so a bad batch leaves the buffer untouched.
        for (int r = 0; r < rows; r++)
        {
            ClassIndex(targets[r], r, rowLength);
        }
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            int start = r * rowLength;
            int label = ClassIndex(targets[r], r, rowLength);
            ReadOnlySpan<float> logits = predictions.Slice(start, rowLength);
            double logSumExp = SoftmaxMath.LogSumExp(logits, out _);
            total += logSumExp - logits[label];
            if (wantGradient)
            {
                Span<float> g = gradient.Slice(start, rowLength);
                for (int j = 0; j < rowLength; j++)
                {
                    double probability = Math.Exp(logits[j] - logSumExp);
                    g[j] = (float)((probability - (j == label ? 1.0 : 0.0)) * gradientScale);
                }
            }
        }
        return total;
    }

    private int ClassIndex(float target, int row, int classes)
    {
        // Exact comparison is intended: labels are small integers stored exactly in a float.
        if (!(target >= 0 && target < classes && target == MathF.Floor(target)))
        {
            throw new ArgumentException(
                $"{Name}: row {row} has target {target.ToString(CultureInfo.InvariantCulture)}, but a sparse target must be a class index, an integer from 0 to {classes - 1} (the predictions have {classes} classes).",
                "targets");
        }
        return (int)target;
    }
}
