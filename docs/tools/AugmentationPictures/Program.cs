using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AugmentationPictures;
using ConvGen;
using ConvGen.Augmentation;
using ConvGen.Data;
using ConvGen.Imaging;

// Writes docs/images/augmentation/*.png. Each random picture has one row per source image: the
// original, then seven draws of the options; the draws are seeded, so the files only change when
// the augmentation code does.
string output = args.Length > 0 ? args[0] : Path.Combine("docs", "images", "augmentation");
Directory.CreateDirectory(output);

const int Draws = 7;
const ulong Seed = 2026;

// Two colour pictures from the embedded data set (a star and a heart) and, when installed, two
// Fashion-MNIST test images (an ankle boot and a pullover).
var shapes = new SyntheticShapes(imagesPerClass: 1, seed: 3);
var colour = new[] { Read(shapes, 3), Read(shapes, 7) };
const int Size = SyntheticShapes.DefaultSize;

List<float[]>? grey = null;
if (File.Exists(Path.Combine(FashionMnist.DefaultDirectory, "t10k-images-idx3-ubyte.gz")))
{
    var (_, test) = FashionMnist.Load();
    grey = new List<float[]> { test.Input(0).ToArray(), test.Input(1).ToArray() };
}
else
{
    Console.WriteLine($"Fashion-MNIST not found in {FashionMnist.DefaultDirectory}: the grey rows are left out (sudo apt-get install dataset-fashion-mnist).");
}

foreach (var set in PictureSet.Random)
{
    Write(Path.Combine(output, set.Name + ".png"), colour, set.Options, Size, 3, scale: 1);
    if (grey is not null && !set.ColourOnly)
    {
        Write(Path.Combine(output, set.Name + "-fashion.png"), grey, set.Options, FashionMnist.ImageSize, 1, scale: 2);
    }
}

// Fill modes and interpolation: one column per setting, same transform.
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
ImageWriter.WriteGrid(Path.Combine(output, "fill-modes.png"), fillColumns, Size, Size, 3, columns: PictureSet.FillModes.Count + 1, scale: 1);
Console.WriteLine($"Wrote the augmentation pictures to {Path.GetFullPath(output)}");

static float[] Read(IDataSource source, int index)
{
    var input = new float[source.InputLength];
    source.Read(index, input, new float[source.TargetLength]);
    return input;
}

static void Write(string path, IReadOnlyList<float[]> sources, ImageAugmentationOptions options, int size, int channels, int scale)
{
    var augmentation = new ImageAugmentation(options, size, size, channels);
    var images = new List<float[]>();
    for (int row = 0; row < sources.Count; row++)
    {
        images.Add(sources[row]);
        for (int draw = 0; draw < Draws; draw++)
        {
            var copy = (float[])sources[row].Clone();
            // The same streams for every picture: draw d of row r is comparable across options.
            var random = new SeededRandom(Seed, (ulong)(row * Draws + draw));
            augmentation.Apply(copy, ref random);
            images.Add(copy);
        }
    }
    ImageWriter.WriteGrid(path, images, size, size, channels, columns: Draws + 1, scale);
}
