using System;
using System.Collections.Generic;
using System.IO;
using ConvGen;
using ConvGen.Augmentation;
using ConvGen.Data;
using ConvGen.Imaging;

namespace AugmentationPictures;

/// <summary>
/// Draws the pictures of docs/data.md. Each random picture has one row per source image: the
/// original, then seven draws of the options. The draws are seeded, so the pictures change only
/// when the augmentation code does (ConvGen.Data.Tests checks the committed ones against it).
/// </summary>
public static class PictureWriter
{
    private const int Draws = 7;
    private const ulong Seed = 2026;
    private const int Size = SyntheticShapes.DefaultSize;

    /// <summary>Writes every picture into <paramref name="output"/> and returns the file names.</summary>
    /// <param name="fashionMnistDirectory">Where Fashion-MNIST is; without its files the grey pictures are left out.</param>
    public static IReadOnlyList<string> WriteAll(string output, string fashionMnistDirectory)
    {
        Directory.CreateDirectory(output);
        var written = new List<string>();

        // Two colour pictures from the embedded data set (a star and a heart) and, when
        // installed, two Fashion-MNIST test images (an ankle boot and a pullover).
        var shapes = new SyntheticShapes(imagesPerClass: 1, seed: 3);
        var colour = new[] { Read(shapes, 3), Read(shapes, 7) };
        List<float[]>? grey = null;
        if (File.Exists(Path.Combine(fashionMnistDirectory, "t10k-images-idx3-ubyte.gz")))
        {
            var (_, test) = FashionMnist.Load(fashionMnistDirectory);
            grey = new List<float[]> { test.Input(0).ToArray(), test.Input(1).ToArray() };
        }

        foreach (var set in PictureSet.Random)
        {
            written.Add(WriteRandom(Path.Combine(output, set.Name + ".png"), colour, set.Options, Size, 3, scale: 1));
            if (grey is not null && !set.ColourOnly)
            {
                written.Add(WriteRandom(Path.Combine(output, set.Name + "-fashion.png"), grey, set.Options, FashionMnist.ImageSize, 1, scale: 2));
            }
        }

        // Fill modes and interpolation: one column per setting, the same fixed transform.
        var fillColumns = new List<float[]>();
        foreach (var source in colour)
        {
            fillColumns.Add(source);
            foreach (var (_, options) in PictureSet.FillModes)
            {
                var copy = (float[])source.Clone();
                var random = new SeededRandom(Seed);
                new ImageAugmentation(options, Size, Size, 3).Apply(copy, ref random);
                fillColumns.Add(copy);
            }
        }
        string fillModes = Path.Combine(output, "fill-modes.png");
        ImageWriter.WriteGrid(fillModes, fillColumns, Size, Size, 3, columns: PictureSet.FillModes.Count + 1, scale: 1);
        written.Add(fillModes);
        return written.ConvertAll(Path.GetFileName)!;
    }

    private static float[] Read(IDataSource source, int index)
    {
        var input = new float[source.InputLength];
        source.Read(index, input, new float[source.TargetLength]);
        return input;
    }

    private static string WriteRandom(string path, IReadOnlyList<float[]> sources, ImageAugmentationOptions options, int size, int channels, int scale)
    {
        var augmentation = new ImageAugmentation(options, size, size, channels);
        var images = new List<float[]>();
        for (int row = 0; row < sources.Count; row++)
        {
            images.Add(sources[row]);
            for (int draw = 0; draw < Draws; draw++)
            {
                var copy = (float[])sources[row].Clone();
                // The same streams in every picture: draw d of row r is comparable across options.
                var random = new SeededRandom(Seed, (ulong)(row * Draws + draw));
                augmentation.Apply(copy, ref random);
                images.Add(copy);
            }
        }
        ImageWriter.WriteGrid(path, images, size, size, channels, columns: Draws + 1, scale);
        return path;
    }
}
