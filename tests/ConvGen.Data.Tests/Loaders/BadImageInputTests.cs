using System.IO;
using System.Linq;
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
        Assert.Contains("holds 1 images directly", e.Message);
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
}
