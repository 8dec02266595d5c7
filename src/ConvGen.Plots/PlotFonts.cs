using ConvGen.Imaging;

namespace ConvGen.Plots;

/// <summary>The font of the plots: a sans-serif TrueType file registered with ScottPlot once.</summary>
internal static class PlotFonts
{
    private const string ScottPlotName = "ConvGen Sans";
    private static readonly object Gate = new();
    private static bool _scottPlotReady;

    /// <summary>
    /// Registers the sans font with ScottPlot once and returns its family name, or null when no
    /// font file exists (ScottPlot then draws no readable text).
    /// </summary>
    internal static string? ForScottPlot()
    {
        lock (Gate)
        {
            if (!_scottPlotReady)
            {
                if (FontFiles.FindSans() is not { } file)
                {
                    return null;
                }
                ScottPlot.Fonts.AddFontFile(ScottPlotName, file);
                ScottPlot.Fonts.Default = ScottPlotName;
                _scottPlotReady = true;
            }
            return ScottPlotName;
        }
    }
}
