using System;
using System.IO;
using ConvGen.Imaging;
using ConvGen.Training.Metrics;
using SkiaSharp;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>Class maps from Predict's output and the mask pictures written from them.</summary>
public class MaskPicturesTests
{
    [Fact]
    public void Class_maps_take_the_arg_max_of_each_pixel_lower_class_on_ties()
    {
        // Two samples of 1x2 pixels of 3 classes.
        float[] outputs = { 0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f, 0f, 0f, 1f, 0.3f, 0.3f, 0.4f };
        Assert.Equal(new[] { 1, 0, 2, 2 }, ClassMaps.FromScores(outputs, 3));
        Assert.Equal(new[] { 2, 2 }, ClassMaps.OfSample(outputs, 1, TensorShape.Spatial(1, 2, 3)));

        var e = Assert.Throws<ArgumentException>(() => ClassMaps.FromScores(outputs, 5));
        Assert.Contains("12 floats, which is not a whole number of pixels of 5 classes", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassMaps.OfSample(outputs, 2, TensorShape.Spatial(1, 2, 3)));
    }

    [Fact]
    public void The_default_palette_is_the_VOC_palette()
    {
        var palette = MaskPictures.DefaultPalette(4);
        Assert.Equal(((byte)0, (byte)0, (byte)0), palette[0]);
        Assert.Equal(((byte)128, (byte)0, (byte)0), palette[1]);
        Assert.Equal(((byte)0, (byte)128, (byte)0), palette[2]);
        Assert.Equal(((byte)128, (byte)128, (byte)0), palette[3]);
    }

    [Fact]
    public void The_overlay_blends_class_colours_over_the_image_and_leaves_the_background_clear()
    {
        float[] grey = { 0.2f, 0.2f };
        var overlay = MaskPictures.Overlay(grey, 1, 2, 1, new[] { 0, 1 }, new (byte, byte, byte)[] { (0, 0, 0), (255, 0, 0) }, 0.5f);
        Assert.Equal(new[] { 0.2f, 0.2f, 0.2f, 0.6f, 0.1f, 0.1f }, overlay);

        using var dir = new TempDirectory();
        string path = dir.File("overlay.png");
        MaskPictures.WriteOverlay(path, grey, 1, 2, 1, new[] { 0, 1 });
        using var written = SKBitmap.Decode(path);
        Assert.Equal(2, written.Width);
        Assert.Equal(new SKColor(51, 51, 51), written.GetPixel(0, 0));
        Assert.Equal(new SKColor(90, 26, 26), written.GetPixel(1, 0)); // 0.5 * 0.2 + 0.5 * 128/255

        var e = Assert.Throws<ArgumentException>(() => MaskPictures.Overlay(grey, 1, 2, 1, new[] { 0 }, MaskPictures.DefaultPalette(2)));
        Assert.Contains("1 values, not the 1x2 pixels", e.Message);
    }
}
