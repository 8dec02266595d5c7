using System;

namespace ConvGen.Tests.Reference;

/// <summary>
/// Keras 3 GroupNormalization by definition, in double: per sample and group, the mean and
/// population variance over every position and the group's channels; LayerNormalization over
/// the channel axis is one group per position.
/// </summary>
public static class ReferenceGroupNorm
{
    /// <param name="gamma">Per channel, or null for Scale = false.</param>
    /// <param name="beta">Per channel, or null for Center = false.</param>
    public static ReferenceTensor GroupNorm(ReferenceTensor x, int groups, double epsilon, double[]? gamma, double[]? beta)
    {
        var y = new ReferenceTensor(x.Batch, x.Height, x.Width, x.Channels, x.Rank);
        int perGroup = x.Channels / groups;
        for (int n = 0; n < x.Batch; n++)
        for (int g = 0; g < groups; g++)
        {
            Normalize(x, y, n, 0, x.Height, 0, x.Width, g * perGroup, perGroup, epsilon, gamma, beta);
        }
        return y;
    }

    public static ReferenceTensor LayerNorm(ReferenceTensor x, double epsilon, double[]? gamma, double[]? beta)
    {
        var y = new ReferenceTensor(x.Batch, x.Height, x.Width, x.Channels, x.Rank);
        for (int n = 0; n < x.Batch; n++)
        for (int h = 0; h < x.Height; h++)
        for (int w = 0; w < x.Width; w++)
        {
            Normalize(x, y, n, h, h + 1, w, w + 1, 0, x.Channels, epsilon, gamma, beta);
        }
        return y;
    }

    private static void Normalize(ReferenceTensor x, ReferenceTensor y, int n, int h0, int h1, int w0, int w1, int c0, int count, double epsilon, double[]? gamma, double[]? beta)
    {
        double sum = 0, squares = 0;
        int cells = 0;
        for (int h = h0; h < h1; h++)
        for (int w = w0; w < w1; w++)
        for (int c = c0; c < c0 + count; c++)
        {
            sum += x[n, h, w, c];
            cells++;
        }
        double mean = sum / cells;
        for (int h = h0; h < h1; h++)
        for (int w = w0; w < w1; w++)
        for (int c = c0; c < c0 + count; c++)
        {
            squares += (x[n, h, w, c] - mean) * (x[n, h, w, c] - mean);
        }
        double inverse = 1.0 / Math.Sqrt(squares / cells + epsilon);
        for (int h = h0; h < h1; h++)
        for (int w = w0; w < w1; w++)
        for (int c = c0; c < c0 + count; c++)
        {
            y[n, h, w, c] = (gamma?[c] ?? 1.0) * (x[n, h, w, c] - mean) * inverse + (beta?[c] ?? 0.0);
        }
    }
}
