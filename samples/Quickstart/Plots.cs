using System.Collections.Generic;
using System.Linq;
using ConvGen.Training;
using ScottPlot;

namespace Quickstart;

/// <summary>Training curves of both runs with ScottPlot.</summary>
public static class Plots
{
    private const string FontName = "Quickstart Sans";
    private static bool _fontsReady;

    /// <summary>Registers a font file with ScottPlot once; returns false when none was found.</summary>
    public static bool UseFont(string? fontFile)
    {
        if (_fontsReady || fontFile is null)
        {
            return _fontsReady;
        }
        ScottPlot.Fonts.AddFontFile(FontName, fontFile);
        ScottPlot.Fonts.Default = FontName;
        _fontsReady = true;
        return true;
    }

    /// <summary>
    /// One chart of <paramref name="metric"/> (e.g. "accuracy") over the epochs: training (solid)
    /// and validation (dashed) for each run, one colour per run.
    /// </summary>
    public static void WriteCurves(string path, string metric, string title, IReadOnlyList<(string Label, History History)> runs)
    {
        var plot = new Plot();
        if (_fontsReady)
        {
            plot.Font.Set(FontName);
        }
        var palette = new[] { Colors.C0, Colors.C1, Colors.C2, Colors.C3 };
        for (int r = 0; r < runs.Count; r++)
        {
            var (label, history) = runs[r];
            double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
            var train = plot.Add.Scatter(epochs, history.Series(metric));
            train.LegendText = $"{label}: training";
            train.Color = palette[r % palette.Length];
            train.LineWidth = 2;
            train.MarkerSize = 4;
            var validation = plot.Add.Scatter(epochs, history.Series("val_" + metric));
            validation.LegendText = $"{label}: validation";
            validation.Color = palette[r % palette.Length];
            validation.LineWidth = 2;
            validation.MarkerSize = 4;
            validation.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.ShowLegend(Edge.Bottom);
        if (metric == "accuracy")
        {
            plot.Axes.SetLimitsY(0, 1.02);
        }
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, 900, 640);
        System.IO.File.Move(temporary, path, overwrite: true);
    }
}
