using System;
using System.IO;
using System.Linq;
using ConvGen.Augmentation;
using SkiaSharp;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>Image + mask folders: pairing, grey and palette masks, nearest-neighbour resizing, and every kind of bad pair.</summary>
public class SegmentationFolderTests
{
    private static SKColor Grey(byte v) => new(v, v, v);

    // A 4x4 image (red left half, blue right half) with its mask: class 1 on the right half, 0 on the left.
    private static void WritePair(TempDirectory dir, string name, int width = 4, int height = 4, Func<int, int, SKColor>? mask = null)
    {
        using (var image = TestImages.Bitmap(width, height, (x, _) => x < width / 2 ? SKColors.Red : SKColors.Blue))
        {
            TestImages.Write(Path.Combine(dir.Path, "images", name + ".png"), image);
        }
        using var m = TestImages.Bitmap(width, height, mask ?? ((x, _) => Grey((byte)(x < width / 2 ? 0 : 1))));
        TestImages.Write(Path.Combine(dir.Path, "masks", name + ".png"), m);
    }

    [Fact]
    public void Grey_masks_give_class_index_targets_and_images_give_inputs()
    {
        using var dir = new TempDirectory();
        WritePair(dir, "b");
        WritePair(dir, "a", mask: (x, y) => Grey((byte)(y == 0 ? 2 : 0)));

        var folder = SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 3 });

        Assert.Equal(2, folder.Count);
        Assert.Equal(16, folder.TargetLength);
        Assert.Equal(48, folder.InputLength);
        Assert.EndsWith("a.png", folder.ImageOf(0)); // file name order
        var input = new float[48];
        var target = new float[16];
        folder.Read(1, input, target);
        Assert.Equal(new float[] { 0, 0, 1, 1 }, target.Take(4).ToArray());
        Assert.Equal(1f, input[0]);      // red
        Assert.Equal(1f, input[3 * 3 + 2]); // blue, pixel (0, 3)
        folder.Read(0, input, target);
        Assert.Equal(new float[] { 2, 2, 2, 2, 0 }, target.Take(5).ToArray());
        Assert.Equal(new[] { "0", "1", "2" }, folder.ClassNames);
    }

    [Fact]
    public void Masks_are_resized_with_nearest_neighbour_so_no_label_is_blended()
    {
        using var dir = new TempDirectory();
        // 8x8 mask with labels 0 and 2 in a checker of 2x2 blocks: a blend would give 1.
        WritePair(dir, "x", 8, 8, (x, y) => Grey((byte)(((x / 2) + (y / 2)) % 2 == 0 ? 0 : 2)));

        var folder = SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 3 });

        var target = new float[16];
        folder.Read(0, new float[48], target);
        Assert.Equal(new float[] { 0, 2, 0, 2, 2, 0, 2, 0 }, target.Take(8).ToArray());
    }

    [Fact]
    public void Palette_masks_map_colours_to_classes_and_the_ignore_colour_to_the_ignore_label()
    {
        using var dir = new TempDirectory();
        WritePair(dir, "p", mask: (x, y) => y == 3 ? new SKColor(224, 224, 192) : x < 2 ? SKColors.Black : new SKColor(128, 0, 0));
        var options = new SegmentationFolderOptions
        {
            Height = 4, Width = 4, Classes = 2,
            Palette = new (byte, byte, byte)[] { (0, 0, 0), (128, 0, 0) },
            IgnoreLabel = 255, IgnoreColor = (224, 224, 192),
        };

        var folder = SegmentationFolder.Open(dir.Path, options);

        var target = new float[16];
        folder.Read(0, new float[48], target);
        Assert.Equal(new float[] { 0, 0, 1, 1 }, target.Take(4).ToArray());
        Assert.Equal(new float[] { 255, 255, 255, 255 }, target.Skip(12).ToArray());
    }

    [Fact]
    public void A_missing_mask_is_named_and_refused_or_skipped()
    {
        using var dir = new TempDirectory();
        WritePair(dir, "good");
        TestImages.WriteSolid(Path.Combine(dir.Path, "images", "lonely.jpg"), 4, 4, SKColors.Green);

        var e = Assert.Throws<DataFileException>(() => SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2 }));
        Assert.EndsWith("lonely.jpg", e.FilePath);
        Assert.Contains("has no mask: expected masks/lonely.png", e.Message);

        var folder = SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2, BadPairs = BadInputPolicy.Skip });
        Assert.Equal(1, folder.Count);
        Assert.Single(folder.Report.Skipped);
        Assert.EndsWith("lonely.jpg", folder.Report.Skipped[0].Path);
    }

    [Fact]
    public void A_mask_of_another_size_is_named_with_both_sizes()
    {
        using var dir = new TempDirectory();
        WritePair(dir, "good");
        TestImages.WriteSolid(Path.Combine(dir.Path, "images", "odd.png"), 6, 4, SKColors.Green);
        TestImages.WriteSolid(Path.Combine(dir.Path, "masks", "odd.png"), 6, 5, Grey(0));

        var e = Assert.Throws<DataFileException>(() => SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2 }));
        Assert.EndsWith(Path.Combine("masks", "odd.png"), e.FilePath);
        Assert.Contains("is 6x5 (width x height) but its image odd.png is 6x4", e.Message);
    }

    [Fact]
    public void A_label_out_of_range_is_named_with_its_pixel_and_the_range()
    {
        using var dir = new TempDirectory();
        WritePair(dir, "good");
        WritePair(dir, "bad", mask: (x, y) => Grey((byte)(x == 2 && y == 1 ? 7 : 0)));

        var e = Assert.Throws<DataFileException>(() => SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 3, IgnoreLabel = 255 }));
        Assert.EndsWith(Path.Combine("masks", "bad.png"), e.FilePath);
        Assert.Contains("has label 7 at pixel (row 1, column 2), out of range: the classes are 0 to 2 and the ignore label is 255", e.Message);

        var skipped = SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 3, BadPairs = BadInputPolicy.Skip });
        Assert.Equal(1, skipped.Count);
        Assert.EndsWith("good.png", skipped.ImageOf(0));
    }

    [Fact]
    public void Colour_masks_without_a_palette_and_colours_outside_it_are_refused()
    {
        using var dir = new TempDirectory();
        WritePair(dir, "c", mask: (x, _) => x == 0 ? SKColors.Red : SKColors.Black);

        var grey = Assert.Throws<DataFileException>(() => SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2 }));
        Assert.Contains("has colour (255, 0, 0) at pixel (row 0, column 0), but a mask without a palette must be grey", grey.Message);

        var palette = Assert.Throws<DataFileException>(() => SegmentationFolder.Open(dir.Path,
            new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2, Palette = new (byte, byte, byte)[] { (0, 0, 0), (0, 255, 0) } }));
        Assert.Contains("has colour (255, 0, 0) at pixel (row 0, column 0), which is not in the palette of 2 classes", palette.Message);
    }

    [Fact]
    public void Missing_sub_folders_and_an_empty_result_are_explained()
    {
        using var dir = new TempDirectory();
        var noImages = Assert.Throws<DirectoryNotFoundException>(() => SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2 }));
        Assert.Contains("images", noImages.Message);

        TestImages.WriteSolid(Path.Combine(dir.Path, "images", "a.png"), 4, 4, SKColors.Green);
        Directory.CreateDirectory(Path.Combine(dir.Path, "masks"));
        var none = Assert.Throws<DataFileException>(() => SegmentationFolder.Open(dir.Path, new SegmentationFolderOptions { Height = 4, Width = 4, Classes = 2, BadPairs = BadInputPolicy.Skip }));
        Assert.Contains("no usable image + mask pairs", none.Message);
    }

    [Fact]
    public void Augmentation_moves_the_mask_with_the_image_by_nearest_neighbour_and_leaves_it_out_of_colour_changes()
    {
        const int size = 8;
        // Image channel 0 = the mask's label / 2, so after any geometric transform the two must still agree.
        var image = new float[size * size];
        var mask = new float[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                mask[y * size + x] = x < 3 ? 0 : y < 4 ? 1 : 2;
                image[y * size + x] = mask[y * size + x] / 2f;
            }
        }
        var geometryOnly = new SegmentationAugmentation(new ImageAugmentationOptions
        {
            HorizontalFlip = true, Rotation = 0.2, Interpolation = Interpolation.Nearest, FillMode = FillMode.Constant, FillValue = 0,
        }, size, size, 1, fillLabel: 0);
        bool changed = false;
        for (ulong seed = 0; seed < 20; seed++)
        {
            var img = (float[])image.Clone();
            var msk = (float[])mask.Clone();
            var random = new SeededRandom(seed);
            geometryOnly.Apply(img, msk, ref random);
            changed |= !msk.SequenceEqual(mask);
            for (int i = 0; i < msk.Length; i++)
            {
                Assert.Contains(msk[i], new[] { 0f, 1f, 2f }); // never a blend
                Assert.Equal(msk[i] / 2f, img[i]);              // the same transform as the image
            }
        }
        Assert.True(changed);

        var colour = new SegmentationAugmentation(new ImageAugmentationOptions { Brightness = 0.5, Contrast = 0.5 }, size, size, 1);
        var m2 = (float[])mask.Clone();
        var i2 = (float[])image.Clone();
        var r2 = new SeededRandom(3);
        colour.Apply(i2, m2, ref r2);
        Assert.Equal(mask, m2);
        Assert.NotEqual(image, i2);
    }
}
