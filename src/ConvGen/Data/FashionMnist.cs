using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvGen.Data;

/// <summary>
/// Zalando's Fashion-MNIST: 60,000 training and 10,000 test images, 28x28 grey, 10 classes.
/// Debian's <c>dataset-fashion-mnist</c> package installs the four IDX files in
/// <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where <c>sudo apt-get install dataset-fashion-mnist</c> puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Image height and width.</summary>
    public const int ImageSize = 28;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>The four files, as distributed (gzip); uncompressed copies without <c>.gz</c> are accepted too.</summary>
    public static IReadOnlyList<string> FileNames { get; } = new[]
    {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    };

    /// <summary>
    /// Loads the training and test sets: inputs 28x28x1 (NHWC) in [0, 1], sparse targets (the label
    /// as a float, <see cref="Dataset.TargetLength"/> 1) and the 10 class names.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to get them.</exception>
    /// <exception cref="DataFileException">A file is not the expected IDX data; the message names the file and the field.</exception>
    public static (Dataset Train, Dataset Test) Load(string directory = DefaultDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string[] paths = FileNames.Select(name => Locate(directory, name)).ToArray();
        string[] missing = paths.Where(p => !File.Exists(p)).ToArray();
        if (missing.Length > 0)
        {
            throw new FileNotFoundException(
                $"Fashion-MNIST not found: {directory} lacks {string.Join(", ", missing.Select(Path.GetFileName))}. "
                + $"Install it with `sudo apt-get install dataset-fashion-mnist` (files go to {DefaultDirectory}), "
                + $"or pass --data DIR with a directory holding the four files {string.Join(", ", FileNames)}.",
                missing[0]);
        }
        return (LoadPart(paths[0], paths[1]), LoadPart(paths[2], paths[3]));
    }

    // Prefer the distributed .gz name; fall back to an uncompressed copy.
    private static string Locate(string directory, string gzName)
    {
        string compressed = Path.Combine(directory, gzName);
        string raw = Path.Combine(directory, Path.GetFileNameWithoutExtension(gzName));
        return !File.Exists(compressed) && File.Exists(raw) ? raw : compressed;
    }

    private static Dataset LoadPart(string imagesPath, string labelsPath)
    {
        IdxImages images = IdxReader.ReadImages(imagesPath);
        if (images.Rows != ImageSize || images.Columns != ImageSize)
        {
            throw new DataFileException(imagesPath, $"images are {images.Rows}x{images.Columns}; Fashion-MNIST images are {ImageSize}x{ImageSize}.");
        }
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
        {
            throw new DataFileException(labelsPath,
                $"count mismatch: {imagesPath} holds {images.Count} images but this file holds {labels.Length} labels; the two files must describe the same samples.");
        }
        var targets = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= ClassNames.Count)
            {
                throw new DataFileException(labelsPath, $"label {labels[i]} at index {i} is not a Fashion-MNIST class (0 to {ClassNames.Count - 1}).");
            }
            targets[i] = labels[i];
        }
        return new Dataset(images.Pixels, targets, images.Count, images.ImageLength, 1, ClassNames) { SourceName = labelsPath };
    }
}
