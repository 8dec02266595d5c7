using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Training.Metrics;

/// <summary>
/// Counts of (actual, predicted) class pairs, with accuracy and per-class precision, recall and
/// F1 derived from them. A class that is never predicted (or never present) gets precision
/// (or recall) 0, as scikit-learn reports with <c>zero_division=0</c>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts; // row-major [actual, predicted]

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classes">Number of classes, at least 1.</param>
    /// <param name="classNames">Optional display names, one per class.</param>
    public ConfusionMatrix(int classes, IReadOnlyList<string>? classNames = null)
    {
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        }
        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException(
                $"classNames has {classNames.Count} names but there are {classes} classes; give one name per class or none.",
                nameof(classNames));
        }
        Classes = classes;
        ClassNames = classNames?.ToArray();
        _counts = new long[(long)classes * classes];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Display names, or null when none were given.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Number of samples added.</summary>
    public long Total { get; private set; }

    /// <summary>Fraction of samples whose prediction equals the actual class (0 when empty).</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < Classes; c++)
            {
                correct += Count(c, c);
            }
            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        CheckClass(actual, nameof(actual));
        CheckClass(predicted, nameof(predicted));
        _counts[actual * Classes + predicted]++;
        Total++;
    }

    /// <summary>Counts <paramref name="count"/> samples (pixels) of one (actual, predicted) pair at once.</summary>
    public void Add(int actual, int predicted, long count)
    {
        CheckClass(actual, nameof(actual));
        CheckClass(predicted, nameof(predicted));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _counts[actual * Classes + predicted] += count;
        Total += count;
    }

    /// <summary>
    /// Intersection over union of class <paramref name="c"/>: <c>TP / (TP + FP + FN)</c>, the
    /// pixels both labelled and predicted <paramref name="c"/> over those labelled or predicted
    /// <paramref name="c"/>; NaN when the class is neither present nor predicted.
    /// </summary>
    public double IoU(int c)
    {
        CheckClass(c, nameof(c));
        long union = Support(c) + Predicted(c) - _counts[c * Classes + c];
        return union == 0 ? double.NaN : (double)_counts[c * Classes + c] / union;
    }

    /// <summary>
    /// Mean of <see cref="IoU"/> over the classes that are present or predicted (Keras's
    /// <c>MeanIoU</c> leaves the others out); 0 when the matrix is empty.
    /// </summary>
    public double MeanIoU => Segmentation.MeanIoU(_counts, Classes);

    /// <summary>Number of samples predicted as class <paramref name="c"/>.</summary>
    public long Predicted(int c)
    {
        CheckClass(c, nameof(c));
        long predicted = 0;
        for (int actual = 0; actual < Classes; actual++)
        {
            predicted += _counts[actual * Classes + c];
        }
        return predicted;
    }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long Count(int actual, int predicted)
    {
        CheckClass(actual, nameof(actual));
        CheckClass(predicted, nameof(predicted));
        return _counts[actual * Classes + predicted];
    }

    /// <summary>Of the samples predicted as <paramref name="c"/>, the fraction that are <paramref name="c"/>.</summary>
    public double Precision(int c)
    {
        CheckClass(c, nameof(c));
        long predicted = 0;
        for (int actual = 0; actual < Classes; actual++)
        {
            predicted += _counts[actual * Classes + c];
        }
        return predicted == 0 ? 0 : (double)_counts[c * Classes + c] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>.</summary>
    public double Recall(int c)
    {
        long support = Support(c);
        return support == 0 ? 0 : (double)_counts[c * Classes + c] / support;
    }

    /// <summary>Harmonic mean of <see cref="Precision"/> and <see cref="Recall"/> (0 when both are 0).</summary>
    public double F1(int c)
    {
        double precision = Precision(c);
        double recall = Recall(c);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /// <summary>Number of samples whose actual class is <paramref name="c"/>.</summary>
    public long Support(int c)
    {
        CheckClass(c, nameof(c));
        long support = 0;
        for (int predicted = 0; predicted < Classes; predicted++)
        {
            support += _counts[c * Classes + predicted];
        }
        return support;
    }

    /// <summary>Forgets every sample (to reuse the matrix for the next epoch).</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
    }

    /// <summary>
    /// The matrix (rows actual, columns predicted, labelled by index and name) followed by a
    /// per-class table of precision, recall, F1 and support; columns are right-aligned.
    /// </summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string[] labels = Enumerable.Range(0, Classes)
            .Select(c => ClassNames is null ? c.ToString(inv) : $"{c} {ClassNames[c]}")
            .ToArray();
        const string corner = "actual \\ predicted";
        int labelWidth = Math.Max(corner.Length, labels.Max(l => l.Length));
        int countWidth = Math.Max(Classes - 1, _counts.Max()).ToString(inv).Length;

        var text = new StringBuilder();
        text.Append(inv, $"Confusion matrix: {Total} samples, accuracy {Accuracy:0.0000}").AppendLine();
        text.Append(corner.PadRight(labelWidth));
        for (int c = 0; c < Classes; c++)
        {
            text.Append(' ').Append(c.ToString(inv).PadLeft(countWidth));
        }
        text.AppendLine();
        for (int actual = 0; actual < Classes; actual++)
        {
            text.Append(labels[actual].PadRight(labelWidth));
            for (int predicted = 0; predicted < Classes; predicted++)
            {
                text.Append(' ').Append(_counts[actual * Classes + predicted].ToString(inv).PadLeft(countWidth));
            }
            text.AppendLine();
        }

        text.AppendLine();
        string[] headers = { "precision", "recall", "f1", "support" };
        int valueWidth = headers.Max(h => h.Length);
        text.Append("class".PadRight(labelWidth));
        foreach (string header in headers)
        {
            text.Append("  ").Append(header.PadLeft(valueWidth));
        }
        text.AppendLine();
        for (int c = 0; c < Classes; c++)
        {
            text.Append(labels[c].PadRight(labelWidth));
            text.Append("  ").Append(Precision(c).ToString("0.0000", inv).PadLeft(valueWidth));
            text.Append("  ").Append(Recall(c).ToString("0.0000", inv).PadLeft(valueWidth));
            text.Append("  ").Append(F1(c).ToString("0.0000", inv).PadLeft(valueWidth));
            text.Append("  ").Append(Support(c).ToString(inv).PadLeft(valueWidth));
            text.AppendLine();
        }
        return text.ToString();
    }

    private void CheckClass(int c, string name)
    {
        if ((uint)c >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(name, c, $"{name} must be a class index from 0 to {Classes - 1}.");
        }
    }
}
