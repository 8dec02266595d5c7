using System;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using SkiaSharp;

namespace ConvGen.Data.Tests.Loaders;

public class ImageFolderTests
{
    private static ImageFolderOptions Options(int size = 8, int channels = 3, LabelMode mode = LabelMode.Int, BadInputPolicy policy = BadInputPolicy.Throw) => new()
    {
        Height = size,
        Width = size,
        Channels = channels,
        LabelMode = mode,
        BadFiles = policy,
        Threads = 2,
    };

    /// <summary>Three classes of solid pictures, PNG and JPEG, of different sizes.</summary>
    private static void WriteThreeClasses(TempDirectory dir)
    {
        TestImages.WriteSolid(Path.Combine(dir.Path, "red", "a.png"), 20, 30, new SKColor(255, 0, 0));
        TestImages.WriteSolid(Path.Combine(dir.Path, "red", "b.jpg"), 16, 16, new SKColor(255, 0, 0));
        TestImages.WriteSolid(Path.Combine(dir.Path, "green", "nested", "c.PNG"), 9, 7, new SKColor(0, 255, 0));
        TestImages.WriteSolid(Path.Combine(dir.Path, "blue", "d.jpeg"), 40, 10, new SKColor(0, 0, 255));
        File.WriteAllText(Path.Combine(dir.Path, "blue", "notes.txt"), "not an image extension: ignored");
        Directory.CreateDirectory(Path.Combine(dir.Path, ".hidden"));
    }

    [Fact]
    public void Class_folders_give_sorted_class_names_labels_and_resized_pixels()
    {
        using var dir = new TempDirectory();
        WriteThreeClasses(dir);

        var folder = ImageFolder.Open(dir.Path, Options());

        Assert.Equal(new[] { "blue", "green", "red" }, folder.ClassNames);
        Assert.Equal(4, folder.Count);
        Assert.Equal(8 * 8 * 3, folder.InputLength);
        Assert.Equal(1, folder.TargetLength);
        Assert.Equal(1, folder.IgnoredFiles);
        Assert.Equal(new[] { 1, 1, 2 }, folder.ClassCounts());
        Assert.Equal(0, folder.Report.Count);
        var input = new float[folder.InputLength];
        var target = new float[1];
        var expectedColor = new[] { (0f, 0f, 1f), (0f, 1f, 0f), (1f, 0f, 0f), (1f, 0f, 0f) };
        for (int i = 0; i < folder.Count; i++)
        {
            folder.Read(i, input, target);
            Assert.Equal(folder.LabelsOf(i)[0], (int)target[0]);
            var (r, g, b) = expectedColor[i];
            for (int p = 0; p < 64; p++)
            {
                // PNG is exact; JPEG of a solid colour is within a few levels.
                Assert.InRange(input[3 * p], r - 0.03f, r + 0.03f);
                Assert.InRange(input[3 * p + 1], g - 0.03f, g + 0.03f);
                Assert.InRange(input[3 * p + 2], b - 0.03f, b + 0.03f);
            }
        }
        Assert.EndsWith("c.PNG", folder.FileOf(1));
        Assert.Equal(new[] { 0f, 1f, 2f, 2f }, Enumerable.Range(0, 4).Select(i => (float)folder.LabelsOf(i)[0]).ToArray());
    }

    [Fact]
    public void Grey_and_RGBA_conversions_follow_the_channel_count()
    {
        using var dir = new TempDirectory();
        TestImages.WriteSolid(Path.Combine(dir.Path, "only", "x.png"), 4, 4, new SKColor(200, 100, 50));

        var grey = ImageFolder.Open(dir.Path, Options(size: 4, channels: 1));
        var input = new float[16];
        grey.Read(0, input, new float[1]);
        float luma = MathF.Round(0.2989f * 200 + 0.5870f * 100 + 0.1140f * 50) / 255f;
        Assert.All(input, v => Assert.Equal(luma, v));

        var rgba = ImageFolder.Open(dir.Path, Options(size: 4, channels: 4));
        var pixels = new float[64];
        rgba.Read(0, pixels, new float[1]);
        Assert.Equal(new[] { 200 / 255f, 100 / 255f, 50 / 255f, 1f }, pixels.Take(4).ToArray());
    }

    [Fact]
    public void Grey_files_become_equal_RGB_channels()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Folder("g"), "grey.png");
        using (var bitmap = new SKBitmap(new SKImageInfo(3, 3, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            bitmap.Erase(new SKColor(77, 77, 77));
            TestImages.Write(path, bitmap);
        }
        var folder = ImageFolder.Open(dir.Path, Options(size: 3));
        var input = new float[27];
        folder.Read(0, input, new float[1]);
        Assert.All(input, v => Assert.Equal(77 / 255f, v));
    }

    [Fact]
    public void Resize_interpolation_and_aspect_crop_are_honoured()
    {
        using var dir = new TempDirectory();
        // 2x2 checker (black / white) upscaled to 4x4; and a 40x20 picture, left half red, right half blue.
        using (var checker = TestImages.Bitmap(2, 2, (x, y) => (x + y) % 2 == 0 ? SKColors.Black : SKColors.White))
        {
            TestImages.Write(Path.Combine(dir.Path, "a", "checker.png"), checker);
        }
        var nearestOptions = new ImageFolderOptions { Height = 4, Width = 4, Interpolation = ResizeInterpolation.Nearest };
        var bilinearOptions = new ImageFolderOptions { Height = 4, Width = 4, Interpolation = ResizeInterpolation.Bilinear };
        var n = new float[48];
        var b = new float[48];
        ImageFolder.Open(dir.Path, nearestOptions).Read(0, n, new float[1]);
        ImageFolder.Open(dir.Path, bilinearOptions).Read(0, b, new float[1]);
        Assert.All(n, v => Assert.True(v == 0 || v == 1, $"nearest gives only black or white, got {v}"));
        Assert.Equal(0f, n[0]);
        Assert.Equal(1f, n[3 * 3]); // column 3 of row 0 comes from the white pixel
        Assert.Contains(b, v => v > 0.05f && v < 0.95f);

        using var other = new TempDirectory();
        using (var halves = TestImages.Bitmap(40, 20, (x, _) => x < 20 ? SKColors.Red : SKColors.Blue))
        {
            TestImages.Write(Path.Combine(other.Path, "a", "halves.png"), halves);
        }
        var cropped = new float[4 * 4 * 3];
        ImageFolder.Open(other.Path, new ImageFolderOptions { Height = 4, Width = 4, CropToAspectRatio = true }).Read(0, cropped, new float[1]);
        // The centred 20x20 window holds the right half of the red and the left half of the blue.
        Assert.Equal(1f, cropped[0]);          // top-left red
        Assert.Equal(1f, cropped[3 * 3 + 2]);  // top-right blue
    }

    [Theory]
    [InlineData(ResizeInterpolation.Nearest)]
    [InlineData(ResizeInterpolation.Bilinear)]
    [InlineData(ResizeInterpolation.Bicubic)]
    [InlineData(ResizeInterpolation.Area)]
    public void Every_resize_interpolation_downscales_a_large_jpeg(ResizeInterpolation interpolation)
    {
        using var dir = new TempDirectory();
        // Large enough for the decoder's 1/8 scaling; left half dark, right half light.
        using (var halves = TestImages.Bitmap(640, 480, (x, _) => x < 320 ? new SKColor(20, 20, 20) : new SKColor(230, 230, 230)))
        {
            TestImages.Write(Path.Combine(dir.Path, "a", "big.jpg"), halves);
        }
        var input = new float[8 * 8];
        ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8, Channels = 1, Interpolation = interpolation }).Read(0, input, new float[1]);
        Assert.InRange(input[0], 0f, 0.2f);
        Assert.InRange(input[7], 0.8f, 1f);
    }

    [Fact]
    public void Label_modes_encode_targets()
    {
        using var dir = new TempDirectory();
        WriteThreeClasses(dir);
        var categorical = ImageFolder.Open(dir.Path, Options(mode: LabelMode.Categorical));
        Assert.Equal(3, categorical.TargetLength);
        var target = new float[3];
        categorical.Read(1, new float[categorical.InputLength], target);
        Assert.Equal(new float[] { 0, 1, 0 }, target);

        var binaryError = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options(mode: LabelMode.Binary)));
        Assert.Contains("exactly 2 classes but there are 3", binaryError.Message);
        var binary = ImageFolder.Open(dir.Path, new ImageFolderOptions
        {
            Height = 8, Width = 8, LabelMode = LabelMode.Binary, ClassNames = new[] { "red", "blue" },
        });
        Assert.Equal(new[] { "red", "blue" }, binary.ClassNames);
        var one = new float[1];
        binary.Read(binary.Count - 1, new float[binary.InputLength], one);
        Assert.Equal(1f, one[0]); // blue is class 1 in the given order

        Assert.Throws<ArgumentException>(() => ImageFolder.Open(dir.Path, Options(mode: LabelMode.MultiLabel)));
    }

    [Fact]
    public void Multi_label_csv_lists_files_and_their_labels()
    {
        using var dir = new TempDirectory();
        TestImages.WriteSolid(Path.Combine(dir.Path, "img", "1.png"), 5, 5, SKColors.Red);
        TestImages.WriteSolid(Path.Combine(dir.Path, "img", "2.jpg"), 5, 5, SKColors.Green);
        TestImages.WriteSolid(Path.Combine(dir.Path, "img", "3.png"), 5, 5, SKColors.Blue);
        File.WriteAllText(dir.File("labels.csv"), "file,labels\nimg/1.png,cat dog\nimg/2.jpg,dog\n\"img/3.png\",\n");
        var options = new ImageFolderOptions
        {
            Height = 5, Width = 5, LabelMode = LabelMode.MultiLabel, LabelsCsv = "labels.csv",
        };

        var folder = ImageFolder.Open(dir.Path, options);

        Assert.Equal(new[] { "cat", "dog" }, folder.ClassNames);
        Assert.Equal(3, folder.Count);
        var target = new float[2];
        var input = new float[folder.InputLength];
        folder.Read(0, input, target);
        Assert.Equal(new float[] { 1, 1 }, target);
        folder.Read(1, input, target);
        Assert.Equal(new float[] { 0, 1 }, target);
        folder.Read(2, input, target);
        Assert.Equal(new float[] { 0, 0 }, target); // no label is a valid multi-label target
    }

    [Fact]
    public void Single_label_csv_works_with_int_labels_and_reports_bad_rows()
    {
        using var dir = new TempDirectory();
        TestImages.WriteSolid(dir.File("a.png"), 5, 5, SKColors.Red);
        TestImages.WriteSolid(dir.File("b.png"), 5, 5, SKColors.Blue);
        File.WriteAllText(dir.File("labels.csv"), "file,labels\na.png,x\nb.png,y z\nmissing.png,x\nb.png,\nb.png,y\n");
        var throwing = new ImageFolderOptions { Height = 5, Width = 5, LabelsCsv = "labels.csv" };
        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, throwing));
        Assert.Equal(3, e.Line);
        Assert.Equal(2, e.Column);
        Assert.Contains("has 2 labels", e.Message);

        var skipping = new ImageFolderOptions { Height = 5, Width = 5, LabelsCsv = "labels.csv", BadFiles = BadInputPolicy.Skip };
        var folder = ImageFolder.Open(dir.Path, skipping);
        Assert.Equal(2, folder.Count);
        Assert.Equal(new[] { "x", "y" }, folder.ClassNames);
        Assert.Equal(3, folder.Report.Count);
        Assert.Equal(new int?[] { 3, 5, 4 }, folder.Report.Skipped.Select(s => s.Line).ToArray());
        Assert.Contains("'missing.png' does not exist", folder.Report.Skipped[2].Problem);
        Assert.Contains("missing value", folder.Report.Skipped[1].Problem);
    }

    [Fact]
    public void Cached_and_streamed_reads_are_identical_and_the_budget_bounds_the_cache()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 6; i++)
        {
            TestImages.WriteNoisy(Path.Combine(dir.Path, i % 2 == 0 ? "even" : "odd", $"{i}.jpg"), 30, 20, seed: i);
        }
        var cached = ImageFolder.Open(dir.Path, Options(size: 10));
        var streamed = ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 10, Width = 10, CacheBytes = 0, VerifyImages = false });
        var partial = ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 10, Width = 10, CacheBytes = 2 * 300 + 10 });
        Assert.Equal(6, cached.CacheCapacity);
        Assert.Equal(6, cached.CachedImages); // verification decoded them all
        Assert.Equal(0, streamed.CacheCapacity);
        Assert.Equal(2, partial.CacheCapacity);
        var a = new float[300];
        var b = new float[300];
        var c = new float[300];
        var t = new float[1];
        for (int i = 0; i < 6; i++)
        {
            cached.Read(i, a, t);
            streamed.Read(i, b, t);
            partial.Read(i, c, t);
            Assert.Equal(a, b);
            Assert.Equal(a, c);
        }
        Assert.Equal(2, partial.CachedImages);
    }

    [Fact]
    public void Reads_from_many_threads_match_reads_from_one()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 12; i++)
        {
            TestImages.WriteNoisy(Path.Combine(dir.Path, $"c{i % 3}", $"{i}.png"), 12, 12, seed: i);
        }
        var folder = ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 12, Width = 12, CacheBytes = 0 });
        var sequential = Enumerable.Range(0, folder.Count).Select(i =>
        {
            var input = new float[folder.InputLength];
            folder.Read(i, input, new float[1]);
            return input;
        }).ToArray();
        var parallel = new float[folder.Count * 4][];
        System.Threading.Tasks.Parallel.For(0, parallel.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            var input = new float[folder.InputLength];
            folder.Read(k % folder.Count, input, new float[1]);
            parallel[k] = input;
        });
        for (int k = 0; k < parallel.Length; k++)
        {
            Assert.Equal(sequential[k % folder.Count], parallel[k]);
        }
    }

    [Fact]
    public void Validation_split_is_seeded()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 20; i++)
        {
            TestImages.WriteSolid(Path.Combine(dir.Path, $"c{i % 2}", $"{i:D2}.png"), 4, 4, new SKColor((byte)(10 * i), 0, 0));
        }
        var folder = ImageFolder.Open(dir.Path, Options(size: 4));
        var (train1, validation1) = folder.Split(0.25, seed: 3);
        var (_, validation2) = folder.Split(0.25, seed: 3);
        var (_, validation3) = folder.Split(0.25, seed: 4);
        Assert.Equal(15, train1.Count);
        Assert.Equal(5, validation1.Count);
        float[] First(IDataSource source)
        {
            var values = new float[source.Count];
            var input = new float[source.InputLength];
            for (int i = 0; i < source.Count; i++)
            {
                source.Read(i, input, new float[1]);
                values[i] = input[0];
            }
            return values;
        }
        Assert.Equal(First(validation1), First(validation2));
        Assert.NotEqual(First(validation1), First(validation3));
        Assert.Empty(First(train1).Intersect(First(validation1)));
    }

    [Fact]
    public void Thousands_of_tiny_files_open_and_cache()
    {
        using var dir = new TempDirectory();
        string first = TestImages.WriteSolid(dir.File("one.png"), 1, 1, new SKColor(10, 20, 30));
        byte[] png = File.ReadAllBytes(first);
        File.Delete(first);
        for (int c = 0; c < 3; c++)
        {
            string folder = dir.Folder($"class{c}");
            for (int i = 0; i < 1000; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, $"{i:D4}.png"), png);
            }
        }

        var folder3 = ImageFolder.Open(dir.Path, Options(size: 2));

        Assert.Equal(3000, folder3.Count);
        Assert.Equal(new[] { 1000, 1000, 1000 }, folder3.ClassCounts());
        Assert.Equal(3000, folder3.CachedImages);
        Assert.Equal(0, folder3.Report.Count);
        var input = new float[12];
        folder3.Read(2999, input, new float[1]);
        Assert.Equal(new[] { 10 / 255f, 20 / 255f, 30 / 255f }, input.Take(3).ToArray());
    }
}
