using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using SkiaSharp;

namespace ConvGen.Data;

/// <summary>
/// Image + mask pairs for segmentation: <c>DIR/images/x.jpg</c> with <c>DIR/masks/x.png</c>
/// (same file name, any image extension; masks should be lossless, PNG), as common
/// segmentation data sets are laid out. A mask holds one class per pixel: its 8-bit grey value,
/// or its colour looked up in <see cref="SegmentationFolderOptions.Palette"/>. The input is the
/// image resized to the options' size; the target is the <c>[H,W]</c> class-index map (mask
/// resized with nearest neighbour, never blended), for <c>SparseSoftmaxCrossEntropy</c> or
/// <c>DiceLoss</c> on an <c>[H,W,classes]</c> output. Every pair is decoded and checked when the
/// folder is opened and kept in memory (<c>H*W*(channels+1)</c> bytes a pair). <see cref="Read"/> is thread-safe.
/// </summary>
/// <remarks>
/// A bad pair (an image without a mask, an unreadable file, a mask of another size than its
/// image, a mask value that is neither a class nor the ignore label, a colour not in the
/// palette) is refused with a <see cref="DataFileException"/> naming the file and the problem,
/// or skipped and recorded in <see cref="Report"/> under <see cref="BadInputPolicy.Skip"/>.
/// Masks without an image are not pairs; they are counted in <see cref="UnpairedMasks"/>.
/// </remarks>
public sealed class SegmentationFolder : IDataSource
{
    private readonly SegmentationFolderOptions _options;
    private readonly string[] _images;
    private readonly string[] _masks;
    private readonly byte[][] _pixels;
    private readonly byte[][] _labels;

    private SegmentationFolder(string directory, SegmentationFolderOptions options, string[] images, string[] masks, byte[][] pixels, byte[][] labels, BadInputReport report, int unpaired)
    {
        Directory = directory;
        _options = options;
        _images = images;
        _masks = masks;
        _pixels = pixels;
        _labels = labels;
        Report = report;
        UnpairedMasks = unpaired;
        ClassNames = options.ClassNames?.ToArray() ?? Enumerable.Range(0, options.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The folder holding <c>images/</c> and <c>masks/</c>.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    public int Count => _images.Length;

    /// <summary>Floats per image (height * width * channels).</summary>
    public int InputLength => _options.Height * _options.Width * _options.Channels;

    /// <summary>Floats per target: one class index per pixel (height * width).</summary>
    public int TargetLength => _options.Height * _options.Width;

    /// <summary>Class names; index = class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    IReadOnlyList<string>? IDataSource.ClassNames => ClassNames;

    /// <summary>Pairs left out under <see cref="BadInputPolicy.Skip"/>.</summary>
    public BadInputReport Report { get; }

    /// <summary>Masks whose image is missing (not pairs, so not read).</summary>
    public int UnpairedMasks { get; }

    /// <summary>Image height.</summary>
    public int Height => _options.Height;

    /// <summary>Image width.</summary>
    public int Width => _options.Width;

    /// <summary>Image channels.</summary>
    public int Channels => _options.Channels;

    /// <summary>The image file of pair <paramref name="index"/>.</summary>
    public string ImageOf(int index) => _images[CheckIndex(index)];

    /// <summary>The mask file of pair <paramref name="index"/>.</summary>
    public string MaskOf(int index) => _masks[CheckIndex(index)];

    /// <summary>Opens <paramref name="directory"/>: pairs every image with its mask and checks each pair.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder, or its <c>images</c> or <c>masks</c> sub-folder, does not exist.</exception>
    /// <exception cref="DataFileException">Under <see cref="BadInputPolicy.Throw"/>: the first bad pair; under any policy: no usable pair.</exception>
    public static SegmentationFolder Open(string directory, SegmentationFolderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        string imageDir = Path.Combine(directory, "images");
        string maskDir = Path.Combine(directory, "masks");
        foreach (var dir in new[] { directory, imageDir, maskDir })
        {
            if (!System.IO.Directory.Exists(dir))
            {
                throw new DirectoryNotFoundException($"No folder at '{dir}': a segmentation folder holds images/ and masks/ with the same file names (images/x.jpg, masks/x.png).");
            }
        }
        var images = ImageFiles(imageDir);
        var masksByStem = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var mask in ImageFiles(maskDir))
        {
            string stem = Path.GetFileNameWithoutExtension(mask);
            if (!masksByStem.TryGetValue(stem, out var list)) masksByStem[stem] = list = new List<string>();
            list.Add(mask);
        }
        var report = new BadInputReport();
        var pairs = new List<(string Image, string Mask)>();
        var usedStems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            string stem = Path.GetFileNameWithoutExtension(image);
            if (!masksByStem.TryGetValue(stem, out var candidates))
            {
                report.Handle(options.BadPairs, new DataFileException(image, $"has no mask: expected masks/{stem}.png (any image extension) next to images/."));
                continue;
            }
            if (candidates.Count > 1)
            {
                report.Handle(options.BadPairs, new DataFileException(image,
                    $"has {candidates.Count} masks ({string.Join(", ", candidates.Select(Path.GetFileName))}); keep one per image."));
                continue;
            }
            usedStems.Add(stem);
            pairs.Add((image, candidates[0]));
        }
        int unpaired = masksByStem.Keys.Count(stem => !usedStems.Contains(stem) && !images.Any(i => Path.GetFileNameWithoutExtension(i) == stem));

        var pixels = new byte[pairs.Count][];
        var labels = new byte[pairs.Count][];
        var failures = new DataFileException?[pairs.Count];
        var parallel = new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads) };
        System.Threading.Tasks.Parallel.For(0, pairs.Count, parallel, i =>
        {
            try
            {
                (pixels[i], labels[i]) = LoadPair(pairs[i].Image, pairs[i].Mask, options);
            }
            catch (DataFileException e)
            {
                failures[i] = e;
            }
        });
        var keep = new List<int>();
        for (int i = 0; i < pairs.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                report.Handle(options.BadPairs, failure); // in file order, so Throw names the first bad pair
            }
            else
            {
                keep.Add(i);
            }
        }
        if (keep.Count == 0)
        {
            throw new DataFileException(directory, $"no usable image + mask pairs: {images.Count} images, {report.Count} problems ({report.Skipped.FirstOrDefault()?.ToString() ?? "no images in images/"}).");
        }
        return new SegmentationFolder(directory, options,
            keep.Select(i => pairs[i].Image).ToArray(), keep.Select(i => pairs[i].Mask).ToArray(),
            keep.Select(i => pixels[i]).ToArray(), keep.Select(i => labels[i]).ToArray(), report, unpaired);
    }

    /// <inheritdoc/>
    public void Read(int index, Span<float> input, Span<float> target)
    {
        CheckIndex(index);
        if (input.Length != InputLength || target.Length != TargetLength)
        {
            throw new ArgumentException($"Read needs an input span of {InputLength} floats and a target span of {TargetLength}; got {input.Length} and {target.Length}.");
        }
        ImageDecoder.ToFloats(_pixels[index], input);
        var labels = _labels[index];
        for (int p = 0; p < labels.Length; p++)
        {
            target[p] = labels[p];
        }
    }

    /// <summary>"120 pairs, 4 classes, 96x96x3; 2 skipped" for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count:N0} image + mask pairs in {ClassNames.Count} classes, resized to {Height}x{Width}x{Channels}; {Report.Count} skipped, {UnpairedMasks} masks without an image");

    private static (byte[] Pixels, byte[] Labels) LoadPair(string image, string mask, SegmentationFolderOptions options)
    {
        // Sizes first, from the headers: a mask that does not cover its image pixel for pixel is
        // a different picture, whatever both would be resized to.
        var (imageWidth, imageHeight) = HeaderSize(image, options.MaxPixels);
        using var decoded = ImageDecoder.DecodeOriginal(mask, options.MaxPixels);
        if (decoded.Width != imageWidth || decoded.Height != imageHeight)
        {
            throw new DataFileException(mask, string.Create(CultureInfo.InvariantCulture,
                $"is {decoded.Width}x{decoded.Height} (width x height) but its image {Path.GetFileName(image)} is {imageWidth}x{imageHeight}; a mask must have its image's size."));
        }
        var classes = MaskClasses(mask, decoded, options);
        var labels = ResizeNearest(classes, decoded.Height, decoded.Width, options.Height, options.Width);
        var pixels = new byte[options.Height * options.Width * options.Channels];
        ImageDecoder.Decode(image, options.Height, options.Width, options.Channels, options.Interpolation, cropToAspectRatio: false, options.MaxPixels, pixels);
        return (pixels, labels);
    }

    private static (int Width, int Height) HeaderSize(string path, long maxPixels)
    {
        ImageDecoder.CheckHeader(path, maxPixels);
        using var file = ImageFile.OpenRegular(path);
        using var codec = SKCodec.Create(file) ?? throw new DataFileException(path, "is not an image SkiaSharp can read.");
        return (codec.Info.Width, codec.Info.Height);
    }

    // One class byte per pixel of the mask at its own size; names the first bad pixel.
    private static byte[] MaskClasses(string path, SKBitmap mask, SegmentationFolderOptions options)
    {
        var rgba = mask.GetPixelSpan();
        int width = mask.Width;
        var classes = new byte[mask.Width * mask.Height];
        for (int p = 0; p < classes.Length; p++)
        {
            byte r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
            string where = string.Create(CultureInfo.InvariantCulture, $"pixel (row {p / width}, column {p % width})");
            if (options.Palette is { } palette)
            {
                int found = -1;
                for (int c = 0; c < palette.Count && found < 0; c++)
                {
                    if (palette[c] == (r, g, b)) found = c;
                }
                if (found < 0 && options.IgnoreColor == (r, g, b))
                {
                    found = options.IgnoreLabel!.Value;
                }
                if (found < 0)
                {
                    throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                        $"has colour ({r}, {g}, {b}) at {where}, which is not in the palette of {palette.Count} classes")
                        + (options.IgnoreColor is { } ic ? $" nor the ignore colour ({ic.R}, {ic.G}, {ic.B})." : "."));
                }
                classes[p] = (byte)found;
                continue;
            }
            if (r != g || g != b)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                    $"has colour ({r}, {g}, {b}) at {where}, but a mask without a palette must be grey, its value the class index; give SegmentationFolderOptions.Palette for colour masks."));
            }
            if (r >= options.Classes && r != options.IgnoreLabel)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                    $"has label {r} at {where}, out of range: the classes are 0 to {options.Classes - 1}")
                    + (options.IgnoreLabel is { } ignored ? $" and the ignore label is {ignored}." : "."));
            }
            classes[p] = r;
        }
        return classes;
    }

    /// <summary>Nearest-neighbour resize of a label map (each output pixel takes the label under its centre).</summary>
    internal static byte[] ResizeNearest(byte[] source, int sourceHeight, int sourceWidth, int height, int width)
    {
        if (sourceHeight == height && sourceWidth == width)
        {
            return source;
        }
        var result = new byte[height * width];
        for (int y = 0; y < height; y++)
        {
            int sy = Math.Min(sourceHeight - 1, (int)((y + 0.5) * sourceHeight / height));
            for (int x = 0; x < width; x++)
            {
                int sx = Math.Min(sourceWidth - 1, (int)((x + 0.5) * sourceWidth / width));
                result[y * width + x] = source[sy * sourceWidth + sx];
            }
        }
        return result;
    }

    private static List<string> ImageFiles(string directory) =>
        System.IO.Directory.EnumerateFiles(directory)
            .Where(f => ImageDecoder.HasImageExtension(f) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"pair index must be from 0 to {Count - 1}.");
        }
        return index;
    }

    private static void CheckOptions(SegmentationFolderOptions options)
    {
        if (options.Height < 1 || options.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The image size {options.Height}x{options.Width} must be at least 1x1.");
        }
        if (options.Channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "Channels must be 1 (grey), 3 (RGB) or 4 (RGBA).");
        }
        if (options.Classes is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Classes, "Classes must be from 1 to 256 (a mask holds one byte per pixel).");
        }
        if (options.IgnoreLabel is { } ignored && (ignored < options.Classes || ignored > 255))
        {
            throw new ArgumentOutOfRangeException(nameof(options), ignored, $"IgnoreLabel must be from {options.Classes} (the class count) to 255.");
        }
        if (options.Palette is { } palette && palette.Count != options.Classes)
        {
            throw new ArgumentException($"Palette has {palette.Count} colours but there are {options.Classes} classes; give one colour per class.", nameof(options));
        }
        if (options.IgnoreColor is not null && (options.Palette is null || options.IgnoreLabel is null))
        {
            throw new ArgumentException("IgnoreColor needs a Palette (colour masks) and an IgnoreLabel to map it to.", nameof(options));
        }
        if (options.ClassNames is { } names && names.Count != options.Classes)
        {
            throw new ArgumentException($"ClassNames has {names.Count} names but there are {options.Classes} classes.", nameof(options));
        }
    }
}
