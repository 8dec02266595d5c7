using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Augmentation;
using ConvGen.Data;
using ConvGen.Imaging;

namespace Quickstart;

/// <summary>
/// The lecture's pictures: the embedded drawn shapes (8 classes) when no folder is given, else one
/// sub-folder of JPEG / PNG images per class, resized to the network input. Shared with the
/// MobileNet sample, which trains on the same data.
/// </summary>
internal static class LectureData
{
    public static IDataSource Load(string? data, int imagesPerClass, ulong seed, int cacheMiB, TensorShape input)
    {
        if (data is null)
        {
            var clock = Stopwatch.StartNew();
            var shapes = new SyntheticShapes(imagesPerClass, seed, input.Height);
            Console.WriteLine($"No --data given: drew the embedded data set, {shapes.Count:N0} pictures of {input.Height}x{input.Width}x{input.Channels} in {clock.Elapsed.TotalSeconds:0.0} s.");
            Console.WriteLine("Classes: " + string.Join(", ", shapes.ClassNames.Select(c => $"{c} ({imagesPerClass})")));
            return shapes;
        }
        var options = new ImageFolderOptions
        {
            Height = input.Height,
            Width = input.Width,
            Channels = input.Channels,
            BadFiles = BadInputPolicy.Skip,
            CacheBytes = (long)cacheMiB << 20,
        };
        var open = Stopwatch.StartNew();
        var folder = ImageFolder.Open(data, options);
        Console.WriteLine($"Read {Path.GetFullPath(data)} in {open.Elapsed.TotalSeconds:0.0} s: {folder.Count:N0} images resized to {input.Height}x{input.Width}x{input.Channels}; "
            + $"{folder.CacheCapacity:N0} of them fit the {cacheMiB} MiB cache, the rest stream from disk.");
        var counts = folder.ClassCounts();
        Console.WriteLine("Classes: " + string.Join(", ", folder.ClassNames.Select((c, i) => $"{c} ({counts[i]})")));
        if (folder.Report.Count > 0)
        {
            Console.WriteLine($"Bad input {folder.Report}");
        }
        if (folder.IgnoredFiles > 0)
        {
            Console.WriteLine($"Ignored {folder.IgnoredFiles} files without an image extension.");
        }
        return folder;
    }

    /// <summary>The lecture's augmentation: flips, rotation, shear, shifts, zoom and colour jitter.</summary>
    public static ImageAugmentationOptions Augmentation() => new()
    {
        HorizontalFlip = true,
        VerticalFlip = true,
        Rotation = 0.5,
        ShearX = 0.05,
        ShearY = 0.05,
        TranslateHeight = 0.08,
        TranslateWidth = 0.08,
        ZoomHeight = (-0.1, 0.15),
        Brightness = 0.1,
        Contrast = 0.15,
        Saturation = (0.35, 0.65),
        Hue = 0.05,
    };
}
