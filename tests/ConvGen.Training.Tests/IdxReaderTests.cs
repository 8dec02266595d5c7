using System.IO;
using System.Linq;
using ConvGen.Data;

namespace ConvGen.Training.Tests;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_round_trip_scaled_to_unit_range(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File(gzip ? "images.gz" : "images.raw"); // detection is by content, not name
        byte[] pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 11)).ToArray();
        pixels[0] = 0;
        pixels[1] = 255;
        IdxTestFiles.WriteImages(path, 3, 2, 4, pixels, gzip);

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal(3, images.Count);
        Assert.Equal(2, images.Rows);
        Assert.Equal(4, images.Columns);
        Assert.Equal(1, images.Channels);
        Assert.Equal(8, images.ImageLength);
        Assert.Equal(pixels.Select(p => p / 255f), images.Pixels);
        Assert.Equal(0f, images.Pixels[0]);
        Assert.Equal(1f, images.Pixels[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Labels_round_trip(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File("labels");
        byte[] labels = { 9, 0, 3, 3, 7 };
        IdxTestFiles.WriteLabels(path, labels, gzip);
        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void Empty_files_of_zero_samples_are_valid()
    {
        using var dir = new TempDirectory();
        string path = dir.File("none");
        IdxTestFiles.WriteImages(path, 0, 28, 28, new byte[0], gzip: true);
        Assert.Equal(0, IdxReader.ReadImages(path).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wrong_magic_names_the_file_and_the_expected_magic(bool gzip)
    {
        using var dir = new TempDirectory();
        string labels = dir.File("labels");
        IdxTestFiles.WriteLabels(labels, new byte[] { 1, 2 }, gzip);
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(labels));
        Assert.Equal($"{labels}: magic number 0x00000801 is not 0x00000803, the IDX magic for images (3 dimensions: count, rows, columns). This is a label file; pass it as labels, not images.", e.Message);

        string images = dir.File("images");
        IdxTestFiles.WriteImages(images, 1, 1, 1, new byte[] { 5 }, gzip);
        e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(images));
        Assert.Contains("magic number 0x00000803 is not 0x00000801", e.Message);

        string other = dir.File("other");
        IdxTestFiles.Write(other, IdxTestFiles.Build(0x00000D03, new[] { 1, 1, 1 }, new byte[4]), gzip); // floats, not bytes
        e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(other));
        Assert.StartsWith($"{other}: magic number 0x00000D03 is not 0x00000803", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_data_says_how_much_was_declared_and_found(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File("images");
        IdxTestFiles.Write(path, IdxTestFiles.Build(0x00000803, new[] { 2, 3, 3 }, new byte[10]), gzip);
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
        Assert.Equal($"{path}: truncated: the header declares 2 images of 3x3 (18 bytes of data) but the file holds only 1 image (the data ends after 10 bytes).", e.Message);

        string labels = dir.File("labels");
        IdxTestFiles.Write(labels, IdxTestFiles.Build(0x00000801, new[] { 5 }, new byte[4]), gzip);
        e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(labels));
        Assert.Contains("declares 5 labels (5 bytes of data) but the file holds only 4 labels (the data ends after 4 bytes)", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_header_is_reported(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File("images");
        IdxTestFiles.Write(path, new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0 }, gzip);
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
        Assert.Contains("truncated: the IDX header of images (3 dimensions: count, rows, columns) takes 16 bytes but the file holds only 10", e.Message);

        string empty = dir.File("empty");
        File.WriteAllBytes(empty, new byte[0]);
        e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(empty));
        Assert.StartsWith($"{empty}: truncated: 0 bytes, too short for the 4-byte IDX magic number", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Count_mismatch_with_extra_data_is_reported(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File("labels");
        IdxTestFiles.Write(path, IdxTestFiles.Build(0x00000801, new[] { 3 }, new byte[7]), gzip);
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(path));
        Assert.Equal($"{path}: count mismatch: the header declares 3 labels (3 bytes of data) but 4 more bytes follow.", e.Message);
    }

    [Fact]
    public void Impossible_dimensions_and_corrupt_gzip_are_reported()
    {
        using var dir = new TempDirectory();
        string negative = dir.File("negative");
        IdxTestFiles.Write(negative, IdxTestFiles.Build(0x00000803, new[] { -1, 28, 28 }, new byte[0]), gzip: false);
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(negative));
        Assert.Contains("the header's image count is -1; expected 0 or more", e.Message);

        string zeroRows = dir.File("zero-rows");
        IdxTestFiles.Write(zeroRows, IdxTestFiles.Build(0x00000803, new[] { 1, 0, 28 }, new byte[0]), gzip: false);
        e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(zeroRows));
        Assert.Contains("row count is 0; expected at least 1", e.Message);

        string corrupt = dir.File("corrupt.gz");
        File.WriteAllBytes(corrupt, new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff });
        e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(corrupt));
        Assert.StartsWith(corrupt + ": ", e.Message);
    }
}
