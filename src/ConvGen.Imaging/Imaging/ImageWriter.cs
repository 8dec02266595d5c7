using System;
using System.Collections.Generic;
using System.IO;
using SkiaSharp;

namespace ConvGen.Imaging;

/// <summary>Writes HxWxC float tensors (values in [0, 1]) as PNG files, alone or as a labelled grid.</summary>
public static class ImageWriter
{
    /// <summary>An RGBA bitmap of one HxWxC image (1 channel shown grey, 3 as RGB, 4 as RGBA); values are clipped to [0, 1].</summary>
    public static SKBitmap ToBitmap(ReadOnlySpan<float> image, int height, int width, int channels)
    {
        if (channels is not (1 or 3 or 4) || image.Length != height * width * channels)
        {
            throw new ArgumentException($"The image holds {image.Length} floats, not a {height}x{width}x{channels} image with 1, 3 or 4 channels.", nameof(image));
        }
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        for (int p = 0; p < height * width; p++)
        {
            for (int k = 0; k < 4; k++)
            {
                float v = channels switch
                {
                    1 => k == 3 ? 1 : image[p],
                    3 => k == 3 ? 1 : image[3 * p + k],
                    _ => image[4 * p + k],
                };
                pixels[4 * p + k] = (byte)MathF.Round(255 * Math.Clamp(v, 0f, 1f));
            }
        }
        return bitmap;
    }

    /// <summary>Writes one image as PNG (atomically: temporary file, then rename).</summary>
    public static void WritePng(string path, ReadOnlySpan<float> image, int height, int width, int channels)
    {
        using var bitmap = ToBitmap(image, height, width, channels);
        WritePng(path, bitmap);
    }

    /// <summary>Encodes a bitmap as PNG, atomically.</summary>
    public static void WritePng(string path, SKBitmap bitmap)
    {
        Encode(path, bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>Encodes a bitmap as JPEG with the given quality (0-100), atomically.</summary>
    public static void WriteJpeg(string path, SKBitmap bitmap, int quality = 90)
    {
        Encode(path, bitmap, SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>
    /// Writes images as a grid PNG: <paramref name="columns"/> per row, each scaled up by
    /// <paramref name="scale"/> (nearest, so pixels stay visible), with an optional caption per
    /// row drawn above it in the font of <paramref name="fontFile"/> (a TrueType file; SkiaSharp's
    /// dependency-free native build cannot look fonts up by name).
    /// </summary>
    public static void WriteGrid(string path, IReadOnlyList<float[]> images, int height, int width, int channels, int columns, int scale = 2, IReadOnlyList<string>? rowCaptions = null, string? fontFile = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0 || columns < 1 || scale < 1)
        {
            throw new ArgumentException("A grid needs at least one image, one column and a scale of at least 1.");
        }
        int rows = (images.Count + columns - 1) / columns;
        const int Gap = 4;
        int caption = rowCaptions is null ? 0 : 16;
        int cellWidth = width * scale, cellHeight = height * scale;
        var info = new SKImageInfo(columns * (cellWidth + Gap) + Gap, rows * (cellHeight + Gap + caption) + Gap, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var grid = new SKBitmap(info);
        using (var canvas = new SKCanvas(grid))
        {
            canvas.Clear(SKColors.White);
            using var typeface = (fontFile is not null ? SKTypeface.FromFile(fontFile) : null) ?? SKTypeface.Default;
            using var font = new SKFont(typeface, 12);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            for (int i = 0; i < images.Count; i++)
            {
                int row = i / columns, column = i % columns;
                float top = Gap + row * (cellHeight + Gap + caption);
                if (column == 0 && rowCaptions is not null && row < rowCaptions.Count)
                {
                    canvas.DrawText(rowCaptions[row], Gap, top + 12, SKTextAlign.Left, font, ink);
                }
                using var tile = ToBitmap(images[i], height, width, channels);
                using var image = SKImage.FromBitmap(tile);
                var destination = SKRect.Create(Gap + column * (cellWidth + Gap), top + caption, cellWidth, cellHeight);
                canvas.DrawImage(image, destination, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
            }
        }
        WritePng(path, grid);
    }

    private static void Encode(string path, SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            if (!bitmap.Encode(stream, format, quality))
            {
                throw new IOException($"{format} encoding failed for '{path}'.");
            }
        }
        File.Move(temporary, path, overwrite: true);
    }
}
