using System;
using System.IO;
using System.Linq;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>IDX pairs: good files load; wrong magic, truncation and count mismatches name the file.</summary>
public class IdxDatasetTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_pair_loads_as_images_and_sparse_labels(bool gzip)
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImages(dir.File("images"), 3, 2, 2, Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray(), gzip);
        IdxFiles.WriteLabels(dir.File("labels"), new byte[] { 2, 0, 1 }, gzip);

        var data = IdxDataset.Load(dir.File("images"), dir.File("labels"));

        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.InputLength);
        Assert.Equal(new[] { 2f, 0f, 1f }, data.Targets.ToArray());
        Assert.Equal(new[] { "0", "1", "2" }, data.ClassNames);
        Assert.Equal(80 / 255f, data.Input(1)[0]);
    }

    [Fact]
    public void Wrong_magic_numbers_name_the_file_and_the_swap()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImages(dir.File("images"), 1, 2, 2, new byte[4], gzip: false);
        IdxFiles.WriteLabels(dir.File("labels"), new byte[] { 0 }, gzip: false);
        var swapped = Assert.Throws<DataFileException>(() => IdxDataset.Load(dir.File("labels"), dir.File("images")));
        Assert.StartsWith(dir.File("labels") + ": magic number 0x00000801 is not 0x00000803", swapped.Message);
        Assert.Contains("This is a label file", swapped.Message);

        File.WriteAllBytes(dir.File("junk"), new byte[] { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1 });
        var junk = Assert.Throws<DataFileException>(() => IdxDataset.Load(dir.File("images"), dir.File("junk")));
        Assert.StartsWith(dir.File("junk") + ": magic number 0x12345678", junk.Message);
    }

    [Fact]
    public void Mismatched_image_and_label_counts_name_both_files()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImages(dir.File("images"), 3, 2, 2, new byte[12], gzip: true);
        IdxFiles.WriteLabels(dir.File("labels"), new byte[] { 0, 1 }, gzip: true);

        var e = Assert.Throws<DataFileException>(() => IdxDataset.Load(dir.File("images"), dir.File("labels")));

        Assert.Equal(dir.File("labels"), e.FilePath);
        Assert.Contains($"count mismatch: it holds 2 labels but {dir.File("images")} holds 3 images", e.Message);
    }

    [Fact]
    public void Truncated_data_and_labels_outside_the_classes_are_reported()
    {
        using var dir = new TempDirectory();
        byte[] full = IdxFiles.Build(0x00000803, new[] { 2, 2, 2 }, new byte[8]);
        File.WriteAllBytes(dir.File("short"), full.AsSpan(0, full.Length - 3).ToArray());
        IdxFiles.WriteLabels(dir.File("labels"), new byte[] { 0, 5 }, gzip: false);
        var truncated = Assert.Throws<DataFileException>(() => IdxDataset.Load(dir.File("short"), dir.File("labels")));
        Assert.Contains("truncated", truncated.Message);

        IdxFiles.WriteImages(dir.File("images"), 2, 2, 2, new byte[8], gzip: false);
        var label = Assert.Throws<DataFileException>(() => IdxDataset.Load(dir.File("images"), dir.File("labels"), new[] { "a", "b" }));
        Assert.Contains("label 5 of sample 1 is not a class index from 0 to 1", label.Message);
    }
}
