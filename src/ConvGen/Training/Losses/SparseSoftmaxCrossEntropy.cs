using System;
using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// Categorical cross-entropy on logits with integer labels (Keras
/// <c>SparseCategoricalCrossentropy(from_logits=True)</c>): each row's target is one float holding
/// the class index, which saves a one-hot buffer of batch x classes. Per row:
/// <c>L = w_k (logsumexp(z) - z_k)</c>; gradient <c>w_k (p - onehot(k))</c>, with <c>w_k</c> the
/// optional <see cref="ClassWeights"/> (1 by default). On an <c>[H,W,C]</c> output every pixel
/// is a row (<see cref="Loss.ComputePerPixel"/>): targets are <c>[H,W]</c> class indices, and
/// pixels labelled <see cref="IgnoreLabel"/> contribute neither loss, gradient nor metric.
/// </summary>
public sealed class SparseSoftmaxCrossEntropy : Loss
{
    private readonly float[]? _classWeights;

    /// <summary>
    /// Optional weight per class, multiplying that class's loss terms and gradients (Keras's
    /// <c>class_weight</c>); the mean is still over the labelled pixels, not the weights. Null: all 1.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights
    {
        get => _classWeights;
        init => _classWeights = Training.ClassWeights.Checked(value, Name);
    }

    /// <summary>
    /// A target value that marks a pixel (or row) as unlabelled (Keras's <c>ignore_class</c>,
    /// often 255 in segmentation data sets): it adds no loss and no gradient and is left out of
    /// the mean and of the metrics. Null: every target must be a class index.
    /// </summary>
    public int? IgnoreLabel { get; init; }

    /// <inheritdoc/>
    public override bool PerPixel => true;
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
            int label = ClassIndex(targets[r], r, rowLength);
            if (label >= 0)
            {
                Training.ClassWeights.Of(_classWeights, label, rowLength, Name);
            }
        }
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            int start = r * rowLength;
            int label = ClassIndex(targets[r], r, rowLength);
            if (label < 0)
            {
                if (wantGradient)
                {
                    gradient.Slice(start, rowLength).Clear();
                }
                continue;
            }
            double weight = Training.ClassWeights.Of(_classWeights, label, rowLength, Name);
            ReadOnlySpan<float> logits = predictions.Slice(start, rowLength);
            double logSumExp = SoftmaxMath.LogSumExp(logits, out _);
            total += weight * (logSumExp - logits[label]);
            if (wantGradient)
            {
                Span<float> g = gradient.Slice(start, rowLength);
                for (int j = 0; j < rowLength; j++)
                {
                    double probability = Math.Exp(logits[j] - logSumExp);
                    g[j] = (float)(weight * (probability - (j == label ? 1.0 : 0.0)) * gradientScale);
                }
            }
        }
        return total;
    }

    /// <summary>The pixels whose label is not <see cref="IgnoreLabel"/>; throws on a label that is neither a class nor ignored.</summary>
    protected override int LabelledPixels(ReadOnlySpan<float> targets, int rows, int rowLength)
    {
        int labelled = 0;
        for (int r = 0; r < rows; r++)
        {
            if (ClassIndex(targets[r], r, rowLength) >= 0)
            {
                labelled++;
            }
        }
        return labelled;
    }

    /// <summary>True when <paramref name="target"/> is the ignore label.</summary>
    internal bool Ignores(float target) => IgnoreLabel is int ignored && target == ignored;

    // The class index, or -1 for the ignore label.
    private int ClassIndex(float target, int row, int classes)
    {
        if (Ignores(target))
        {
            return -1;
        }
        // Exact comparison is intended: labels are small integers stored exactly in a float.
        if (!(target >= 0 && target < classes && target == MathF.Floor(target)))
        {
            throw new ArgumentException(
                $"{Name}: row {row} has target {target.ToString(CultureInfo.InvariantCulture)}, but a sparse target must be a class index, an integer from 0 to {classes - 1} (the predictions have {classes} classes)"
                + (IgnoreLabel is int ignored ? $" or the ignore label {ignored}." : "."),
                "targets");
        }
        return (int)target;
    }
}
