using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using ConvGen.Data;
using SkiaSharp;

namespace ConvGen.Imaging;

/// <summary>
/// Decodes JPEG / PNG (and BMP, GIF, WebP) files through SkiaSharp into 8-bit HxWxC pixels of a
/// chosen size and channel count. Every failure is a <see cref="DataFileException"/> naming the
/// file and saying what is wrong (empty, not an image, truncated, corrupt).
/// </summary>
public static class ImageDecoder
{
    /// <summary>Extensions the loaders pick up, lower case.</summary>
    public static readonly string[] Extensions = { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp" };

    /// <summary>True when <paramref name="path"/> has one of <see cref="Extensions"/> (any case).</summary>
    public static bool HasImageExtension(string path) =>
        Array.IndexOf(Extensions, Path.GetExtension(path).ToLowerInvariant()) >= 0;

    /// <summary>
    /// The default limit on an image's pixel count (width x height from its header), 64 Mi
    /// pixels (67,108,864: 8192x8192), 256 MiB as RGBA: far above photos, well below what a
    /// forged header can claim.
    /// </summary>
    public const long DefaultMaxPixels = 1L << 26;

    // Above this many pixels (16 MiB as RGBA) a decode that the codec cannot scale natively is
    // reduced band by band instead of held whole (see BandedReduction).
    internal const long ReduceAbovePixels = 1L << 22;

    /// <summary>
    /// Decodes <paramref name="path"/>, optionally centre-crops it to the target aspect ratio,
    /// resizes it to <paramref name="height"/> x <paramref name="width"/> and writes
    /// <c>height * width * channels</c> bytes: 1 channel is luma (0.2989 R + 0.5870 G + 0.1140 B,
    /// as TensorFlow), 3 is RGB, 4 is RGBA (unpremultiplied). Grey files give equal R, G and B.
    /// Images over <see cref="DefaultMaxPixels"/> are refused.
    /// </summary>
    public static void Decode(string path, int height, int width, int channels, ResizeInterpolation interpolation, bool cropToAspectRatio, Span<byte> destination) =>
        Decode(path, height, width, channels, interpolation, cropToAspectRatio, DefaultMaxPixels, destination);

    /// <summary>
    /// Decodes like <see cref="Decode(string, int, int, int, ResizeInterpolation, bool, Span{byte})"/>,
    /// refusing images whose header declares more than <paramref name="maxPixels"/> pixels.
    /// </summary>
    public static void Decode(string path, int height, int width, int channels, ResizeInterpolation interpolation, bool cropToAspectRatio, long maxPixels, Span<byte> destination)
    {
        CheckShape(height, width, channels, destination.Length);
        using var bitmap = DecodeRgba(path, height, width, interpolation, cropToAspectRatio, maxPixels);
        var rgba = bitmap.GetPixelSpan();
        int pixels = height * width;
        for (int p = 0; p < pixels; p++)
        {
            byte r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
            switch (channels)
            {
                case 1:
                    destination[p] = (byte)Math.Clamp(MathF.Round(0.2989f * r + 0.5870f * g + 0.1140f * b), 0, 255);
                    break;
                case 3:
                    destination[3 * p] = r;
                    destination[3 * p + 1] = g;
                    destination[3 * p + 2] = b;
                    break;
                default:
                    rgba.Slice(4 * p, 4).CopyTo(destination.Slice(4 * p, 4));
                    break;
            }
        }
    }

    /// <summary>Decodes and resizes like <see cref="Decode(string, int, int, int, ResizeInterpolation, bool, long, Span{byte})"/>, returning floats in [0, 1] (byte / 255).</summary>
    public static float[] Load(string path, int height, int width, int channels, ResizeInterpolation interpolation = ResizeInterpolation.Bilinear, bool cropToAspectRatio = false, long maxPixels = DefaultMaxPixels)
    {
        var bytes = new byte[height * width * channels];
        Decode(path, height, width, channels, interpolation, cropToAspectRatio, maxPixels, bytes);
        var floats = new float[bytes.Length];
        ToFloats(bytes, floats);
        return floats;
    }

    /// <summary>Bytes to floats in [0, 1] (divided by 255, the exact Keras value).</summary>
    public static void ToFloats(ReadOnlySpan<byte> bytes, Span<float> floats)
    {
        if (bytes.Length != floats.Length)
        {
            throw new ArgumentException($"{bytes.Length} bytes cannot fill {floats.Length} floats.", nameof(floats));
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            floats[i] = bytes[i] / 255f;
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is a regular file that starts like an image SkiaSharp
    /// can decode, of at most <paramref name="maxPixels"/> pixels (reads the header only).
    /// </summary>
    public static void CheckHeader(string path, long maxPixels = DefaultMaxPixels)
    {
        using var file = ImageFile.OpenRegular(path);
        Guard(path, () =>
        {
            using var codec = CreateCodec(path, file);
            CheckSize(path, codec, maxPixels);
            return 0;
        });
    }

    /// <summary>
    /// The picture at its own size as an unpremultiplied RGBA bitmap (caller disposes), never
    /// resampled: for segmentation masks, whose values are labels that must not be blended.
    /// </summary>
    public static SKBitmap DecodeOriginal(string path, long maxPixels = DefaultMaxPixels)
    {
        using var file = ImageFile.OpenRegular(path);
        return Guard(path, () =>
        {
            using var codec = CreateCodec(path, file);
            var info = CheckSize(path, codec, maxPixels);
            return DecodeWhole(path, codec, new SKSizeI(info.Width, info.Height));
        });
    }

    /// <summary>The decoded, resized picture as an RGBA bitmap (caller disposes).</summary>
    public static SKBitmap DecodeRgba(string path, int height, int width, ResizeInterpolation interpolation = ResizeInterpolation.Bilinear, bool cropToAspectRatio = false, long maxPixels = DefaultMaxPixels)
    {
        CheckShape(height, width, 4, height * width * 4);
        using var decoded = DecodeNear(path, height, width, maxPixels);
        return Guard(path, () => Resize(path, decoded, height, width, interpolation, cropToAspectRatio));
    }

    /// <summary>
    /// The picture decoded at the smallest size the decoder reaches cheaply that is still at
    /// least <paramref name="height"/> x <paramref name="width"/> (or its full size when
    /// smaller), before the exact resize: JPEG and WebP scale while decoding; large images of
    /// other formats are reduced band by band. Memory stays near that size, not the file's.
    /// </summary>
    internal static SKBitmap DecodeNear(string path, int height, int width, long maxPixels)
    {
        using var file = ImageFile.OpenRegular(path);
        return Guard(path, () =>
        {
            using var codec = CreateCodec(path, file);
            var full = CheckSize(path, codec, maxPixels);
            // JPEG can decode at 1/2, 1/4 or 1/8 scale much faster; stay at least as large as the target.
            float scale = Math.Min(1f, Math.Max((float)width / full.Width, (float)height / full.Height));
            var size = scale < 1 ? codec.GetScaledDimensions(scale) : new SKSizeI(full.Width, full.Height);
            if (size.Width < width || size.Height < height)
            {
                size = new SKSizeI(full.Width, full.Height);
            }
            int factor = Math.Max(1, Math.Min(size.Width / width, size.Height / height));
            if (factor > 1 && (long)size.Width * size.Height > ReduceAbovePixels)
            {
                var reduced = codec.EncodedFormat == SKEncodedImageFormat.Png
                    ? PngBands.DecodeReduced(path, factor)
                    : BandedReduction.Decode(path, codec, size, factor);
                if (reduced is not null)
                {
                    return reduced;
                }
            }
            return DecodeWhole(path, codec, size);
        });
    }

    private static SKBitmap DecodeWhole(string path, SKCodec codec, SKSizeI size)
    {
        var full = codec.Info;
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            decoded.Dispose();
            throw new DataFileException(path, result switch
            {
                SKCodecResult.IncompleteInput => $"truncated: the {Format(codec)} data ends before the whole {full.Width}x{full.Height} image is decoded.",
                SKCodecResult.ErrorInInput => $"corrupt: the {Format(codec)} data has an error inside the image.",
                _ => $"the {Format(codec)} image could not be decoded ({result}).",
            });
        }
        return decoded;
    }

    // The header's size, checked against the pixel limit before any pixel memory is taken.
    private static SKImageInfo CheckSize(string path, SKCodec codec, long maxPixels)
    {
        var full = codec.Info;
        if (full.Width < 1 || full.Height < 1)
        {
            throw new DataFileException(path, $"the image header declares a size of {full.Width}x{full.Height}.");
        }
        long pixels = (long)full.Width * full.Height;
        if (pixels > maxPixels)
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                $"too large: the {Format(codec)} header declares {full.Width}x{full.Height} = {pixels:N0} pixels, more than the limit of {maxPixels:N0} (ImageFolderOptions.MaxPixels)."));
        }
        return full;
    }

    // SkiaSharp reports some failures (e.g. pixel memory it cannot allocate) as a bare
    // System.Exception; any exception it throws for a file becomes a DataFileException naming
    // the file, so BadInputPolicy.Skip can leave the file out.
    private static T Guard<T>(string path, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is not DataFileException && !IsMissingNativeLibrary(e))
        {
            throw new DataFileException(path, $"SkiaSharp could not decode the image: {e.GetType().Name}: {e.Message}", inner: e);
        }
    }

    private static bool IsMissingNativeLibrary(Exception e) =>
        e is InvalidOperationException { InnerException: DllNotFoundException or TypeInitializationException };

    private static SKBitmap Resize(string path, SKBitmap decoded, int height, int width, ResizeInterpolation interpolation, bool cropToAspectRatio)
    {
        SKBitmap source = decoded;
        SKBitmap? cropped = null;
        try
        {
            if (cropToAspectRatio)
            {
                // Largest centred window with the target's aspect ratio (Keras crop_to_aspect_ratio).
                double target = (double)width / height;
                int cropWidth = decoded.Width, cropHeight = decoded.Height;
                if ((double)decoded.Width / decoded.Height > target)
                {
                    cropWidth = Math.Max(1, (int)Math.Round(decoded.Height * target));
                }
                else
                {
                    cropHeight = Math.Max(1, (int)Math.Round(decoded.Width / target));
                }
                int left = (decoded.Width - cropWidth) / 2, top = (decoded.Height - cropHeight) / 2;
                cropped = new SKBitmap();
                if (!decoded.ExtractSubset(cropped, SKRectI.Create(left, top, cropWidth, cropHeight)))
                {
                    throw new DataFileException(path, $"could not crop the {decoded.Width}x{decoded.Height} image to {cropWidth}x{cropHeight}.");
                }
                source = cropped;
            }
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            if (source.Width == width && source.Height == height)
            {
                return source.Copy(SKColorType.Rgba8888) ?? throw new DataFileException(path, "could not copy the decoded pixels.");
            }
            return source.Resize(info, Sampling(interpolation))
                ?? throw new DataFileException(path, $"could not resize the {source.Width}x{source.Height} image to {width}x{height}.");
        }
        finally
        {
            cropped?.Dispose();
        }
    }

    private static string Format(SKCodec codec) => codec.EncodedFormat.ToString().ToUpperInvariant();

    private static SKSamplingOptions Sampling(ResizeInterpolation interpolation) => interpolation switch
    {
        ResizeInterpolation.Nearest => new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None),
        ResizeInterpolation.Bicubic => new SKSamplingOptions(SKCubicResampler.CatmullRom),
        ResizeInterpolation.Area => new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear),
        _ => new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None),
    };

    private static SKCodec CreateCodec(string path, FileStream file)
    {
        long length = file.Length;
        Span<byte> start = stackalloc byte[8];
        int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        SKCodec? codec;
        SKCodecResult result;
        try
        {
            // The codec owns the stream once created; dispose it ourselves only on failure. The
            // file itself is the caller's, closed after the codec.
            var stream = new SKManagedStream(file, disposeManagedStream: false);
            codec = SKCodec.Create(stream, out result);
            if (codec is null)
            {
                stream.Dispose();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw new InvalidOperationException(
                "SkiaSharp's native library could not be loaded. Add the native asset package for this platform to the application, "
                + "e.g. <PackageReference Include=\"SkiaSharp.NativeAssets.Linux.NoDependencies\" Version=\"3.119.4\" />.", e);
        }
        if (codec is null)
        {
            string hex = Convert.ToHexString(start[..read]).ToLowerInvariant();
            string? format = Sniff(start[..read]);
            throw new DataFileException(path, result == SKCodecResult.IncompleteInput
                ? $"truncated: the file ({length} bytes) ends inside the image header."
                : format is not null
                ? $"corrupt: the file starts like {format} (bytes {hex}) but its header is invalid or beyond what the decoder accepts ({result})."
                : $"not an image: its {length} bytes (starting {hex}) are not JPEG, PNG, BMP, GIF or WebP data.");
        }
        return codec;
    }

    // The format a file's first bytes announce, to tell a damaged image from another kind of file.
    private static string? Sniff(ReadOnlySpan<byte> start) => start switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "a PNG",
        [0xFF, 0xD8, 0xFF, ..] => "a JPEG",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "a GIF",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', ..] => "a RIFF (WebP)",
        [(byte)'B', (byte)'M', _, _, _, _, _, _] => "a BMP",
        _ => null,
    };

    private static void CheckShape(int height, int width, int channels, int destinationLength)
    {
        if (height < 1 || width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"The target size {height}x{width} must be at least 1x1.");
        }
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images can be read with 1 (grey), 3 (RGB) or 4 (RGBA) channels.");
        }
        if (destinationLength != height * width * channels)
        {
            throw new ArgumentException($"The destination holds {destinationLength} bytes but a {height}x{width}x{channels} image needs {height * width * channels}.", "destination");
        }
    }
}
