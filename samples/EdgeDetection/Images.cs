using System;
using System.IO;
using SkiaSharp;

namespace EdgeDetection;

/// <summary>Image input and output for the sample: decode + resize to NHWC floats, and PNG writing.</summary>
public static class Images
{
    /// <summary>Decodes a JPEG / PNG and resizes it to <paramref name="size"/> x <paramref name="size"/> RGBA.</summary>
    public static SKBitmap Load(string path, int size)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No image at '{path}'.", path);
        }
        using var codec = SKCodec.Create(path)
            ?? throw new InvalidDataException($"'{path}' is not an image SkiaSharp can decode (expected JPEG or PNG).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = SKBitmap.Decode(codec, info)
            ?? throw new InvalidDataException($"'{path}' could not be decoded (truncated or corrupt?).");
        return decoded.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidDataException($"'{path}' could not be resized to {size}x{size}.");
    }

    /// <summary>Draws the default test picture: a square, a disc and a bar on a gradient, so there are edges in both directions.</summary>
    public static SKBitmap Default(int size)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        using (var background = new SKPaint())
        {
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size, size),
                new[] { new SKColor(30, 30, 60), new SKColor(70, 40, 40) }, SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, size, size, background);
        }
        using var paint = new SKPaint { IsAntialias = true };
        paint.Color = new SKColor(240, 200, 40);
        canvas.DrawRect(size * 0.12f, size * 0.15f, size * 0.35f, size * 0.35f, paint);
        paint.Color = new SKColor(60, 200, 240);
        canvas.DrawCircle(size * 0.70f, size * 0.35f, size * 0.17f, paint);
        paint.Color = new SKColor(220, 80, 160);
        canvas.DrawRect(size * 0.20f, size * 0.70f, size * 0.60f, size * 0.10f, paint);
        return bitmap;
    }

    /// <summary>NHWC floats in [0, 1]: one grey channel (ITU-R BT.601 luma) or three RGB channels.</summary>
    public static float[] ToTensor(SKBitmap bitmap, int channels)
    {
        var pixels = bitmap.Pixels;
        var tensor = new float[pixels.Length * channels];
        for (int i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            if (channels == 1)
            {
                tensor[i] = (0.299f * p.Red + 0.587f * p.Green + 0.114f * p.Blue) / 255f;
            }
            else
            {
                tensor[i * 3] = p.Red / 255f;
                tensor[i * 3 + 1] = p.Green / 255f;
                tensor[i * 3 + 2] = p.Blue / 255f;
            }
        }
        return tensor;
    }

    /// <summary>
    /// Writes channel <paramref name="channel"/> of an HxWxC tensor as a grey PNG of its absolute
    /// values, scaled so the strongest response is white. Written to a temporary file first, then
    /// renamed, so an interrupted run never leaves a half-written picture.
    /// </summary>
    public static void WriteAbsoluteResponse(string path, ReadOnlySpan<float> tensor, int height, int width, int channels, int channel)
    {
        float max = 1e-12f;
        for (int i = channel; i < tensor.Length; i += channels)
        {
            max = MathF.Max(max, MathF.Abs(tensor[i]));
        }
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var bytes = new byte[width * height];
        for (int p = 0; p < bytes.Length; p++)
        {
            bytes[p] = (byte)MathF.Round(255f * MathF.Abs(tensor[p * channels + channel]) / max);
        }
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        WritePng(path, bitmap);
    }

    /// <summary>Encodes a bitmap as PNG, atomically.</summary>
    public static void WritePng(string path, SKBitmap bitmap)
    {
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            if (!bitmap.Encode(stream, SKEncodedImageFormat.Png, 100))
            {
                throw new IOException($"PNG encoding failed for '{path}'.");
            }
        }
        File.Move(temporary, path, overwrite: true);
    }
}
