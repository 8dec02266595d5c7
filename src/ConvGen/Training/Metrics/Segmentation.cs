using System;

namespace ConvGen.Training.Metrics;

/// <summary>
/// Segmentation scores from pixel confusion counts (<c>[actual * classes + predicted]</c>), as
/// <see cref="ConfusionMatrix"/> keeps them and as <c>Fit</c> collects them every epoch.
/// </summary>
public static class Segmentation
{
    /// <summary>
    /// Mean intersection over union, Keras's <c>MeanIoU</c>: per class <c>TP / (TP + FP + FN)</c>,
    /// averaged over the classes whose union is not empty (a class neither present nor predicted
    /// is left out rather than counted as 0 or 1); 0 when no pixel was counted.
    /// </summary>
    public static double MeanIoU(ReadOnlySpan<long> counts, int classes)
    {
        if (classes < 1 || counts.Length != (long)classes * classes)
        {
            throw new ArgumentException($"counts holds {counts.Length} values but {classes} classes need {(long)classes * classes}.", nameof(counts));
        }
        double sum = 0;
        int valid = 0;
        for (int c = 0; c < classes; c++)
        {
            long truePositives = counts[c * classes + c];
            long union = -truePositives;
            for (int other = 0; other < classes; other++)
            {
                union += counts[c * classes + other] + counts[other * classes + c];
            }
            if (union > 0)
            {
                sum += (double)truePositives / union;
                valid++;
            }
        }
        return valid == 0 ? 0 : sum / valid;
    }
}
