using System;
using System.IO;
using System.Linq;
using ConvGen.Training;
using SkiaSharp;

namespace ConvGen.Plots.Tests;

public sealed class TrainingPlotsTests : IDisposable
{
    // ScottPlot's first two category colours (Colors.C0, C1: matplotlib's tab10 blue and orange).
    private static readonly SKColor Blue = new(0x1F, 0x77, 0xB4);
    private static readonly SKColor Orange = new(0xFF, 0x7F, 0x0E);

    private readonly string _folder = Directory.CreateTempSubdirectory("convgen-plots-").FullName;

    /// <summary>A history like Fit returns: the loss falls and the accuracy rises epoch by epoch.</summary>
    private static History Falling(int epochs, double scale = 1)
    {
        var history = new History();
        for (int e = 1; e <= epochs; e++)
        {
            var result = new EpochResult(e, epochs);
            result.Metrics["loss"] = scale * 2.0 / e;
            result.Metrics["accuracy"] = 1 - 0.8 / e;
            result.Metrics["val_loss"] = scale * 2.2 / e + 0.1;
            result.Metrics["val_accuracy"] = 0.95 - 0.8 / e;
            history.Epochs.Add(result);
        }
        return history;
    }

    [Fact]
    public void Curves_are_a_png_of_the_requested_size_with_a_falling_loss_line_and_a_rising_accuracy_line()
    {
        string path = Path.Combine(_folder, "curves.png");
        TrainingPlots.SaveCurves(Falling(10), path, 1200, 480);

        using var png = new Pixels(path);
        Assert.Equal((1200, 480), (png.Width, png.Height));
        Assert.InRange(png.InkShare(), 0.01, 0.6);
        // Left half: loss, drawn in the first colour, starts high (small y) and ends low.
        var loss = png.Find(Blue, 0, 600);
        var accuracy = png.Find(Blue, 600, 1200);
        Assert.True(loss.Count > 100 && accuracy.Count > 100, $"curve pixels: loss {loss.Count}, accuracy {accuracy.Count}");
        Assert.True(MeanYAt(loss, loss.Min(p => p.X)) < MeanYAt(loss, loss.Max(p => p.X)), "the loss line should fall from left to right");
        Assert.True(MeanYAt(accuracy, accuracy.Min(p => p.X)) > MeanYAt(accuracy, accuracy.Max(p => p.X)), "the accuracy line should rise from left to right");
    }

    [Fact]
    public void Metric_chart_of_two_runs_draws_each_run_in_its_own_colour()
    {
        string path = Path.Combine(_folder, "accuracy.png");
        TrainingPlots.SaveMetric(path, "loss", new[] { ("run 1", Falling(6)), ("run 2", Falling(6, scale: 0.5)) });

        using var png = new Pixels(path);
        Assert.Equal((900, 640), (png.Width, png.Height));
        Assert.True(png.Find(Blue, 0, png.Width).Count > 100, "run 1 (blue) is missing");
        Assert.True(png.Find(Orange, 0, png.Width).Count > 100, "run 2 (orange) is missing");
    }

    [Fact]
    public void A_history_without_epochs_is_refused_with_a_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingPlots.SaveCurves(new History(), Path.Combine(_folder, "empty.png")));
        Assert.Contains("no run has an epoch", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "empty.png")));
    }

    private static double MeanYAt(System.Collections.Generic.List<(int X, int Y)> points, int x) =>
        points.Where(p => Math.Abs(p.X - x) <= 2).Average(p => p.Y);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
