using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Augmentation;
using ConvGen.Training;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>Same seed → same batches and the same augmentations, through the training loop's prefetcher.</summary>
public class SeededBatchTests
{
    private static readonly ImageAugmentationOptions Augmentation = new()
    {
        HorizontalFlip = true,
        Rotation = 0.2,
        ZoomHeight = 0.2,
        TranslateWidth = 0.1,
        Brightness = 0.2,
        Hue = 0.1,
    };

    private static List<(float[] Inputs, float[] Targets)> Batches(IDataSource source, ISampleAugmentation? augmentation, ulong seed, int epoch)
    {
        var batches = new List<(float[], float[])>();
        using var prefetcher = new BatchPrefetcher(source, 5, augmentation, seed);
        int[] order = Enumerable.Range(0, source.Count).Reverse().ToArray();
        prefetcher.Start(order, 5, epoch);
        for (int start = 0; start < source.Count; start += 5)
        {
            var batch = prefetcher.Next();
            batches.Add((batch.Inputs.Take(batch.Count * source.InputLength).ToArray(), batch.Targets.Take(batch.Count * source.TargetLength).ToArray()));
            prefetcher.Release(batch);
        }
        return batches;
    }

    [Fact]
    public void Same_seed_gives_the_same_augmented_batches_from_an_image_folder()
    {
        using var dir = new TempDirectory();
        new SyntheticShapes(imagesPerClass: 2, seed: 4, size: 16).WriteFolder(dir.Path);
        var folder = ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 16, Width = 16, CacheBytes = 0 });
        var augmentation = new ImageAugmentation(Augmentation, 16, 16, 3);

        var first = Batches(folder, augmentation, seed: 9, epoch: 0);
        var again = Batches(folder, augmentation, seed: 9, epoch: 0);
        var otherEpoch = Batches(folder, augmentation, seed: 9, epoch: 1);
        var otherSeed = Batches(folder, augmentation, seed: 10, epoch: 0);
        var plain = Batches(folder, null, seed: 9, epoch: 0);

        Assert.Equal(4, first.Count); // 16 images in batches of 5
        for (int b = 0; b < first.Count; b++)
        {
            Assert.Equal(first[b].Inputs, again[b].Inputs);
            Assert.Equal(first[b].Targets, again[b].Targets);
            Assert.Equal(first[b].Targets, otherEpoch[b].Targets); // same order, same labels
            Assert.NotEqual(first[b].Inputs, otherEpoch[b].Inputs);
            Assert.NotEqual(first[b].Inputs, otherSeed[b].Inputs);
            Assert.NotEqual(first[b].Inputs, plain[b].Inputs);
        }
        // Without augmentation the batches are the samples themselves, in the given order.
        var expected = new float[folder.InputLength];
        folder.Read(folder.Count - 1, expected, new float[1]);
        Assert.Equal(expected, plain[0].Inputs.Take(folder.InputLength).ToArray());
    }

    [Fact]
    public void The_embedded_data_set_is_deterministic_balanced_and_round_trips_through_PNG_folders()
    {
        var shapes = new SyntheticShapes(imagesPerClass: 3, seed: 7, size: 24);
        var same = new SyntheticShapes(imagesPerClass: 3, seed: 7, size: 24);
        var other = new SyntheticShapes(imagesPerClass: 3, seed: 8, size: 24);
        Assert.Equal(24, shapes.Count);
        Assert.Equal(8, shapes.ClassNames.Count);
        Assert.Equal(24 * 24 * 3, shapes.InputLength);
        var a = shapes.ToDataset();
        Assert.Equal(a.Inputs.ToArray(), same.ToDataset().Inputs.ToArray());
        Assert.NotEqual(a.Inputs.ToArray(), other.ToDataset().Inputs.ToArray());
        Assert.All(Enumerable.Range(0, 8), c => Assert.Equal(3, a.Targets.ToArray().Count(t => t == c)));

        using var dir = new TempDirectory();
        shapes.WriteFolder(dir.Path);
        var folder = ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 24, Width = 24 });
        Assert.Equal(shapes.ClassNames.Order(System.StringComparer.Ordinal), folder.ClassNames);
        Assert.Equal(24, folder.Count);
        var fromFolder = new float[folder.InputLength];
        var target = new float[1];
        folder.Read(0, fromFolder, target);
        int original = int.Parse(Path.GetFileNameWithoutExtension(folder.FileOf(0)), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(a.Input(original).ToArray(), fromFolder); // PNG is lossless
        Assert.Equal(shapes.ClassNames[SyntheticShapes.LabelOf(original)], folder.ClassNames[(int)target[0]]);
    }
}
