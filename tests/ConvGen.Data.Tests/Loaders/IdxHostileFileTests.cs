using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>
/// Hostile IDX files, one per kind of damage found by fuzzing: each is refused with a
/// <see cref="DataFileException"/> naming the file and the field, in memory that follows the
/// data present rather than the header's claims.
/// </summary>
public class IdxHostileFileTests
{
    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var compressed = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressed.Write(content);
        }
        return output.ToArray();
    }

    private static string WriteFile(TempDirectory dir, string name, byte[] content)
    {
        string path = dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tiny_file_claiming_two_billion_labels_is_refused_without_allocating_them(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] content = IdxFiles.Build(0x00000801, new[] { 2_000_000_000 }, new byte[] { 3 });
        string path = WriteFile(dir, "labels", gzip ? Gzip(content) : content);
        Assert.True(new FileInfo(path).Length < 40);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(path, e.FilePath);
        Assert.Contains("declares 2000000000 labels (2000000000 bytes of data) but the file holds only 1 label", e.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_claimed_beyond_the_data_are_refused_with_the_count_found(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] content = IdxFiles.Build(0x00000803, new[] { 2_000_000, 28, 28 }, new byte[28 * 28 * 3 + 5]);
        string path = WriteFile(dir, "images", gzip ? Gzip(content) : content);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"{path}: truncated: the header declares 2000000 images of 28x28 (1568000000 bytes of data) but the file holds only 3 images (the data ends after 2357 bytes).", e.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_label_count_of_int_max_is_a_data_file_error_not_out_of_memory()
    {
        using var dir = new TempDirectory();
        string path = WriteFile(dir, "labels", IdxFiles.Build(0x00000801, new[] { int.MaxValue }, new byte[10]));
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(path));
        Assert.Contains($"declares {int.MaxValue} labels", e.Message);
        Assert.Contains("holds only 10 labels", e.Message);
    }

    [Fact]
    public void Header_fields_name_what_is_wrong_with_them()
    {
        using var dir = new TempDirectory();
        var cases = new (string Name, byte[] Content, string Expected)[]
        {
            ("not-idx", IdxFiles.Build(0x01000803, new[] { 1, 1, 1 }, new byte[1]), "An IDX file starts with two zero bytes"),
            ("floats", IdxFiles.Build(0x00000D03, new[] { 1, 1, 1 }, new byte[4]), "element type byte is 0x0D (32-bit float); only 0x08 (unsigned byte) is read"),
            ("bad-type", IdxFiles.Build(0x00000703, new[] { 1, 1, 1 }, new byte[1]), "element type byte is 0x07 (not an IDX element type)"),
            ("two-dims", IdxFiles.Build(0x00000802, new[] { 1, 1 }, new byte[1]), "dimension count byte is 2; expected 3"),
            ("zero-columns", IdxFiles.Build(0x00000803, new[] { 1, 28, 0 }, Array.Empty<byte>()), "the header's column count is 0; expected at least 1"),
            ("negative-rows", IdxFiles.Build(0x00000803, new[] { 1, int.MinValue, 1 }, Array.Empty<byte>()), $"the header's row count is {int.MinValue}"),
            ("overflow", IdxFiles.Build(0x00000803, new[] { int.MaxValue, 65536, 65536 }, Array.Empty<byte>()), $"declares {int.MaxValue} images of 65536x65536, {(long)int.MaxValue * 65536 * 65536} pixels in all, more than one array can hold"),
            ("one-huge-image", IdxFiles.Build(0x00000803, new[] { 0, 65536, 65536 }, Array.Empty<byte>()), "more than one array can hold"),
            ("trailing", IdxFiles.Build(0x00000803, new[] { 1, 2, 2 }, new byte[9]), "count mismatch: the header declares 1 image of 2x2 (4 bytes of data) but 5 more bytes follow"),
        };
        foreach (var (name, content, expected) in cases)
        {
            foreach (bool gzip in new[] { false, true })
            {
                string path = WriteFile(dir, name + (gzip ? ".gz" : ""), gzip ? Gzip(content) : content);
                var e = Assert.Throws<DataFileException>(() => IdxReader.ReadImages(path));
                Assert.Equal(path, e.FilePath);
                Assert.StartsWith(path + ": ", e.Message);
                Assert.Contains(expected, e.Message);
            }
        }
    }

    [Fact]
    public void A_pair_whose_counts_differ_names_both_files()
    {
        using var dir = new TempDirectory();
        string images = WriteFile(dir, "images", IdxFiles.Build(0x00000803, new[] { 2, 1, 1 }, new byte[2]));
        string labels = WriteFile(dir, "labels", Gzip(IdxFiles.Build(0x00000801, new[] { 3 }, new byte[3])));
        var e = Assert.Throws<DataFileException>(() => IdxDataset.Load(images, labels));
        Assert.Equal(labels, e.FilePath);
        Assert.Contains($"it holds 3 labels but {images} holds 2 images", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_truncation_of_a_valid_pair_is_refused_naming_the_file(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] images = IdxFiles.Build(0x00000803, new[] { 3, 2, 2 }, Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray());
        byte[] labels = IdxFiles.Build(0x00000801, new[] { 3 }, new byte[] { 2, 0, 1 });
        string goodImages = WriteFile(dir, "images", gzip ? Gzip(images) : images);
        string goodLabels = WriteFile(dir, "labels", gzip ? Gzip(labels) : labels);
        Assert.Equal(3, IdxDataset.Load(goodImages, goodLabels).Count);

        foreach (var (full, isImages) in new[] { (gzip ? Gzip(images) : images, true), (gzip ? Gzip(labels) : labels, false) })
        {
            for (int length = 0; length < full.Length; length++)
            {
                string cut = WriteFile(dir, $"cut-{isImages}-{length}", full.AsSpan(0, length).ToArray());
                var e = Assert.Throws<DataFileException>(() => isImages ? IdxDataset.Load(cut, goodLabels) : IdxDataset.Load(goodImages, cut));
                Assert.Equal(cut, e.FilePath);
                Assert.StartsWith(cut + ": ", e.Message);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Seeded_random_byte_flips_load_or_fail_with_a_data_file_error(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] images = IdxFiles.Build(0x00000803, new[] { 4, 3, 3 }, Enumerable.Range(0, 36).Select(i => (byte)(i * 7)).ToArray());
        byte[] labels = IdxFiles.Build(0x00000801, new[] { 4 }, new byte[] { 0, 1, 2, 3 });
        string goodLabels = WriteFile(dir, "labels", labels);
        byte[] original = gzip ? Gzip(images) : images;
        var random = new Random(20261205);
        int loaded = 0, refused = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            }
            string path = WriteFile(dir, $"flip-{trial}", damaged);
            try
            {
                var data = IdxDataset.Load(path, goodLabels);
                Assert.Equal(4, data.Count);
                loaded++;
            }
            catch (DataFileException e)
            {
                Assert.Equal(path, e.FilePath);
                refused++;
            }
        }
        Assert.True(refused > 0, "no flip was refused");
        Assert.True(loaded + refused == 400);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Streams_that_cannot_seek_read_like_files(bool gzip)
    {
        byte[] images = IdxFiles.Build(0x00000803, new[] { 2, 1, 2 }, new byte[] { 0, 51, 102, 255 });
        byte[] labels = IdxFiles.Build(0x00000801, new[] { 2 }, new byte[] { 1, 0 });
        using var imageStream = new ForwardOnlyStream(gzip ? Gzip(images) : images);
        using var labelStream = new ForwardOnlyStream(gzip ? Gzip(labels) : labels);

        var data = IdxDataset.Load(imageStream, "images in memory", labelStream, "labels in memory");

        Assert.Equal(new[] { 1f, 0f }, data.Targets.ToArray());
        Assert.Equal(new[] { 0f, 51 / 255f, 102 / 255f, 1f }, data.Inputs.ToArray());
        Assert.Equal("labels in memory", data.SourceName);

        using var shortStream = new ForwardOnlyStream(labels.AsSpan(0, 9).ToArray());
        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadLabels(shortStream, "short labels"));
        Assert.Equal("short labels: truncated: the header declares 2 labels (2 bytes of data) but the file holds only 1 label (the data ends after 1 byte).", e.Message);
    }

    /// <summary>A stream that can only be read forward, as a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 3));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
