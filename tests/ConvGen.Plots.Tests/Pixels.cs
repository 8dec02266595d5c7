using System;
using System.Collections.Generic;
using System.IO;
using SkiaSharp;

namespace ConvGen.Plots.Tests;

/// <summary>Reads a written PNG back and looks at its pixels.</summary>
internal sealed class Pixels : IDisposable
{
    private readonly SKBitmap _bitmap;

    public Pixels(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        _bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not a decodable image");
    }

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    public SKColor this[int x, int y] => _bitmap.GetPixel(x, y);

    /// <summary>Share of pixels that are not (near) white.</summary>
    public double InkShare()
    {
        long ink = 0;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                var c = _bitmap.GetPixel(x, y);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240)
                {
                    ink++;
                }
            }
        }
        return (double)ink / ((long)Width * Height);
    }

    /// <summary>Every pixel within <paramref name="tolerance"/> of <paramref name="colour"/> in columns [left, right).</summary>
    public List<(int X, int Y)> Find(SKColor colour, int left, int right, int tolerance = 6)
    {
        var found = new List<(int, int)>();
        for (int y = 0; y < Height; y++)
        {
            for (int x = left; x < right; x++)
            {
                var c = _bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - colour.Red) <= tolerance && Math.Abs(c.Green - colour.Green) <= tolerance && Math.Abs(c.Blue - colour.Blue) <= tolerance)
                {
                    found.Add((x, y));
                }
            }
        }
        return found;
    }

    public void Dispose() => _bitmap.Dispose();
}
