using System;
using System.IO;
using SkiaSharp;

namespace ConvGen.Data.Tests;

/// <summary>Writes small JPEG / PNG files with SkiaSharp, independently of the loader under test.</summary>
internal static class TestImages
{
    /// <summary>A bitmap whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> color)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, color(x, y));
            }
        }
        return bitmap;
    }

    /// <summary>Encodes by the extension: .png lossless, .jpg / .jpeg at quality 95.</summary>
    public static string Write(string path, SKBitmap bitmap)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var format = Path.GetExtension(path).ToLowerInvariant() is ".jpg" or ".jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        using var stream = File.Create(path);
        Assert.True(bitmap.Encode(stream, format, 95), $"encoding {path}");
        return path;
    }

    public static string WriteSolid(string path, int width, int height, SKColor color)
    {
        using var bitmap = Bitmap(width, height, (_, _) => color);
        return Write(path, bitmap);
    }

    /// <summary>A noisy picture (so the encoded file is large enough to truncate meaningfully).</summary>
    public static string WriteNoisy(string path, int width, int height, int seed)
    {
        var random = new Random(seed);
        using var bitmap = Bitmap(width, height, (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        return Write(path, bitmap);
    }

    /// <summary>Keeps only the first <paramref name="fraction"/> of the file's bytes.</summary>
    public static void Truncate(string path, double fraction)
    {
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
    }
}
