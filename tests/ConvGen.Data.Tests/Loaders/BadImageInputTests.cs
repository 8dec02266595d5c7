using System;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using SkiaSharp;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>Every bad input of an image folder gets an error naming the file and the problem, or is skipped and counted.</summary>
public class BadImageInputTests
{
    private static ImageFolderOptions Options(BadInputPolicy policy = BadInputPolicy.Throw, bool verify = true) =>
        new() { Height = 8, Width = 8, BadFiles = policy, VerifyImages = verify, Threads = 2 };

    private static void WriteGood(TempDirectory dir)
    {
        TestImages.WriteSolid(Path.Combine(dir.Path, "a", "good.png"), 10, 10, SKColors.Red);
        TestImages.WriteSolid(Path.Combine(dir.Path, "b", "good.jpg"), 10, 10, SKColors.Blue);
    }

    [Theory]
    [InlineData("broken.jpg")]
    [InlineData("broken.png")]
    public void Truncated_images_name_the_file(string name)
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = TestImages.WriteNoisy(Path.Combine(dir.Path, "a", name), 64, 64, seed: 1);
        TestImages.Truncate(path, 0.5);

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));

        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": truncated", e.Message);
    }

    [Fact]
    public void A_corrupt_image_names_the_file()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = TestImages.WriteNoisy(Path.Combine(dir.Path, "a", "corrupt.png"), 64, 64, seed: 5);
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = bytes.Length / 3; i < bytes.Length / 2; i++)
        {
            bytes[i] ^= 0x5A; // garbles the compressed pixel data (and its checksum)
        }
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));

        Assert.Equal(path, e.FilePath);
        Assert.Matches("^(truncated|corrupt)", e.Problem);
    }

    [Fact]
    public void A_file_that_is_not_an_image_says_so()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = Path.Combine(dir.Path, "b", "notes.jpg");
        File.WriteAllText(path, "these are notes, not a JPEG");

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("not an image", e.Message);
        Assert.Contains("starting 7468657365", e.Message); // the first bytes, "these"
    }

    [Fact]
    public void An_empty_file_says_so()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = Path.Combine(dir.Path, "b", "empty.png");
        File.WriteAllBytes(path, new byte[0]);

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));

        Assert.Equal($"{path}: the file is empty (0 bytes), not an image.", e.Message);
    }

    [Fact]
    public void A_truncated_header_is_reported_even_without_full_verification()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = TestImages.WriteSolid(Path.Combine(dir.Path, "a", "cut.png"), 10, 10, SKColors.Green);
        TestImages.Truncate(path, 0.1);

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options(verify: false)));

        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Without_verification_a_truncated_image_stops_the_read_with_its_name()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string path = TestImages.WriteNoisy(Path.Combine(dir.Path, "a", "late.jpg"), 64, 64, seed: 2);
        TestImages.Truncate(path, 0.6);
        var folder = ImageFolder.Open(dir.Path, Options(verify: false));
        int index = Enumerable.Range(0, folder.Count).Single(i => folder.FileOf(i) == path);

        var e = Assert.Throws<DataFileException>(() => folder.Read(index, new float[folder.InputLength], new float[1]));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void An_empty_class_folder_names_the_folder()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string empty = dir.Folder("c");
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no pictures here");

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));

        Assert.Equal(empty, e.FilePath);
        Assert.Contains("class folder 'c' holds no images (.jpg, .jpeg, .png", e.Message);
        Assert.Contains("its 1 files have other extensions", e.Message);
    }

    [Fact]
    public void A_folder_without_class_folders_explains_the_layout()
    {
        using var dir = new TempDirectory();
        TestImages.WriteSolid(dir.File("loose.png"), 4, 4, SKColors.Red);

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip)));

        Assert.Equal(dir.Path, e.FilePath);
        Assert.Contains("no class folders", e.Message);
        Assert.Contains("holds 1 image directly", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Open(dir.File("missing"), Options()));
    }

    [Fact]
    public void Skip_policy_leaves_out_and_counts_every_bad_file()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string truncated = TestImages.WriteNoisy(Path.Combine(dir.Path, "a", "truncated.jpg"), 64, 64, seed: 3);
        TestImages.Truncate(truncated, 0.5);
        string text = Path.Combine(dir.Path, "b", "text.png");
        File.WriteAllText(text, "not a PNG");
        string empty = Path.Combine(dir.Path, "b", "zero.jpg");
        File.WriteAllBytes(empty, new byte[0]);
        string emptyClass = dir.Folder("c");

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));

        Assert.Equal(2, folder.Count);
        Assert.Equal(new[] { "a", "b", "c" }, folder.ClassNames); // the empty class keeps its index
        Assert.Equal(4, folder.Report.Count);
        var paths = folder.Report.Skipped.Select(s => s.Path).ToArray();
        Assert.Equal(new[] { emptyClass, truncated, text, empty }, paths);
        Assert.All(Enumerable.Range(0, folder.Count), i => Assert.DoesNotContain(folder.FileOf(i), paths));
        var input = new float[folder.InputLength];
        var target = new float[1];
        folder.Read(1, input, target);
        Assert.Equal(1f, target[0]);
        Assert.Contains("4 skipped", folder.Report.ToString());
    }

    [Fact]
    public void Nothing_usable_is_an_error_even_when_skipping()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Folder("a"), "x.jpg"), "text");

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip)));

        Assert.Contains("no usable images", e.Message);
    }

    [Fact]
    public void A_labels_csv_with_a_bad_header_or_unknown_label_is_reported_with_line_and_column()
    {
        using var dir = new TempDirectory();
        TestImages.WriteSolid(dir.File("a.png"), 4, 4, SKColors.Red);
        File.WriteAllText(dir.File("bad-header.csv"), "name,class\na.png,x\n");
        var header = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, new ImageFolderOptions { Height = 4, Width = 4, LabelsCsv = "bad-header.csv" }));
        Assert.Equal(1, header.Line);
        Assert.Contains("must name a 'file' and a 'labels' column", header.Message);

        File.WriteAllText(dir.File("unknown.csv"), "file,labels\na.png,zebra\n");
        var unknown = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path,
            new ImageFolderOptions { Height = 4, Width = 4, LabelsCsv = "unknown.csv", ClassNames = new[] { "cat", "dog" } }));
        Assert.Equal(dir.File("unknown.csv") + ", line 2, column 2 ('labels'): label 'zebra' is not one of the classes cat, dog.", unknown.Message);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void Every_prefix_of_a_small_image_is_reported_by_name_or_decoded(string extension)
    {
        using var dir = new TempDirectory();
        string folder = dir.Folder("prefixes", "a");
        string whole = TestImages.WriteNoisy(Path.Combine(folder, "whole" + extension), 12, 12, seed: 7);
        byte[] bytes = File.ReadAllBytes(whole);
        var prefixes = Enumerable.Range(0, bytes.Length)
            .Select(length =>
            {
                string path = Path.Combine(folder, $"{length:D5}{extension}");
                File.WriteAllBytes(path, bytes.AsSpan(0, length).ToArray());
                return path;
            })
            .ToArray();

        var opened = ImageFolder.Open(Path.Combine(dir.Path, "prefixes"), new ImageFolderOptions { Height = 4, Width = 4, BadFiles = BadInputPolicy.Skip, Threads = 2 });

        // Every prefix is either left out with a problem that names it, or decodes to exactly the
        // whole file's pixels (possible only when just the checksums and end marker are missing).
        var skipped = opened.Report.Skipped.ToDictionary(s => s.Path, s => s.Problem);
        var kept = Enumerable.Range(0, opened.Count).ToDictionary(opened.FileOf);
        Assert.Equal(prefixes.Length + 1, skipped.Count + kept.Count);
        var expected = new float[opened.InputLength];
        opened.Read(kept[whole], expected, new float[1]);
        Assert.All(prefixes, path =>
        {
            if (kept.TryGetValue(path, out int index))
            {
                var pixels = new float[opened.InputLength];
                opened.Read(index, pixels, new float[1]);
                Assert.Equal(expected, pixels);
                Assert.True(new FileInfo(path).Length >= bytes.Length - 32, $"{path} decoded although it lacks more than checksums and its end marker");
            }
            else
            {
                Assert.Matches("^(the file is empty|truncated|corrupt|not an image)", skipped[path]);
            }
        });
        Assert.Contains(prefixes[0], skipped.Keys);
        Assert.Contains(prefixes[bytes.Length / 2], skipped.Keys);
        // And read one by one, each prefix gives a DataFileException naming it, never another exception.
        foreach (string path in prefixes.Where(p => !kept.ContainsKey(p)))
        {
            var e = Assert.Throws<DataFileException>(() => ImageDecoder.Load(path, 4, 4, 3));
            Assert.Equal(path, e.FilePath);
        }
    }

    [Fact]
    public void Text_named_like_an_image_and_empty_files_are_left_out_under_skip()
    {
        using var dir = new TempDirectory();
        WriteGood(dir);
        string text = Path.Combine(dir.Path, "a", "readme.jpg");
        File.WriteAllText(text, "plain text, not a JPEG\n");
        string empty = Path.Combine(dir.Path, "a", "empty.png");
        File.WriteAllBytes(empty, new byte[0]);

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip, verify: false));

        Assert.Equal(2, folder.Count);
        Assert.Equal(new[] { empty, text }, folder.Report.Skipped.Select(s => s.Path).ToArray());
        Assert.Equal("the file is empty (0 bytes), not an image.", folder.Report.Skipped[0].Problem);
        Assert.StartsWith("not an image: its 23 bytes (starting 706c61696e207465)", folder.Report.Skipped[1].Problem);
    }
}
