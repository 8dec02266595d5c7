using System;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using SkiaSharp;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>
/// What a class-folder tree may hold besides images: symbolic links (loops, links out of the
/// folder or into another class), FIFOs and devices named like images, names that are not UTF-8.
/// </summary>
public class FolderEntryTests
{
    private static ImageFolderOptions Options(BadInputPolicy policy = BadInputPolicy.Throw, bool verify = true) =>
        new() { Height = 4, Width = 4, BadFiles = policy, VerifyImages = verify, Threads = 2 };

    private static (string A, string B) WriteTwoClasses(TempDirectory dir)
    {
        string a = TestImages.WriteSolid(Path.Combine(dir.Path, "class_a", "red.png"), 6, 6, SKColors.Red);
        string b = TestImages.WriteSolid(Path.Combine(dir.Path, "class_b", "blue.png"), 6, 6, SKColors.Blue);
        return (a, b);
    }

    [Fact]
    public void A_link_up_to_the_root_is_not_followed_and_does_not_relabel_class_a_as_b()
    {
        using var dir = new TempDirectory();
        var (a, b) = WriteTwoClasses(dir);
        string loop = Path.Combine(dir.Path, "class_b", "loop");
        Directory.CreateSymbolicLink(loop, "..");

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));
        Assert.Equal(loop, e.FilePath);
        Assert.Contains("outside the class folder 'class_b': not followed", e.Problem);

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));
        Assert.Equal(new[] { a, b }, Enumerable.Range(0, folder.Count).Select(folder.FileOf).ToArray());
        Assert.Equal(new[] { 0, 1 }, Enumerable.Range(0, folder.Count).Select(i => folder.LabelsOf(i)[0]).ToArray());
        Assert.Equal(loop, Assert.Single(folder.Report.Skipped).Path);
    }

    [Fact]
    public void A_link_into_another_class_or_out_of_the_root_is_reported_not_followed()
    {
        using var dir = new TempDirectory();
        var (a, b) = WriteTwoClasses(dir);
        using var outside = new TempDirectory();
        TestImages.WriteSolid(outside.File("green.png"), 6, 6, SKColors.Green);
        string intoA = Path.Combine(dir.Path, "class_b", "from_a");
        string outFolder = Path.Combine(dir.Path, "class_b", "outside");
        string outFile = Path.Combine(dir.Path, "class_b", "green.png");
        Directory.CreateSymbolicLink(intoA, Path.Combine(dir.Path, "class_a"));
        Directory.CreateSymbolicLink(outFolder, outside.Path);
        File.CreateSymbolicLink(outFile, outside.File("green.png"));

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));

        Assert.Equal(new[] { a, b }, Enumerable.Range(0, folder.Count).Select(folder.FileOf).ToArray());
        var skipped = folder.Report.Skipped;
        Assert.Equal(new[] { intoA, outFile, outFolder }, skipped.Select(s => s.Path).ToArray()); // in name order
        Assert.All(skipped, s => Assert.Contains("outside the class folder 'class_b': not followed", s.Problem));
    }

    [Fact]
    public void Links_inside_the_class_folder_are_followed_once_and_loops_within_it_end()
    {
        using var dir = new TempDirectory();
        var (a, b) = WriteTwoClasses(dir);
        string deep = TestImages.WriteSolid(Path.Combine(dir.Path, "class_b", "deep", "er", "navy.png"), 6, 6, SKColors.Navy);
        string fileLink = Path.Combine(dir.Path, "class_b", "again.png");
        File.CreateSymbolicLink(fileLink, "blue.png");                                                   // a second sample of the same file
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "class_b", "deep", "er", "up"), "../..");   // back to class_b: a loop
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "class_b", "alias"), "deep");                // a folder already read

        var folder = ImageFolder.Open(dir.Path, Options());

        Assert.Equal(new[] { a, fileLink, b, deep }, Enumerable.Range(0, folder.Count).Select(folder.FileOf).ToArray());
        Assert.Equal(new[] { 1, 3 }, folder.ClassCounts());
        Assert.Equal(0, folder.Report.Count);
    }

    [Fact]
    public void A_class_folder_that_links_elsewhere_in_the_root_is_a_class_and_one_onto_another_class_is_reported()
    {
        using var dir = new TempDirectory();
        var (a, b) = WriteTwoClasses(dir);
        string stored = TestImages.WriteSolid(Path.Combine(dir.Path, ".store", "cyan", "c.png"), 6, 6, SKColors.Cyan);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "class_c"), Path.Combine(".store", "cyan"));
        string duplicate = Path.Combine(dir.Path, "class_d");
        Directory.CreateSymbolicLink(duplicate, "class_a");
        string dangling = Path.Combine(dir.Path, "class_e");
        Directory.CreateSymbolicLink(dangling, "missing");

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));
        Assert.Equal(duplicate, e.FilePath);
        Assert.Contains("inside the folder of class 'class_a'", e.Problem);

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));
        Assert.Equal(new[] { "class_a", "class_b", "class_c" }, folder.ClassNames);
        Assert.Equal(Path.Combine(dir.Path, "class_c", "c.png"), folder.FileOf(2));
        Assert.Equal(new[] { duplicate, dangling }, folder.Report.Skipped.Select(s => s.Path).ToArray()); // in name order
        Assert.Contains("which does not exist", folder.Report.Skipped.Single(s => s.Path == dangling).Problem);
        Assert.True(File.Exists(stored));
    }

    [Fact]
    public void A_link_loop_between_two_links_is_reported_as_leading_nowhere()
    {
        using var dir = new TempDirectory();
        WriteTwoClasses(dir);
        string first = Path.Combine(dir.Path, "class_a", "x.png");
        File.CreateSymbolicLink(first, "y.png");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "class_a", "y.png"), "x.png");

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));

        Assert.Equal(2, folder.Count);
        Assert.Equal(2, folder.Report.Count);
        Assert.All(folder.Report.Skipped, s => Assert.Contains("does not exist (or is a loop of links)", s.Problem));
    }

    [LinuxFact]
    public void A_fifo_named_like_an_image_is_bad_input_and_never_opened()
    {
        using var dir = new TempDirectory();
        var (a, b) = WriteTwoClasses(dir);
        string fifo = HostileFiles.MakeFifo(Path.Combine(dir.Path, "class_a", "pipe.png"));

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));
        Assert.Equal(fifo, e.FilePath);
        Assert.Equal("not a regular file but a FIFO (named pipe); only regular files are read as images.", e.Problem);

        var headersOnly = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options(verify: false)));
        Assert.Equal(fifo, headersOnly.FilePath);

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));
        Assert.Equal(new[] { a, b }, Enumerable.Range(0, folder.Count).Select(folder.FileOf).ToArray());
        Assert.Equal(fifo, Assert.Single(folder.Report.Skipped).Path);
    }

    [LinuxFact]
    public void A_device_named_like_an_image_is_not_read()
    {
        using var dir = new TempDirectory();
        string device = dir.File("zero.png");
        File.CreateSymbolicLink(device, "/dev/zero"); // read directly (not through a folder), so the link is the decoder's to check

        var e = Assert.Throws<DataFileException>(() => ImageDecoder.Load(device, 4, 4, 3));

        Assert.Equal(device, e.FilePath);
        Assert.Contains("not a regular file but a character device", e.Problem);
    }

    [LinuxFact]
    public void Names_that_are_not_utf8_are_skipped_and_reported_not_fatal()
    {
        using var dir = new TempDirectory();
        var (a, b) = WriteTwoClasses(dir);
        string classA = Path.Combine(dir.Path, "class_a");
        HostileFiles.MoveToByteName(TestImages.WriteSolid(dir.File("tmp1.png"), 6, 6, SKColors.Yellow), classA, HostileFiles.NotUtf8("bad", ".png"));
        HostileFiles.MakeByteNamedFolder(classA, HostileFiles.NotUtf8("sub", ""));
        HostileFiles.MakeByteNamedFolder(dir.Path, HostileFiles.NotUtf8("class_", ""));
        HostileFiles.MoveToByteName(TestImages.WriteSolid(dir.File("tmp2.png"), 6, 6, SKColors.Yellow), Path.Combine(dir.Path, "class_b"), HostileFiles.NotUtf8("notes", ".txt"));

        var e = Assert.Throws<DataFileException>(() => ImageFolder.Open(dir.Path, Options()));
        Assert.Contains("not valid UTF-8", e.Problem);

        var folder = ImageFolder.Open(dir.Path, Options(BadInputPolicy.Skip));

        Assert.Equal(new[] { "class_a", "class_b" }, folder.ClassNames);
        Assert.Equal(new[] { a, b }, Enumerable.Range(0, folder.Count).Select(folder.FileOf).ToArray());
        Assert.Equal(1, folder.IgnoredFiles); // the .txt: not an image whatever its name
        var skipped = folder.Report.Skipped.Select(s => s.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            Path.Combine(dir.Path, "class_\uFFFD\uFFFD"),
            Path.Combine(classA, "bad\uFFFD\uFFFD.png"),
            Path.Combine(classA, "sub\uFFFD\uFFFD"),
        }.Order(StringComparer.Ordinal), skipped);
        Assert.All(folder.Report.Skipped, s => Assert.StartsWith("the name is not valid UTF-8", s.Problem));
    }
}
