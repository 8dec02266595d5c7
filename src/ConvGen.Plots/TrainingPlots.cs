using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Imaging;
using ConvGen.Training;
using ScottPlot;
using SkiaSharp;

namespace ConvGen.Plots;

/// <summary>
/// Training curves from a <see cref="History"/>, drawn with ScottPlot: training solid, validation
/// (<c>val_</c> metrics) dashed, one colour per run, epochs on the x axis.
/// </summary>
public static class TrainingPlots
{
    private static readonly Color[] Palette = { Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C4, Colors.C5 };

    /// <summary>
    /// Writes the loss and, when the history has it, the accuracy side by side as one PNG
    /// (<paramref name="width"/> x <paramref name="height"/> pixels), like the two charts users
    /// draw after Keras's <c>model.fit</c>.
    /// </summary>
    public static void SaveCurves(History history, string path, int width = 1200, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(history);
        var metrics = new List<string> { "loss" };
        if (history.Epochs.Any(e => e.Metrics.ContainsKey("accuracy")))
        {
            metrics.Add("accuracy");
        }
        var runs = new[] { ("", history) };
        var plots = metrics.Select(m => Chart(m, Title(m), runs)).ToArray();
        Save(path, width, height, plots);
    }

    /// <summary>
    /// Writes one chart of <paramref name="metric"/> (e.g. <c>accuracy</c>) for several runs, to
    /// compare them: each run's training values solid and validation values dashed in its colour.
    /// </summary>
    public static void SaveMetric(string path, string metric, IReadOnlyList<(string Label, History History)> runs, string? title = null, int width = 900, int height = 640)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        ArgumentNullException.ThrowIfNull(runs);
        Save(path, width, height, Chart(metric, title ?? Title(metric), runs));
    }

    private static string Title(string metric) => $"{metric}: solid = training, dashed = validation";

    private static Plot Chart(string metric, string title, IReadOnlyList<(string Label, History History)> runs)
    {
        if (runs.Count == 0 || runs.All(r => r.History.Epochs.Count == 0))
        {
            throw new ArgumentException("Nothing to plot: no run has an epoch.", nameof(runs));
        }
        var plot = new Plot();
        if (PlotFonts.ForScottPlot() is { } font)
        {
            plot.Font.Set(font);
        }
        for (int r = 0; r < runs.Count; r++)
        {
            var (label, history) = runs[r];
            double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
            string prefix = label.Length > 0 ? label + ": " : "";
            AddSeries(plot, epochs, history.Series(metric), prefix + "training", Palette[r % Palette.Length], LinePattern.Solid);
            double[] validation = history.Series("val_" + metric);
            if (validation.Any(v => !double.IsNaN(v)))
            {
                AddSeries(plot, epochs, validation, prefix + "validation", Palette[r % Palette.Length], LinePattern.Dashed);
            }
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.ShowLegend(Edge.Bottom);
        if (metric.EndsWith("accuracy", StringComparison.Ordinal))
        {
            plot.Axes.SetLimitsY(0, 1.02);
        }
        return plot;
    }

    private static void AddSeries(Plot plot, double[] epochs, double[] values, string label, Color color, LinePattern pattern)
    {
        var line = plot.Add.Scatter(epochs, values);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerSize = 4;
        line.LinePattern = pattern;
    }

    /// <summary>
    /// Renders each chart on its own bitmap (ScottPlot clears the whole canvas it draws on), puts
    /// them side by side on one white picture and writes it atomically.
    /// </summary>
    private static void Save(string path, int width, int height, params Plot[] plots)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (width < 100 * plots.Length || height < 100)
        {
            throw new ArgumentException($"A {width}x{height} picture is too small for {plots.Length} chart(s); use at least {100 * plots.Length}x100.");
        }
        int columnWidth = width / plots.Length;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < plots.Length; i++)
            {
                using var chart = new SKBitmap(new SKImageInfo(columnWidth, height, SKColorType.Rgba8888, SKAlphaType.Premul));
                using (var chartCanvas = new SKCanvas(chart))
                {
                    plots[i].Render(chartCanvas, columnWidth, height);
                }
                canvas.DrawBitmap(chart, i * columnWidth, 0);
            }
        }
        ImageWriter.WritePng(path, bitmap);
    }
}
