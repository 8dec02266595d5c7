using System;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using SkiaSharp;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>
/// Images whose header claims more pixels than the limit are refused (or skipped) before any
/// pixel memory is taken; large valid images are decoded near the network's input size.
/// </summary>
public class LargeImageTests
{
    private static ImageFolderOptions Options(BadInputPolicy policy = BadInputPolicy.Throw, bool verify = true, long maxPixels = ImageDecoder.DefaultMaxPixels) =>
        new() { Height = 8, Width = 8, BadFiles = policy, VerifyImages = verify, MaxPixels = maxPixels, Threads = 2 };

    private static void WriteGood(TempDirectory dir)
    {
        TestImages.WriteSolid(Path.Combine(dir.Path, "a", "good.png"), 10, 10, SKColors.Red);
        TestImages.WriteSolid(Path.Combine(dir.Path, "b", "good.jpg"), 10, 10, SKColors.Blue);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_png_header_claiming_100000x100000_is_refused_naming_the_file_and_the_limit(bool verify)
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = HostileFiles.WritePngHeader(Path.Combine(dir.Path, "a", "huge.png"), 100_000, 100_000);

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options(verify: verify)));

        Assert.Equal(path, e.FilePath);
        Assert.Equal("too large: the PNG header declares 100000x100000 = 10,000,000,000 pixels, more than the limit of 67,108,864 (ImageFolderOptions.MaxPixels).", e.Problem);
    }

    [Fact]
    public void A_bmp_header_claiming_60000x60000_is_refused_and_one_beyond_the_decoder_is_corrupt()
    {
        using var dir = new TempDirectory();
        string large = HostileFiles.WriteBmpHeader(dir.File("large.bmp"), 60_000, 60_000);
        string huge = HostileFiles.WriteBmpHeader(dir.File("huge.bmp"), 100_000, 100_000);

        var tooLarge = Assert.Throws<DataFileException>(() => ImageDecoder.Load(large, 8, 8, 3));
        var beyond = Assert.Throws<DataFileException>(() => ImageDecoder.Load(huge, 8, 8, 3));

        Assert.Equal(large, tooLarge.FilePath);
        Assert.StartsWith("too large: the BMP header declares 60000x60000 = 3,600,000,000 pixels", tooLarge.Problem);
        // SkiaSharp refuses BMP sides of 65536 and more itself.
        Assert.Equal(huge, beyond.FilePath);
        Assert.StartsWith("corrupt: the file starts like a BMP (bytes 424d", beyond.Problem);
    }

    [Fact]
    public void Under_skip_too_large_images_are_left_out_counted_and_listed()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string png = HostileFiles.WritePngHeader(Path.Combine(dir.Path, "a", "huge.png"), 100_000, 100_000);
        string bmp = HostileFiles.WriteBmpHeader(Path.Combine(dir.Path, "b", "huge.bmp"), 60_000, 60_000);
        string over = TestImages.WriteSolid(Path.Combine(dir.Path, "b", "over.png"), 20, 20, SKColors.Green);

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip, maxPixels: 399));

        Assert.Equal(2, folder.Count);
        Assert.Equal(new[] { png, bmp, over }, folder.Report.Skipped.Select(s => s.Path).ToArray());
        Assert.All(folder.Report.Skipped, s => Assert.StartsWith("too large:", s.Problem));
        Assert.Contains("20x20 = 400 pixels, more than the limit of 399", folder.Report.Skipped[2].Problem);
        Assert.Contains("3 skipped", folder.ToString());
    }

    [Fact]
    public void The_pixel_limit_must_be_positive()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Open(dir.Path, Options(maxPixels: 0)));

        Assert.Contains("MaxPixels", e.Message);
    }

    [Fact]
    public void A_valid_12000x12000_png_is_refused_by_default_and_decoded_small_when_allowed()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = HostileFiles.WriteFlatGreyPng(Path.Combine(dir.Path, "a", "vast.png"), 12_000, 12_000, grey: 90);

        var refused = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));
        Assert.Equal(path, refused.FilePath);
        Assert.Contains("12000x12000 = 144,000,000 pixels", refused.Problem);

        // Allowed, it is reduced band by band while decoding: the picture handed to the resize
        // is 8x8 (1500x1500 blocks averaged), never the 576 MB RGBA image, and the band buffers
        // stay a few MB of managed memory.
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var near = ImageDecoder.DecodeNear(path, 8, 8, maxPixels: 144_000_000))
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal((8, 8), (near.Width, near.Height));
            Assert.InRange(allocated, 0, 32L << 20);
            Assert.All(Enumerable.Range(0, 64), p => Assert.Equal(new SKColor(90, 90, 90), near.GetPixel(p % 8, p / 8)));
        }
        var folder = ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8, Channels = 1, MaxPixels = 144_000_000, VerifyImages = false, Threads = 2 });
        int index = Enumerable.Range(0, folder.Count).Single(i => folder.FileOf(i) == path);
        var input = new float[64];
        folder.Read(index, input, new float[1]);
        Assert.All(input, v => Assert.Equal(90 / 255f, v));
    }

    [Fact]
    public void Banded_reduction_averages_blocks_and_keeps_at_least_the_target_size()
    {
        using var dir = new TempDirectory();
        // 2400x1800 (4.3 Mi pixels, above the reduction threshold): left half black, right half white.
        using var bitmap = new SKBitmap(new SKImageInfo(2400, 1800, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            using var white = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(1200, 0, 1200, 1800, white);
        }
        string path = TestImages.Write(dir.File("halves.png"), bitmap);

        using var near = ImageDecoder.DecodeNear(path, 16, 24, ImageDecoder.DefaultMaxPixels);

        // factor min(2400 / 24, 1800 / 16) = 100: 24x18, at least the 24x16 target.
        Assert.Equal((24, 18), (near.Width, near.Height));
        Assert.Equal(SKColors.Black, near.GetPixel(11, 9));
        Assert.Equal(SKColors.White, near.GetPixel(12, 9));
    }

    [Fact]
    public void A_large_bmp_is_reduced_through_scanline_decoding_and_a_truncated_one_names_the_file()
    {
        using var dir = new TempDirectory();
        string path = HostileFiles.WriteHalvesBmp(dir.File("halves.bmp"), 2400, 1800, split: 1200);

        using (var near = ImageDecoder.DecodeNear(path, 16, 24, ImageDecoder.DefaultMaxPixels))
        {
            Assert.Equal((24, 18), (near.Width, near.Height));
            Assert.Equal(SKColors.Black, near.GetPixel(11, 0));
            Assert.Equal(SKColors.White, near.GetPixel(12, 17));
        }

        TestImages.Truncate(path, 0.5);
        var e = Assert.Throws<DataFileException>(() => ImageDecoder.Load(path, 16, 24, 3));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith("truncated: the BMP data ends after", e.Problem);
    }

    [Theory]
    [InlineData(SKColorType.Rgba8888, 3)]
    [InlineData(SKColorType.Gray8, 4)]
    public void Png_bands_match_the_block_averages_of_the_whole_decode(SKColorType colorType, int factor)
    {
        using var dir = new TempDirectory();
        // Noise makes SkiaSharp's encoder pick every PNG row filter (Sub, Up, Average, Paeth).
        var random = new Random(11);
        using var source = new SKBitmap(new SKImageInfo(67, 50, colorType, colorType == SKColorType.Gray8 ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        for (int y = 0; y < 50; y++)
        {
            for (int x = 0; x < 67; x++)
            {
                source.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)(128 + random.Next(128))));
            }
        }
        string path = TestImages.Write(dir.File("noise.png"), source);
        using var whole = SKBitmap.Decode(path, new SKImageInfo(67, 50, SKColorType.Rgba8888, SKAlphaType.Unpremul));

        using var reduced = PngBands.DecodeReduced(path, factor)!;

        Assert.Equal(((67 + factor - 1) / factor, (50 + factor - 1) / factor), (reduced.Width, reduced.Height));
        for (int by = 0; by < reduced.Height; by++)
        {
            for (int bx = 0; bx < reduced.Width; bx++)
            {
                long r = 0, g = 0, b = 0, a = 0, n = 0;
                for (int y = by * factor; y < Math.Min(50, (by + 1) * factor); y++)
                {
                    for (int x = bx * factor; x < Math.Min(67, (bx + 1) * factor); x++)
                    {
                        var c = whole.GetPixel(x, y);
                        (r, g, b, a, n) = (r + c.Red, g + c.Green, b + c.Blue, a + c.Alpha, n + 1);
                    }
                }
                var expected = new SKColor((byte)((r + n / 2) / n), (byte)((g + n / 2) / n), (byte)((b + n / 2) / n), (byte)((a + n / 2) / n));
                Assert.Equal(expected, reduced.GetPixel(bx, by));
            }
        }
    }

    [Fact]
    public void Small_images_are_not_reduced()
    {
        using var dir = new TempDirectory();
        string path = TestImages.WriteSolid(dir.File("small.png"), 300, 200, SKColors.Red);

        using var near = ImageDecoder.DecodeNear(path, 8, 8, ImageDecoder.DefaultMaxPixels);

        Assert.Equal((300, 200), (near.Width, near.Height)); // the resize sees the whole picture, as Keras
    }
}
