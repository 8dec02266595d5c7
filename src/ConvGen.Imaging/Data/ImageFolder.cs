using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Imaging;

namespace ConvGen.Data;

/// <summary>
/// Images in a folder with one sub-folder per class (<c>DIR/cat/1.jpg</c>, <c>DIR/dog/2.png</c>),
/// like Keras's <c>image_dataset_from_directory</c>, or listed with their labels in a CSV. Each
/// read decodes the file (JPEG, PNG, BMP, GIF, WebP), resizes it to the network's input and
/// converts it to its channel count; decoded images that fit in <see cref="ImageFolderOptions.CacheBytes"/>
/// stay in memory, the others are decoded again on every read, so folders larger than RAM
/// stream from disk. <see cref="Read"/> is thread-safe.
/// </summary>
/// <remarks>
/// Class names are the sub-folder names in ordinal order (hidden folders, starting with '.', are
/// ignored); images are found recursively inside each class folder, in ordinal path order;
/// files with other extensions are ignored and counted in <see cref="IgnoredFiles"/>. Symbolic
/// links are followed only inside the folder that holds them (never out of the root, into
/// another class or around a loop); only regular files are read; images over
/// <see cref="ImageFolderOptions.MaxPixels"/> are refused from their header, and large ones are
/// decoded near the input size. Split off validation data with <c>folder.Split(fraction, seed)</c>.
/// </remarks>
public sealed class ImageFolder : IDataSource
{
    private readonly string[] _files;
    private readonly int[][] _labels;
    private readonly byte[]?[] _cache; // decoded pixels of the first _cacheCapacity images, once read
    private readonly int _cacheCapacity;
    private readonly ThreadLocal<byte[]> _pixels;
    private readonly ImageFolderOptions _options;

    private ImageFolder(string directory, ImageFolderOptions options, string[] files, int[][] labels, string[] classNames, BadInputReport report, int ignoredFiles)
    {
        Directory = directory;
        _options = options;
        _files = files;
        _labels = labels;
        ClassNames = classNames;
        Report = report;
        IgnoredFiles = ignoredFiles;
        ImageLength = options.Height * options.Width * options.Channels;
        _cacheCapacity = (int)Math.Min(files.Length, options.CacheBytes / ImageLength);
        _cache = new byte[_cacheCapacity][];
        _pixels = new ThreadLocal<byte[]>(() => new byte[ImageLength]);
        TargetLength = options.LabelMode switch
        {
            LabelMode.Categorical or LabelMode.MultiLabel => classNames.Length,
            _ => 1,
        };
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Number of images.</summary>
    public int Count => _files.Length;

    /// <summary>Floats per image (height * width * channels).</summary>
    public int InputLength => ImageLength;

    /// <summary>Values per image (height * width * channels).</summary>
    public int ImageLength { get; }

    /// <summary>1 for <see cref="LabelMode.Int"/> and <see cref="LabelMode.Binary"/>, the class count otherwise.</summary>
    public int TargetLength { get; }

    /// <summary>Class (or label) names; index = class index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    IReadOnlyList<string>? IDataSource.ClassNames => ClassNames;

    /// <summary>Image height after resizing.</summary>
    public int Height => _options.Height;

    /// <summary>Image width after resizing.</summary>
    public int Width => _options.Width;

    /// <summary>Channels per pixel.</summary>
    public int Channels => _options.Channels;

    /// <summary>The target encoding.</summary>
    public LabelMode LabelMode => _options.LabelMode;

    /// <summary>Files, empty class folders and CSV rows left out under <see cref="BadInputPolicy.Skip"/>.</summary>
    public BadInputReport Report { get; }

    /// <summary>Files inside class folders without an image extension (ignored, as Keras does).</summary>
    public int IgnoredFiles { get; }

    /// <summary>How many images the cache budget holds (the first ones in index order).</summary>
    public int CacheCapacity => _cacheCapacity;

    /// <summary>How many images are in memory now.</summary>
    public int CachedImages
    {
        get
        {
            int cached = 0;
            for (int i = 0; i < _cache.Length; i++)
            {
                cached += Volatile.Read(ref _cache[i]) is null ? 0 : 1;
            }
            return cached;
        }
    }

    /// <summary>The file of image <paramref name="index"/>.</summary>
    public string FileOf(int index) => _files[CheckIndex(index)];

    /// <summary>The class indices of image <paramref name="index"/> (one, except in multi-label mode).</summary>
    public IReadOnlyList<int> LabelsOf(int index) => _labels[CheckIndex(index)];

    /// <summary>Images per class (multi-label: images carrying each label).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var labels in _labels)
        {
            foreach (int label in labels)
            {
                counts[label]++;
            }
        }
        return counts;
    }

    /// <summary>Opens a folder: finds the classes and images, checks them (see <see cref="ImageFolderOptions.VerifyImages"/>) and caches what fits.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFileException">Under <see cref="BadInputPolicy.Throw"/>: the first unreadable image, empty class folder or bad CSV row; under any policy: a folder without class folders, or nothing usable left.</exception>
    public static ImageFolder Open(string directory, ImageFolderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No image folder at '{directory}'.");
        }
        var report = new BadInputReport();
        var (files, labels, classNames, ignored) = options.LabelsCsv is not null
            ? ImageFolderDiscovery.FromCsv(directory, options, report)
            : ImageFolderDiscovery.FromClassFolders(directory, options, report);
        if (options.LabelMode == LabelMode.Binary && classNames.Length != 2)
        {
            throw new DataFileException(directory,
                $"label mode Binary needs exactly 2 classes but there are {classNames.Length}: {string.Join(", ", classNames)}. Use Int or Categorical for more.");
        }
        var folder = new ImageFolder(directory, options, files, labels, classNames, report, ignored);
        var bad = folder.Check();
        if (bad.Count > 0)
        {
            foreach (var (_, problem) in bad)
            {
                report.Handle(options.BadFiles, problem);
            }
            var keep = Enumerable.Range(0, files.Length).Where(i => !bad.ContainsKey(i)).ToArray();
            var kept = new ImageFolder(directory, options, keep.Select(i => files[i]).ToArray(), keep.Select(i => labels[i]).ToArray(), classNames, report, ignored);
            kept.AdoptCache(folder, keep);
            folder = kept;
        }
        if (folder.Count == 0)
        {
            throw new DataFileException(directory, $"no usable images: {report.Count} problems were skipped ({report.Skipped.FirstOrDefault()?.Problem ?? "none"}).");
        }
        return folder;
    }

    /// <inheritdoc/>
    public void Read(int index, Span<float> input, Span<float> target)
    {
        CheckIndex(index);
        if (input.Length != ImageLength || target.Length != TargetLength)
        {
            throw new ArgumentException($"Read needs an input span of {ImageLength} floats and a target span of {TargetLength}; got {input.Length} and {target.Length}.");
        }
        ImageDecoder.ToFloats(Pixels(index), input);
        WriteTarget(_labels[index], target);
    }

    /// <summary>"1,200 images in 8 classes (circle 150, ...), 80x80x3, ..." for logs.</summary>
    public override string ToString()
    {
        var counts = ClassCounts();
        string classes = string.Join(", ", ClassNames.Select((name, c) => $"{name} {counts[c]}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Count:N0} images in {ClassNames.Count} classes ({classes}), resized to {Height}x{Width}x{Channels}; {CacheCapacity:N0} fit the cache; {Report.Count} skipped, {IgnoredFiles} non-image files ignored");
    }

    private ReadOnlySpan<byte> Pixels(int index)
    {
        if (index < _cacheCapacity)
        {
            var cached = Volatile.Read(ref _cache[index]);
            if (cached is null)
            {
                // Two threads may decode the same image at once; both produce the same bytes.
                cached = new byte[ImageLength];
                Decode(index, cached);
                Volatile.Write(ref _cache[index], cached);
            }
            return cached;
        }
        var buffer = _pixels.Value!;
        Decode(index, buffer);
        return buffer;
    }

    private void Decode(int index, Span<byte> destination) =>
        ImageDecoder.Decode(_files[index], Height, Width, Channels, _options.Interpolation, _options.CropToAspectRatio, _options.MaxPixels, destination);

    // Decodes every image once (or reads every header), in parallel; returns the failures by index.
    private SortedDictionary<int, DataFileException> Check()
    {
        var failures = new SortedDictionary<int, DataFileException>();
        var gate = new object();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Threads) };
        System.Threading.Tasks.Parallel.For(0, Count, parallel, i =>
        {
            try
            {
                if (_options.VerifyImages)
                {
                    Pixels(i);
                }
                else
                {
                    ImageDecoder.CheckHeader(_files[i], _options.MaxPixels);
                }
            }
            catch (DataFileException e)
            {
                lock (gate)
                {
                    failures[i] = e;
                }
            }
        });
        return failures;
    }

    private void AdoptCache(ImageFolder previous, int[] keptIndices)
    {
        for (int k = 0; k < Math.Min(_cacheCapacity, keptIndices.Length); k++)
        {
            int old = keptIndices[k];
            if (old < previous._cacheCapacity)
            {
                _cache[k] = previous._cache[old];
            }
        }
    }

    private void WriteTarget(int[] labels, Span<float> target)
    {
        if (LabelMode is LabelMode.Int or LabelMode.Binary)
        {
            target[0] = labels[0];
            return;
        }
        target.Clear();
        foreach (int label in labels)
        {
            target[label] = 1;
        }
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"image index must be from 0 to {Count - 1}.");
        }
        return index;
    }

    private static void CheckOptions(ImageFolderOptions options)
    {
        if (options.Height < 1 || options.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The image size {options.Height}x{options.Width} must be at least 1x1.");
        }
        if (options.Channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "Channels must be 1 (grey), 3 (RGB) or 4 (RGBA).");
        }
        if (options.CacheBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CacheBytes, "CacheBytes must be 0 or more.");
        }
        if (options.MaxPixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPixels, "MaxPixels must be at least 1.");
        }
        if (options.LabelMode == LabelMode.MultiLabel && options.LabelsCsv is null)
        {
            throw new ArgumentException("LabelMode.MultiLabel needs LabelsCsv: a CSV with the columns file,labels listing each image's labels.", nameof(options));
        }
    }
}
