using System;

namespace ConvGen.Augmentation;

/// <summary>
/// One affine resample of an HxWxC (NHWC, one sample) image: every output pixel reads the input
/// at the position an <see cref="AffineMatrix"/> maps it to, with bilinear or nearest
/// interpolation; positions outside the image follow a <see cref="FillMode"/>, applied to each
/// interpolation tap (like Keras's <c>map_coordinates</c>), so bilinear taps that fall outside
/// are reflected, wrapped, clamped or replaced by the fill value one by one.
/// </summary>
public static class AffineResampler
{
    /// <summary>Resamples <paramref name="source"/> into <paramref name="destination"/> (same shape, must not overlap).</summary>
    /// <param name="source">Height * width * channels floats.</param>
    /// <param name="destination">Height * width * channels floats.</param>
    /// <param name="height">Image height, at least 1.</param>
    /// <param name="width">Image width, at least 1.</param>
    /// <param name="channels">Channels per pixel, at least 1.</param>
    /// <param name="outputToInput">Where each output pixel reads the input.</param>
    /// <param name="interpolation">Bilinear or nearest.</param>
    /// <param name="fillMode">Reading outside the input.</param>
    /// <param name="fillValue">The value outside the input for <see cref="FillMode.Constant"/>.</param>
    public static void Resample(
        ReadOnlySpan<float> source, Span<float> destination, int height, int width, int channels,
        in AffineMatrix outputToInput, Interpolation interpolation = Interpolation.Bilinear,
        FillMode fillMode = FillMode.Reflect, float fillValue = 0f)
    {
        if (height < 1 || width < 1 || channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"The image shape {height}x{width}x{channels} must have every dimension at least 1.");
        }
        int length = checked(height * width * channels);
        if (source.Length != length)
        {
            throw new ArgumentException($"source holds {source.Length} floats but a {height}x{width}x{channels} image has {length}.", nameof(source));
        }
        if (destination.Length != length)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats but a {height}x{width}x{channels} image has {length}.", nameof(destination));
        }
        if (source.Overlaps(destination))
        {
            throw new ArgumentException("source and destination overlap; resampling needs a separate destination.", nameof(destination));
        }
        var m = outputToInput;
        for (int y = 0; y < height; y++)
        {
            // Row start and per-column steps of the map, in double so exact maps stay exact.
            double rowX = m.B * y + m.C, rowY = m.E * y + m.F;
            Span<float> outRow = destination.Slice(y * width * channels, width * channels);
            for (int x = 0; x < width; x++)
            {
                double sx = m.A * x + rowX, sy = m.D * x + rowY;
                Span<float> pixel = outRow.Slice(x * channels, channels);
                if (interpolation == Interpolation.Nearest)
                {
                    SampleNearest(source, pixel, height, width, channels, sx, sy, fillMode, fillValue);
                }
                else
                {
                    SampleBilinear(source, pixel, height, width, channels, sx, sy, fillMode, fillValue);
                }
            }
        }
    }

    /// <summary>
    /// The source index that a (possibly outside) index <paramref name="index"/> reads under
    /// <paramref name="fillMode"/>, or -1 for the fill value (<see cref="FillMode.Constant"/> outside).
    /// </summary>
    public static int FixIndex(long index, int length, FillMode fillMode)
    {
        if ((ulong)index < (ulong)length)
        {
            return (int)index;
        }
        switch (fillMode)
        {
            case FillMode.Constant:
                return -1;
            case FillMode.Nearest:
                return index < 0 ? 0 : length - 1;
            case FillMode.Wrap:
                return (int)(((index % length) + length) % length);
            default:
                long period = 2L * length;
                long m = ((index % period) + period) % period;
                return (int)(m < length ? m : period - 1 - m);
        }
    }

    private static void SampleNearest(ReadOnlySpan<float> source, Span<float> pixel, int height, int width, int channels, double sx, double sy, FillMode fillMode, float fillValue)
    {
        int ix = FixIndex(ToIndex(Math.Round(sx, MidpointRounding.ToEven)), width, fillMode);
        int iy = FixIndex(ToIndex(Math.Round(sy, MidpointRounding.ToEven)), height, fillMode);
        if (ix < 0 || iy < 0)
        {
            pixel.Fill(fillValue);
            return;
        }
        source.Slice((iy * width + ix) * channels, channels).CopyTo(pixel);
    }

    private static void SampleBilinear(ReadOnlySpan<float> source, Span<float> pixel, int height, int width, int channels, double sx, double sy, FillMode fillMode, float fillValue)
    {
        double fx = Math.Floor(sx), fy = Math.Floor(sy);
        float wx = (float)(sx - fx), wy = (float)(sy - fy);
        long x0 = ToIndex(fx), y0 = ToIndex(fy);
        int ix0 = FixIndex(x0, width, fillMode), ix1 = FixIndex(x0 + 1, width, fillMode);
        int iy0 = FixIndex(y0, height, fillMode), iy1 = FixIndex(y0 + 1, height, fillMode);
        float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
        for (int c = 0; c < channels; c++)
        {
            float v00 = Tap(source, iy0, ix0, width, channels, c, fillValue);
            float v01 = Tap(source, iy0, ix1, width, channels, c, fillValue);
            float v10 = Tap(source, iy1, ix0, width, channels, c, fillValue);
            float v11 = Tap(source, iy1, ix1, width, channels, c, fillValue);
            // Taps with zero weight are skipped so a position on a pixel centre copies it exactly.
            float value = w00 * v00;
            if (w01 != 0) value += w01 * v01;
            if (w10 != 0) value += w10 * v10;
            if (w11 != 0) value += w11 * v11;
            pixel[c] = value;
        }
    }

    private static float Tap(ReadOnlySpan<float> source, int iy, int ix, int width, int channels, int c, float fillValue) =>
        iy < 0 || ix < 0 ? fillValue : source[(iy * width + ix) * channels + c];

    // Far-away coordinates (huge zoom, NaN) clamp to a range the index fixers handle.
    private static long ToIndex(double coordinate) =>
        double.IsNaN(coordinate) ? long.MinValue / 4 : (long)Math.Clamp(coordinate, -1e15, 1e15);
}
