using System;
using System.Globalization;

namespace ConvGen.Training;

/// <summary>
/// Soft Dice loss on logits with the softmax fused in, for segmentation with class-index
/// targets (one float per pixel). Per sample, with <c>p</c> the softmax probabilities of its
/// pixels, <c>y</c> the one-hot labels and <c>s</c> = <see cref="Smoothing"/>:
/// <code>
/// dice_c = (2 * sum_pixels p_c * y_c + s) / (sum_pixels p_c + sum_pixels y_c + s)
/// L      = 1 - mean over the C classes of dice_c
/// </code>
/// the convention of the Keras community's <c>dice_coef</c> (smoothing 1, classes averaged,
/// every class counted, so an absent class predicted absent scores 1). It is computed per
/// sample and the samples' losses are averaged, so the result does not depend on how a batch is
/// split across threads. Pixels labelled <see cref="IgnoreLabel"/> are left out of every sum.
/// The gradient goes through the softmax: <c>dL/dz_j = p_j (g_j - sum_c p_c g_c)</c> with
/// <c>g_c = dL/dp_c = -(2 y_c (U_c + s) - (2 I_c + s)) / (C (U_c + s)^2)</c>.
/// </summary>
public sealed class DiceLoss : Loss
{
    private readonly double _smoothing = 1;

    /// <inheritdoc/>
    public override string Name => "dice";

    /// <inheritdoc/>
    public override bool TakesLogits => true;

    /// <inheritdoc/>
    public override Activation FusedActivation => Activation.Softmax;

    /// <inheritdoc/>
    public override bool PerPixel => true;

    /// <summary>Added to the numerator and denominator of every class's Dice (default 1), so empty classes do not divide by 0.</summary>
    public double Smoothing
    {
        get => _smoothing;
        init => _smoothing = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Smoothing), value, "dice: Smoothing must be finite and above 0.");
    }

    /// <summary>A target value that marks a pixel as unlabelled (left out of every sum); null: none.</summary>
    public int? IgnoreLabel { get; init; }

    /// <summary>One float per pixel: the class index.</summary>
    public override int TargetLength(int rowLength) => 1;

    /// <summary>Each row is a sample of one pixel (a non-spatial output); returns the sum of their losses.</summary>
    public override double Compute(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int rows, int rowLength, float gradientScale)
    {
        bool wantGradient = ValidateArguments(predictions, targets, gradient, rows, rowLength);
        CheckLabels(targets, rowLength);
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            total += SampleLoss(predictions.Slice(r * rowLength, rowLength), targets.Slice(r, 1),
                wantGradient ? gradient.Slice(r * rowLength, rowLength) : Span<float>.Empty, 1, rowLength, gradientScale);
        }
        return total;
    }

    /// <summary>One Dice loss per sample over all its pixels (not a mean of per-pixel terms); returns the sum over samples.</summary>
    public override double ComputePerPixel(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int samples, int pixels, int channels, float gradientScale)
    {
        if (samples < 0 || pixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pixels), $"{Name}: samples must be 0 or more and pixels at least 1 (got {samples} samples of {pixels} pixels).");
        }
        bool wantGradient = ValidateArguments(predictions, targets, gradient, samples * pixels, channels);
        CheckLabels(targets, channels);
        double total = 0;
        int length = pixels * channels;
        for (int s = 0; s < samples; s++)
        {
            total += SampleLoss(predictions.Slice(s * length, length), targets.Slice(s * pixels, pixels),
                wantGradient ? gradient.Slice(s * length, length) : Span<float>.Empty, pixels, channels, gradientScale);
        }
        return total;
    }

    private double SampleLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> gradient, int pixels, int classes, float gradientScale)
    {
        // Per class: intersection sum(p*y) and union-like sum(p) + sum(y). Classes are few; a
        // huge class count takes the heap instead of the stack.
        Span<double> intersection = classes <= 256 ? stackalloc double[classes] : new double[classes];
        Span<double> union = classes <= 256 ? stackalloc double[classes] : new double[classes];
        Span<double> probabilities = classes <= 256 ? stackalloc double[classes] : new double[classes];
        intersection.Clear();
        union.Clear();
        for (int p = 0; p < pixels; p++)
        {
            int label = Label(labels[p]);
            if (label < 0) continue;
            Softmax(logits.Slice(p * classes, classes), probabilities);
            for (int c = 0; c < classes; c++)
            {
                union[c] += probabilities[c];
            }
            intersection[label] += probabilities[label];
            union[label] += 1;
        }
        double s = _smoothing;
        double meanDice = 0;
        for (int c = 0; c < classes; c++)
        {
            meanDice += (2 * intersection[c] + s) / (union[c] + s);
        }
        meanDice /= classes;
        if (!gradient.IsEmpty)
        {
            for (int p = 0; p < pixels; p++)
            {
                Span<float> g = gradient.Slice(p * classes, classes);
                int label = Label(labels[p]);
                if (label < 0)
                {
                    g.Clear();
                    continue;
                }
                Softmax(logits.Slice(p * classes, classes), probabilities);
                // g_c = dL/dp_c, then back through the softmax.
                double weighted = 0;
                for (int c = 0; c < classes; c++)
                {
                    double denominator = union[c] + s;
                    double y = c == label ? 1 : 0;
                    double dp = -(2 * y * denominator - (2 * intersection[c] + s)) / (classes * denominator * denominator);
                    g[c] = (float)dp;
                    weighted += probabilities[c] * dp;
                }
                for (int c = 0; c < classes; c++)
                {
                    g[c] = (float)(probabilities[c] * (g[c] - weighted) * gradientScale);
                }
            }
        }
        return 1 - meanDice;
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        double logSumExp = SoftmaxMath.LogSumExp(logits, out _);
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = Math.Exp(logits[c] - logSumExp);
        }
    }

    private int Label(float target) => IgnoreLabel is int ignored && target == ignored ? -1 : (int)target;

    // Every label before any gradient is written, so a bad batch leaves the buffer untouched.
    private void CheckLabels(ReadOnlySpan<float> targets, int classes)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            float target = targets[i];
            if (IgnoreLabel is int ignored && target == ignored) continue;
            // Exact comparison is intended: labels are small integers stored exactly in a float.
            if (!(target >= 0 && target < classes && target == MathF.Floor(target)))
            {
                throw new ArgumentException(
                    $"{Name}: pixel {i} has target {target.ToString(CultureInfo.InvariantCulture)}, but a target must be a class index, an integer from 0 to {classes - 1}"
                    + (IgnoreLabel is int ig ? $", or the ignore label {ig}." : "."),
                    "targets");
            }
        }
    }
}
