using System;
using System.Collections.Generic;
using System.IO;
using ConvGen.Imaging;
using SkiaSharp;

namespace ConvGen.Data;

/// <summary>
/// The embedded default data set: RGB pictures of 8 kinds of shape, drawn with SkiaSharp from a
/// seed, so a program can train on colour images on a fresh machine without any file. Each
/// picture has a random two-colour gradient background, a few random strokes as clutter, one
/// shape of random size, position, rotation and colour, and sensor-like noise. Small training
/// sets of it are easy to memorise and hard to generalise from, which is what the lecture's
/// overfitting demonstration needs.
/// </summary>
/// <remarks>
/// Image <c>i</c> shows class <c>i % 8</c> and depends only on the seed and <c>i</c>, so the
/// same seed gives the same pictures whatever the thread count. Pixels are held as bytes
/// (an 80x80 picture takes 19,200) and read as floats in [0, 1].
/// </remarks>
public sealed class SyntheticShapes : IDataSource
{
    /// <summary>Default picture size (the lecture's 80x80x3 input).</summary>
    public const int DefaultSize = 80;

    private readonly byte[] _pixels;

    /// <summary>Draws <paramref name="imagesPerClass"/> pictures of each class, <paramref name="size"/> x <paramref name="size"/> RGB.</summary>
    public SyntheticShapes(int imagesPerClass = 200, ulong seed = 1, int size = DefaultSize)
    {
        if (imagesPerClass < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(imagesPerClass), imagesPerClass, "At least one picture per class.");
        }
        if (size < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Pictures must be at least 16x16 to show a shape.");
        }
        Size = size;
        Seed = seed;
        Count = imagesPerClass * Classes.Count;
        InputLength = size * size * 3;
        _pixels = new byte[(long)Count * InputLength];
        System.Threading.Tasks.Parallel.For(0, Count, i =>
        {
            var random = new SeededRandom(seed, 0x5A_0000_0000UL + (ulong)i);
            using var bitmap = Draw(i % Classes.Count, ref random, size);
            var rgba = bitmap.GetPixelSpan();
            var target = _pixels.AsSpan(i * InputLength, InputLength);
            for (int p = 0; p < size * size; p++)
            {
                target[3 * p] = rgba[4 * p];
                target[3 * p + 1] = rgba[4 * p + 1];
                target[3 * p + 2] = rgba[4 * p + 2];
            }
        });
    }

    /// <summary>The classes, indexed by label.</summary>
    public static IReadOnlyList<string> Classes { get; } = new[] { "circle", "square", "triangle", "star", "cross", "ring", "crescent", "heart" };

    /// <summary>Picture height and width.</summary>
    public int Size { get; }

    /// <summary>The seed the pictures were drawn from.</summary>
    public ulong Seed { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int InputLength { get; }

    /// <summary>1: the class index.</summary>
    public int TargetLength => 1;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Classes;

    IReadOnlyList<string>? IDataSource.ClassNames => Classes;

    /// <summary>The class of picture <paramref name="index"/>.</summary>
    public static int LabelOf(int index) => index % Classes.Count;

    /// <inheritdoc/>
    public void Read(int index, Span<float> input, Span<float> target)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"picture index must be from 0 to {Count - 1}.");
        }
        ImageDecoder.ToFloats(_pixels.AsSpan(index * InputLength, InputLength), input);
        target[0] = LabelOf(index);
    }

    /// <summary>Writes every picture as <c>DIR/class/00042.png</c>: an image folder <see cref="ImageFolder"/> reads back.</summary>
    public void WriteFolder(string directory)
    {
        var floats = new float[InputLength];
        var target = new float[1];
        for (int i = 0; i < Count; i++)
        {
            Read(i, floats, target);
            string path = Path.Combine(directory, Classes[LabelOf(i)], $"{i:D5}.png");
            ImageWriter.WritePng(path, floats, Size, Size, 3);
        }
    }

    /// <summary>Draws one picture of class <paramref name="classIndex"/> (caller disposes).</summary>
    public static SKBitmap Draw(int classIndex, ref SeededRandom random, int size = DefaultSize)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            var (background1, background2) = (DarkColor(ref random), DarkColor(ref random));
            using (var paint = new SKPaint())
            {
                var from = new SKPoint(Next(ref random, 0, size), Next(ref random, 0, size));
                var to = new SKPoint(Next(ref random, 0, size), Next(ref random, 0, size));
                paint.Shader = SKShader.CreateLinearGradient(from, to, new[] { background1, background2 }, SKShaderTileMode.Clamp);
                canvas.DrawRect(0, 0, size, size, paint);
            }
            DrawClutter(canvas, ref random, size);
            var shapeColor = BrightColor(ref random);
            float radius = Next(ref random, 0.22f, 0.38f) * size;
            float cx = size / 2f + Next(ref random, -1, 1) * Math.Max(0, size / 2f - radius - 1) * 0.8f;
            float cy = size / 2f + Next(ref random, -1, 1) * Math.Max(0, size / 2f - radius - 1) * 0.8f;
            float degrees = Next(ref random, 0, 360);
            using var path = ShapePath(classIndex, radius);
            using var fill = new SKPaint { Color = shapeColor, IsAntialias = true, Style = SKPaintStyle.Fill };
            canvas.Translate(cx, cy);
            canvas.RotateDegrees(degrees);
            canvas.DrawPath(path, fill);
        }
        AddNoise(bitmap, ref random);
        return bitmap;
    }

    private static SKPath ShapePath(int classIndex, float r)
    {
        var path = new SKPath();
        switch (Classes[classIndex])
        {
            case "circle":
                path.AddCircle(0, 0, 0.85f * r);
                break;
            case "square":
                path.AddRect(new SKRect(-0.72f * r, -0.72f * r, 0.72f * r, 0.72f * r));
                break;
            case "triangle":
                AddPolygon(path, 3, r, r);
                break;
            case "star":
                AddPolygon(path, 5, r, 0.42f * r);
                break;
            case "cross":
                path.AddRect(new SKRect(-r, -0.27f * r, r, 0.27f * r));
                path.AddRect(new SKRect(-0.27f * r, -r, 0.27f * r, r));
                path.FillType = SKPathFillType.Winding;
                break;
            case "ring":
                path.AddCircle(0, 0, 0.9f * r);
                path.AddCircle(0, 0, 0.55f * r);
                path.FillType = SKPathFillType.EvenOdd;
                break;
            case "crescent":
            {
                using var outer = new SKPath();
                outer.AddCircle(0, 0, 0.9f * r);
                using var bite = new SKPath();
                bite.AddCircle(0.4f * r, -0.15f * r, 0.72f * r);
                using var crescent = outer.Op(bite, SKPathOp.Difference);
                path.AddPath(crescent);
                break;
            }
            default: // heart, point down
                path.MoveTo(0, 0.9f * r);
                path.CubicTo(-1.3f * r, 0.05f * r, -0.75f * r, -1.05f * r, 0, -0.45f * r);
                path.CubicTo(0.75f * r, -1.05f * r, 1.3f * r, 0.05f * r, 0, 0.9f * r);
                path.Close();
                break;
        }
        return path;
    }

    // A regular polygon (inner == outer) or a star (alternating outer / inner vertices), one vertex up.
    private static void AddPolygon(SKPath path, int points, float outer, float inner)
    {
        int vertices = inner == outer ? points : 2 * points;
        for (int k = 0; k < vertices; k++)
        {
            double angle = -Math.PI / 2 + k * 2 * Math.PI / vertices;
            float radius = inner == outer || k % 2 == 0 ? outer : inner;
            float x = (float)(radius * Math.Cos(angle)), y = (float)(radius * Math.Sin(angle));
            if (k == 0) path.MoveTo(x, y); else path.LineTo(x, y);
        }
        path.Close();
    }

    private static void DrawClutter(SKCanvas canvas, ref SeededRandom random, int size)
    {
        int strokes = 1 + random.NextInt32(3);
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };
        for (int s = 0; s < strokes; s++)
        {
            var c = RandomColor(ref random);
            paint.Color = c.WithAlpha((byte)(60 + random.NextInt32(90)));
            paint.StrokeWidth = Next(ref random, 1, 2.5f);
            if (random.NextDouble() < 0.5)
            {
                canvas.DrawLine(Next(ref random, 0, size), Next(ref random, 0, size), Next(ref random, 0, size), Next(ref random, 0, size), paint);
            }
            else
            {
                float radius = Next(ref random, 0.1f, 0.5f) * size;
                var oval = SKRect.Create(Next(ref random, -radius, size - radius), Next(ref random, -radius, size - radius), 2 * radius, 2 * radius);
                canvas.DrawArc(oval, Next(ref random, 0, 360), Next(ref random, 40, 200), false, paint);
            }
        }
    }

    private static void AddNoise(SKBitmap bitmap, ref SeededRandom random)
    {
        float sigma = Next(ref random, 2, 9);
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i += 4)
        {
            for (int k = 0; k < 3; k++)
            {
                double value = pixels[i + k] + sigma * random.NextGaussian();
                pixels[i + k] = (byte)Math.Clamp(Math.Round(value), 0, 255);
            }
        }
    }

    private static SKColor RandomColor(ref SeededRandom random) =>
        new((byte)random.NextInt32(256), (byte)random.NextInt32(256), (byte)random.NextInt32(256));

    // Backgrounds are dark and shapes bright (any hue), so a shape always stands out by its edges.
    private static SKColor DarkColor(ref SeededRandom random) =>
        new((byte)random.NextInt32(110), (byte)random.NextInt32(110), (byte)random.NextInt32(110));

    private static SKColor BrightColor(ref SeededRandom random) =>
        SKColor.FromHsv(Next(ref random, 0, 360), Next(ref random, 20, 100), Next(ref random, 80, 100));

    private static float Next(ref SeededRandom random, float min, float max) => min + (max - min) * random.NextSingle();
}
