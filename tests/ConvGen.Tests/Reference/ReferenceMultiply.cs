using System;

namespace ConvGen.Tests.Reference;

/// <summary>Keras Multiply by definition: element by element, a 1x1xC factor broadcast over every position of the other map.</summary>
public static class ReferenceMultiply
{
    public static ReferenceTensor Product(ReferenceTensor a, ReferenceTensor b)
    {
        var full = a.SampleLength >= b.SampleLength ? a : b;
        var other = ReferenceEquals(full, a) ? b : a;
        if (other.SampleLength != full.SampleLength && (other.Height != 1 || other.Width != 1 || other.Channels != full.Channels))
        {
            throw new ArgumentException($"[{a.Height},{a.Width},{a.Channels}] and [{b.Height},{b.Width},{b.Channels}] do not broadcast.");
        }
        var product = new ReferenceTensor(full.Batch, full.Height, full.Width, full.Channels, full.Rank);
        for (int n = 0; n < full.Batch; n++)
        for (int y = 0; y < full.Height; y++)
        for (int x = 0; x < full.Width; x++)
        for (int c = 0; c < full.Channels; c++)
        {
            double factor = other.SampleLength == full.SampleLength ? other[n, y, x, c] : other[n, 0, 0, c];
            product[n, y, x, c] = full[n, y, x, c] * factor;
        }
        return product;
    }
}
