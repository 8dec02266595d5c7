using System.IO;
using System.Linq;
using ConvGen.Data;

namespace ConvGen.Training.Tests;

/// <summary>
/// Runs only where Fashion-MNIST is installed and is reported as skipped elsewhere (xunit 2 has
/// no dynamic skip, so the decision is made when the attribute is constructed). Where the
/// directory exists, the test asserts; a broken installation fails rather than passes silently.
/// </summary>
public sealed class RequiresFashionMnistFactAttribute : FactAttribute
{
    public RequiresFashionMnistFactAttribute()
    {
        if (!Directory.Exists(FashionMnist.DefaultDirectory))
        {
            Skip = $"Fashion-MNIST is not installed at {FashionMnist.DefaultDirectory} (sudo apt-get install dataset-fashion-mnist).";
        }
    }
}

public class FashionMnistTests
{
    [RequiresFashionMnistFact]
    public void Real_dataset_loads_with_the_published_sizes_and_labels()
    {
        var (train, test) = FashionMnist.Load();

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(28 * 28, train.InputLength);
        Assert.Equal(1, train.TargetLength);
        Assert.Equal("Ankle boot", train.ClassNames![9]);
        int[] trainCounts = new int[10];
        foreach (float label in train.Targets)
        {
            Assert.InRange(label, 0f, 9f);
            trainCounts[(int)label]++;
        }
        Assert.All(trainCounts, count => Assert.Equal(6000, count)); // the training set is balanced
        float min = train.Inputs.ToArray().Min(), max = train.Inputs.ToArray().Max();
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
    }

    [Fact]
    public void Missing_files_say_how_to_get_them()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("--data DIR", e.Message);
        Assert.Contains("the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Equal(Path.Combine(dir.Path, "train-images-idx3-ubyte.gz"), e.FileName);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_small_copy_in_the_same_layout_loads(bool gzip)
    {
        using var dir = new TempDirectory();
        WriteFakeDataset(dir, trainCount: 4, testCount: 3, gzip);

        var (train, test) = FashionMnist.Load(dir.Path);

        Assert.Equal(4, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal(new[] { 0f, 1f, 2f, 3f }, train.Targets.ToArray());
        Assert.Equal(FashionMnist.ClassNames, test.ClassNames);
        Assert.Equal(1 / 255f, train.Input(1)[0]);
    }

    [Fact]
    public void Mismatched_counts_and_bad_labels_are_refused()
    {
        using var dir = new TempDirectory();
        WriteFakeDataset(dir, 4, 3, gzip: true);
        string labels = Path.Combine(dir.Path, "train-labels-idx1-ubyte.gz");
        IdxTestFiles.WriteLabels(labels, new byte[] { 0, 1, 2 }, gzip: true);
        var e = Assert.Throws<DataFileException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains("holds 4 images but", e.Message);
        Assert.Contains("holds 3 labels", e.Message);

        IdxTestFiles.WriteLabels(labels, new byte[] { 0, 1, 10, 2 }, gzip: true);
        e = Assert.Throws<DataFileException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains("label 10 at index 2 is not a Fashion-MNIST class (0 to 9)", e.Message);
    }

    private static void WriteFakeDataset(TempDirectory dir, int trainCount, int testCount, bool gzip)
    {
        string suffix = gzip ? ".gz" : "";
        foreach (var (prefix, count) in new[] { ("train", trainCount), ("t10k", testCount) })
        {
            byte[] pixels = new byte[count * 28 * 28];
            for (int i = 0; i < count; i++)
            {
                pixels[i * 28 * 28] = (byte)i;
            }
            IdxTestFiles.WriteImages(Path.Combine(dir.Path, $"{prefix}-images-idx3-ubyte{suffix}"), count, 28, 28, pixels, gzip);
            IdxTestFiles.WriteLabels(Path.Combine(dir.Path, $"{prefix}-labels-idx1-ubyte{suffix}"),
                Enumerable.Range(0, count).Select(i => (byte)i).ToArray(), gzip);
        }
    }
}
