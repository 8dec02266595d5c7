using System;
using System.IO;
using ConvGen.Training.Metrics;
using SkiaSharp;

namespace ConvGen.Plots.Tests;

public sealed class ConfusionMatrixPlotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("convgen-confusion-").FullName;

    [Fact]
    public void Cells_are_shaded_by_their_share_of_the_row()
    {
        // Row 0: all 10 right. Row 1: 5 right, 5 taken for class 2. Row 2: 3 of 4 right.
        var matrix = new ConfusionMatrix(3);
        for (int i = 0; i < 10; i++) matrix.Add(0, 0);
        for (int i = 0; i < 5; i++) matrix.Add(1, 1);
        for (int i = 0; i < 5; i++) matrix.Add(1, 2);
        for (int i = 0; i < 3; i++) matrix.Add(2, 2);
        matrix.Add(2, 0);
        string path = Path.Combine(_folder, "confusion.png");
        ConfusionMatrixPlot.Save(matrix, new[] { "cat", "dog", "a very long class name" }, path, cellSize: 60);

        var layout = new ConfusionMatrixLayout(3, 60);
        using var png = new Pixels(path);
        Assert.Equal((layout.Width, layout.Height), (png.Width, png.Height));
        // Sample each cell just inside its top-left corner, away from the count text in its middle.
        SKColor At(int actual, int predicted)
        {
            var cell = layout.Cell(actual, predicted);
            return png[(int)cell.Left + 4, (int)cell.Top + 4];
        }
        AssertClose(new SKColor(0x08, 0x30, 0x6B), At(0, 0));   // 10 / 10
        AssertClose(SKColors.White, At(0, 1));                  // 0 / 10
        AssertClose(ConfusionMatrixPlot.Shade(0.5), At(1, 1));  // 5 / 10
        AssertClose(ConfusionMatrixPlot.Shade(0.5), At(1, 2));
        AssertClose(ConfusionMatrixPlot.Shade(0.75), At(2, 2)); // 3 / 4
        AssertClose(ConfusionMatrixPlot.Shade(0.25), At(2, 0)); // 1 / 4
        Assert.True(png.InkShare() > 0.1);
    }

    [Fact]
    public void Wrong_number_of_class_names_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Save(new ConfusionMatrix(4), new[] { "a", "b" }, Path.Combine(_folder, "x.png")));
        Assert.Contains("2 class names for a 4-class confusion matrix", error.Message);
    }

    private static void AssertClose(SKColor expected, SKColor actual)
    {
        Assert.True(Math.Abs(expected.Red - actual.Red) <= 2 && Math.Abs(expected.Green - actual.Green) <= 2 && Math.Abs(expected.Blue - actual.Blue) <= 2,
            $"expected {expected}, got {actual}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
