using System.Collections.Generic;
using System.Linq;
using ConvGen;
using ConvGen.Augmentation;
using ConvGen.Data;
using ConvGen.Imaging;

namespace Quickstart;

/// <summary>A picture of what augmentation does: per row one training image and seven augmented versions of it.</summary>
internal static class AugmentedGrid
{
    public static void Write(string path, IDataSource train, ImageAugmentation augmentation, ulong seed, string? fontFile)
    {
        const int Rows = 6, Variants = 7;
        var images = new List<float[]>();
        var captions = new List<string>();
        var seen = new HashSet<int>();
        var target = new float[train.TargetLength];
        for (int i = 0; i < train.Count && captions.Count < Rows; i++)
        {
            var original = new float[train.InputLength];
            train.Read(i, original, target);
            int label = (int)target[0];
            if (!seen.Add(label) && seen.Count < (train.ClassNames?.Count ?? 1) && i < 4 * Rows)
            {
                continue; // prefer one row per class
            }
            images.Add(original);
            for (int v = 0; v < Variants; v++)
            {
                var copy = (float[])original.Clone();
                var random = new SeededRandom(seed, 0x6A1D_0000UL + (ulong)(i * Variants + v));
                augmentation.Apply(copy, ref random);
                images.Add(copy);
            }
            captions.Add(train.ClassNames is { } names && label < names.Count ? names[label] : $"class {label}");
        }
        ImageWriter.WriteGrid(path, images, augmentation.Height, augmentation.Width, augmentation.Channels, Variants + 1, scale: 2,
            rowCaptions: captions.Select((c, r) => r == 0 ? c + "   (original, then 7 augmented)" : c).ToList(), fontFile: fontFile);
    }
}
