using System;
using System.Collections.Generic;
using SkiaSharp;

namespace ConvGen.Imaging;

/// <summary>Pictures of segmentation masks: class maps in colour, and overlays on their image.</summary>
public static class MaskPictures
{
    /// <summary>
    /// The Pascal VOC palette for <paramref name="classes"/> classes: class 0 black, then colours
    /// whose bits spread the class index over R, G and B, so neighbouring classes differ clearly.
    /// </summary>
    public static (byte R, byte G, byte B)[] DefaultPalette(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var palette = new (byte, byte, byte)[classes];
        for (int c = 0; c < classes; c++)
        {
            int r = 0, g = 0, b = 0, id = c;
            for (int bit = 7; bit >= 0 && id > 0; bit--)
            {
                r |= (id & 1) << bit;
                g |= ((id >> 1) & 1) << bit;
                b |= ((id >> 2) & 1) << bit;
                id >>= 3;
            }
            palette[c] = ((byte)r, (byte)g, (byte)b);
        }
        return palette;
    }

    /// <summary>
    /// An HxWx3 float image (values in [0, 1]) of a class map, each class in its palette colour;
    /// a value outside the palette (an ignore label) is white.
    /// </summary>
    public static float[] Colorize(ReadOnlySpan<int> classMap, int height, int width, IReadOnlyList<(byte R, byte G, byte B)> palette)
    {
        CheckMap(classMap, height, width);
        var image = new float[height * width * 3];
        for (int p = 0; p < classMap.Length; p++)
        {
            var (r, g, b) = (uint)classMap[p] < (uint)palette.Count ? palette[classMap[p]] : ((byte)255, (byte)255, (byte)255);
            image[3 * p] = r / 255f;
            image[3 * p + 1] = g / 255f;
            image[3 * p + 2] = b / 255f;
        }
        return image;
    }

    /// <summary>
    /// The image with the mask's colours blended over it (<paramref name="opacity"/> of the
    /// colour), class 0 (background) left clear, as an HxWx3 float image.
    /// </summary>
    public static float[] Overlay(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<int> classMap,
        IReadOnlyList<(byte R, byte G, byte B)> palette, float opacity = 0.5f)
    {
        CheckMap(classMap, height, width);
        if (channels is not (1 or 3 or 4) || image.Length != height * width * channels)
        {
            throw new ArgumentException($"The image holds {image.Length} floats, not a {height}x{width}x{channels} image with 1, 3 or 4 channels.", nameof(image));
        }
        if (!(opacity >= 0 && opacity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(opacity), opacity, "opacity must be from 0 to 1.");
        }
        var result = new float[height * width * 3];
        for (int p = 0; p < classMap.Length; p++)
        {
            int c = classMap[p];
            for (int k = 0; k < 3; k++)
            {
                float under = channels == 1 ? image[p] : image[channels * p + k];
                if (c == 0)
                {
                    result[3 * p + k] = under;
                    continue;
                }
                var colour = (uint)c < (uint)palette.Count ? palette[c] : ((byte)255, (byte)255, (byte)255);
                float over = (k == 0 ? colour.Item1 : k == 1 ? colour.Item2 : colour.Item3) / 255f;
                result[3 * p + k] = (1 - opacity) * under + opacity * over;
            }
        }
        return result;
    }

    /// <summary>Writes <see cref="Overlay"/> as a PNG (atomically), with the default palette unless one is given.</summary>
    public static void WriteOverlay(string path, ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<int> classMap,
        IReadOnlyList<(byte R, byte G, byte B)>? palette = null, float opacity = 0.5f)
    {
        int classes = 1;
        foreach (int c in classMap) classes = Math.Max(classes, Math.Min(c, 255) + 1);
        var overlay = Overlay(image, height, width, channels, classMap, palette ?? DefaultPalette(classes), opacity);
        ImageWriter.WritePng(path, overlay, height, width, 3);
    }

    private static void CheckMap(ReadOnlySpan<int> classMap, int height, int width)
    {
        if (height < 1 || width < 1 || classMap.Length != (long)height * width)
        {
            throw new ArgumentException($"The class map holds {classMap.Length} values, not the {height}x{width} pixels of the image.", nameof(classMap));
        }
    }
}
