using System;
using System.Collections.Generic;
using System.IO;

namespace ConvGen.Data;

/// <summary>Any pair of IDX image and label files (MNIST layout) as a <see cref="Dataset"/>.</summary>
public static class IdxDataset
{
    /// <summary>
    /// Loads images (as HxWx1 in [0, 1]) and their labels (sparse targets). Fails with a
    /// <see cref="DataFileException"/> naming the file and the field for a wrong magic number,
    /// truncated, corrupt or trailing data, image and label counts that differ, or a label
    /// outside the classes.
    /// </summary>
    /// <param name="imagesPath">IDX3 image file, raw or gzip.</param>
    /// <param name="labelsPath">IDX1 label file, raw or gzip.</param>
    /// <param name="classNames">Class names by label; null names them "0", "1", ... up to the largest label.</param>
    public static Dataset Load(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null) =>
        Build(IdxReader.ReadImages(imagesPath), imagesPath, IdxReader.ReadLabels(labelsPath), labelsPath, classNames);

    /// <summary>
    /// <see cref="Load(string, string, IReadOnlyList{string}?)"/> from two streams (raw or gzip, left
    /// open); <paramref name="imagesName"/> and <paramref name="labelsName"/> are what error messages name.
    /// </summary>
    public static Dataset Load(Stream images, string imagesName, Stream labels, string labelsName, IReadOnlyList<string>? classNames = null) =>
        Build(IdxReader.ReadImages(images, imagesName), imagesName, IdxReader.ReadLabels(labels, labelsName), labelsName, classNames);

    private static Dataset Build(IdxImages images, string imagesPath, byte[] labels, string labelsPath, IReadOnlyList<string>? classNames)
    {
        if (labels.Length != images.Count)
        {
            throw new DataFileException(labelsPath,
                $"count mismatch: it holds {labels.Length} labels but {imagesPath} holds {images.Count} images; the two files must describe the same samples.");
        }
        int classes = classNames?.Count ?? 0;
        if (classNames is null)
        {
            foreach (byte label in labels)
            {
                classes = Math.Max(classes, label + 1);
            }
        }
        var targets = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new DataFileException(labelsPath, $"label {labels[i]} of sample {i} is not a class index from 0 to {classes - 1}.");
            }
            targets[i] = labels[i];
        }
        var names = classNames ?? BuildNames(classes);
        return new Dataset(images.Pixels, targets, images.Count, images.ImageLength, 1, names) { SourceName = labelsPath };
    }

    private static string[] BuildNames(int classes)
    {
        var names = new string[classes];
        for (int c = 0; c < classes; c++)
        {
            names[c] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return names;
    }
}
