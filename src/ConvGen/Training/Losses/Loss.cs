using System;

namespace ConvGen.Training;

/// <summary>
/// A training objective over a batch of rows (one row per sample). Implementations return the
/// <em>sum</em> of the per-row losses so that the caller decides how to average (per batch, per
/// epoch, across threads) without rounding twice; the gradient is scaled by the caller's
/// <c>gradientScale</c> (typically <c>1 / batchSize</c>) in the same pass so the backward pass
/// needs no extra sweep over the buffer.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras-style name, e.g. <c>sparse_categorical_crossentropy</c>; accepted by <see cref="Losses.For"/>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True when predictions are the pre-activation logits of the last layer (softmax / sigmoid
    /// fused into the loss): the fused form is numerically stable and its gradient is simply
    /// <c>p - y</c>, so the network must skip its final activation while training.
    /// </summary>
    public abstract bool TakesLogits { get; }

    /// <summary>
    /// The activation this loss applies to the logits itself (<see cref="Activation.Softmax"/>,
    /// <see cref="Activation.Sigmoid"/>), or <see cref="Activation.Linear"/> when predictions are
    /// used as they are.
    /// </summary>
    public abstract Activation FusedActivation { get; }

    /// <summary>
    /// Returns the SUM of per-row losses over <paramref name="rows"/> rows and writes
    /// <c>dLoss/dPrediction * gradientScale</c> into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="predictions"><c>rows * rowLength</c> network outputs (logits when <see cref="TakesLogits"/>).</param>
    /// <param name="targets"><c>rows * TargetLength(rowLength)</c> targets.</param>
    /// <param name="gradient">
    /// <c>rows * rowLength</c> floats that receive the scaled gradient, or empty to compute the
    /// loss only (evaluation). It may be the very same buffer as <paramref name="predictions"/>
    /// (each value is read before it is overwritten) but must not partially overlap it.
    /// </param>
    /// <param name="rows">Number of rows (samples), at least 0.</param>
    /// <param name="rowLength">Values per row (classes or regression outputs), at least 1.</param>
    /// <param name="gradientScale">Factor applied to every gradient value, typically <c>1 / batchSize</c>.</param>
    public abstract double Compute(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int rows, int rowLength, float gradientScale);

    /// <summary>
    /// True when the loss means one term per pixel on an <c>[H,W,C]</c> output: one softmax over
    /// the C channels of each pixel and the loss averaged over the pixels (Keras semantics), via
    /// <see cref="ComputePerPixel"/>. Classification losses that are not per-pixel are refused on
    /// a spatial output at the start of <c>Fit</c>, because treating the whole map as one row of
    /// <c>H*W*C</c> classes is almost never what was meant.
    /// </summary>
    public virtual bool PerPixel => false;

    /// <summary>
    /// The loss of <paramref name="samples"/> dense predictions of <paramref name="pixels"/>
    /// pixels of <paramref name="channels"/> values each: every sample's loss is the mean over
    /// its labelled pixels (<see cref="LabelledPixels"/>; an ignored pixel contributes neither
    /// loss nor gradient), and the SUM over samples is returned, as <see cref="Compute"/> does
    /// for rows. The gradient is scaled by <paramref name="gradientScale"/> / labelled pixels.
    /// A sample with no labelled pixel contributes 0 and a zero gradient.
    /// </summary>
    /// <param name="predictions"><c>samples * pixels * channels</c> values, pixel-major (<c>[H,W,C]</c> per sample).</param>
    /// <param name="targets"><c>samples * pixels * TargetLength(channels)</c> targets.</param>
    /// <param name="gradient">Same length as <paramref name="predictions"/>, or empty for the loss only.</param>
    /// <param name="samples">Number of samples, at least 0.</param>
    /// <param name="pixels">Pixels per sample (<c>H*W</c>), at least 1.</param>
    /// <param name="channels">Values per pixel (classes), at least 1.</param>
    /// <param name="gradientScale">Factor applied to every gradient value, typically <c>1 / batchSize</c>.</param>
    public virtual double ComputePerPixel(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient,
        int samples, int pixels, int channels, float gradientScale)
    {
        if (samples < 0 || pixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pixels), $"{Name}: samples must be 0 or more and pixels at least 1 (got {samples} samples of {pixels} pixels).");
        }
        bool wantGradient = ValidateArguments(predictions, targets, gradient, samples * pixels, channels);
        int predictionLength = pixels * channels;
        int targetLength = pixels * TargetLength(channels);
        // Every sample is checked (by a loss-only pass) before any gradient is written, so a bad
        // label leaves the gradient buffer untouched, as Compute promises.
        // (Counted twice rather than stored: this runs every step and allocates nothing.)
        for (int s = 0; s < samples; s++)
        {
            LabelledPixels(targets.Slice(s * targetLength, targetLength), pixels, channels);
        }
        double total = 0;
        for (int s = 0; s < samples; s++)
        {
            var sampleTargets = targets.Slice(s * targetLength, targetLength);
            var sampleGradient = wantGradient ? gradient.Slice(s * predictionLength, predictionLength) : Span<float>.Empty;
            int counted = LabelledPixels(sampleTargets, pixels, channels);
            if (counted == 0)
            {
                sampleGradient.Clear();
                continue;
            }
            double sum = Compute(
                predictions.Slice(s * predictionLength, predictionLength), sampleTargets,
                sampleGradient, pixels, channels, gradientScale / counted);
            total += sum / counted;
        }
        return total;
    }

    /// <summary>
    /// How many of the <paramref name="rows"/> rows (pixels) of one sample's targets count
    /// towards its mean: all of them unless the loss has an ignore label or unlabelled rows.
    /// Throws when a target is invalid, naming the row.
    /// </summary>
    protected virtual int LabelledPixels(ReadOnlySpan<float> targets, int rows, int rowLength) => rows;

    /// <summary>How many target floats per row (1 for sparse labels, <paramref name="rowLength"/> otherwise).</summary>
    public virtual int TargetLength(int rowLength) => rowLength;

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// Checks the buffer lengths shared by every loss and returns whether a gradient is wanted.
    /// Kept here so every implementation reports mistakes with the same wording.
    /// </summary>
    protected bool ValidateArguments(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int rowLength)
    {
        if (rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"{Name}: rows must be 0 or more.");
        }
        if (rowLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, $"{Name}: rowLength must be at least 1.");
        }
        long expectedPredictions = (long)rows * rowLength;
        if (predictions.Length != expectedPredictions)
        {
            throw new ArgumentException(
                $"{Name}: predictions holds {predictions.Length} floats but {rows} rows of {rowLength} need {expectedPredictions}.",
                nameof(predictions));
        }
        int targetLength = TargetLength(rowLength);
        long expectedTargets = (long)rows * targetLength;
        if (targets.Length != expectedTargets)
        {
            throw new ArgumentException(
                $"{Name}: targets holds {targets.Length} floats but {rows} rows of {targetLength} target value(s) need {expectedTargets}.",
                nameof(targets));
        }
        if (gradient.IsEmpty)
        {
            return false;
        }
        if (gradient.Length != expectedPredictions)
        {
            throw new ArgumentException(
                $"{Name}: gradient holds {gradient.Length} floats but must be empty or match predictions ({expectedPredictions}).",
                nameof(gradient));
        }
        if (predictions.Overlaps(gradient, out int elementOffset) && elementOffset != 0)
        {
            throw new ArgumentException(
                $"{Name}: gradient partially overlaps predictions (shifted by {elementOffset} floats); use the same buffer or separate ones.",
                nameof(gradient));
        }
        return true;
    }
}
