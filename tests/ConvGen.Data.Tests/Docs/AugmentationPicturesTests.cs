using System;
using System.IO;
using System.Linq;
using AugmentationPictures;
using SkiaSharp;

namespace ConvGen.Data.Tests.Docs;

/// <summary>
/// The pictures in docs/images/augmentation show what the augmentation code does today: drawn
/// again by docs/tools/AugmentationPictures, they match the committed files pixel for pixel (to
/// one 8-bit level, so that a last-bit difference in float arithmetic on another CPU does not
/// count). When this fails after an intended change, regenerate them as docs/data.md says.
/// </summary>
public sealed class AugmentationPicturesTests
{
    private static readonly string s_committed = Path.Combine(RepositoryRoot(), "docs", "images", "augmentation");

    [Fact]
    public void Committed_pictures_match_the_augmentation_code()
    {
        using var temp = new TempDirectory();

        var written = PictureWriter.WriteAll(temp.Path, FashionMnist.DefaultDirectory);

        var committed = Directory.GetFiles(s_committed, "*.png").Select(Path.GetFileName).ToHashSet();
        foreach (string name in written)
        {
            Assert.True(committed.Contains(name), $"{name} is drawn but not committed in docs/images/augmentation; regenerate the pictures (docs/data.md)");
            AssertSamePixels(Path.Combine(s_committed, name), temp.File(name!));
        }
        bool fashionInstalled = File.Exists(Path.Combine(FashionMnist.DefaultDirectory, "t10k-images-idx3-ubyte.gz"));
        var notDrawn = committed.Except(written).Where(name => fashionInstalled || !name!.EndsWith("-fashion.png", StringComparison.Ordinal)).ToList();
        Assert.True(notDrawn.Count == 0, $"committed but no longer drawn: {string.Join(", ", notDrawn)}");
    }

    private static void AssertSamePixels(string expectedPath, string actualPath)
    {
        using var expected = SKBitmap.Decode(expectedPath);
        using var actual = SKBitmap.Decode(actualPath);
        string name = Path.GetFileName(expectedPath);
        Assert.True(expected.Width == actual.Width && expected.Height == actual.Height,
            $"{name}: committed {expected.Width}x{expected.Height}, drawn {actual.Width}x{actual.Height}; regenerate the pictures (docs/data.md)");
        int worst = 0;
        for (int y = 0; y < expected.Height; y++)
        {
            for (int x = 0; x < expected.Width; x++)
            {
                SKColor e = expected.GetPixel(x, y), a = actual.GetPixel(x, y);
                worst = Math.Max(worst, Math.Max(Math.Abs(e.Red - a.Red), Math.Max(Math.Abs(e.Green - a.Green), Math.Abs(e.Blue - a.Blue))));
            }
        }
        Assert.True(worst <= 1, $"{name}: a pixel differs by {worst} levels from the committed picture; regenerate the pictures (docs/data.md)");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ConvGen.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No ConvGen.sln above {AppContext.BaseDirectory}");
    }
}
