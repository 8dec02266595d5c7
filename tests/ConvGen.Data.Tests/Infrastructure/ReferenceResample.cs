using System;

namespace ConvGen.Data.Tests;

/// <summary>
/// A deliberately plain affine resample written from the definitions, independent of the
/// runtime's: positions from explicit formulas, out-of-range taps folded by loops.
/// </summary>
internal static class ReferenceResample
{
    public enum Fill { Reflect, Constant, Nearest, Wrap }

    /// <summary>out(y, x) = interpolate(in, map(x, y)).</summary>
    public static float[] Run(float[] source, int height, int width, int channels, Func<double, double, (double X, double Y)> map, bool bilinear, Fill fill, float fillValue)
    {
        var output = new float[source.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (sx, sy) = map(x, y);
                for (int c = 0; c < channels; c++)
                {
                    float value;
                    if (!bilinear)
                    {
                        value = Read(source, height, width, channels, (long)Math.Round(sy, MidpointRounding.ToEven), (long)Math.Round(sx, MidpointRounding.ToEven), c, fill, fillValue);
                    }
                    else
                    {
                        long x0 = (long)Math.Floor(sx), y0 = (long)Math.Floor(sy);
                        double fx = sx - x0, fy = sy - y0;
                        value = (float)(
                            (1 - fx) * (1 - fy) * Read(source, height, width, channels, y0, x0, c, fill, fillValue)
                            + fx * (1 - fy) * Read(source, height, width, channels, y0, x0 + 1, c, fill, fillValue)
                            + (1 - fx) * fy * Read(source, height, width, channels, y0 + 1, x0, c, fill, fillValue)
                            + fx * fy * Read(source, height, width, channels, y0 + 1, x0 + 1, c, fill, fillValue));
                    }
                    output[(y * width + x) * channels + c] = value;
                }
            }
        }
        return output;
    }

    private static float Read(float[] source, int height, int width, int channels, long row, long column, int c, Fill fill, float fillValue)
    {
        long r = Fold(row, height, fill), k = Fold(column, width, fill);
        return r < 0 || k < 0 ? fillValue : source[(r * width + k) * channels + c];
    }

    // Walks an outside index back inside the way each mode describes it.
    private static long Fold(long i, int n, Fill fill)
    {
        if (i >= 0 && i < n) return i;
        switch (fill)
        {
            case Fill.Constant:
                return -1;
            case Fill.Nearest:
                return i < 0 ? 0 : n - 1;
            case Fill.Wrap:
                while (i < 0) i += n;
                while (i >= n) i -= n;
                return i;
            default:
                // d c b a | a b c d | d c b a: mirror across -0.5 and n - 0.5 until inside.
                while (i < 0 || i >= n)
                {
                    i = i < 0 ? -1 - i : 2 * n - 1 - i;
                }
                return i;
        }
    }
}
