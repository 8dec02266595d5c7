using System.IO;
using System.Linq;

namespace ConvGen.Plots;

/// <summary>
/// Finds a sans-serif TrueType file for plot text. SkiaSharp's dependency-free native build has
/// no fontconfig, so fonts are loaded from files rather than by family name; without one, pictures
/// are drawn without text.
/// </summary>
public static class PlotFonts
{
    private const string ScottPlotName = "ConvGen Sans";
    private static readonly object Gate = new();
    private static bool _scottPlotReady;

    private static readonly string[] Candidates =
    {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    };

    /// <summary>The first sans font file found (DejaVu Sans, Liberation Sans, Arial), or null.</summary>
    public static string? FindSans() => Candidates.FirstOrDefault(File.Exists);

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
                if (FindSans() is not { } file)
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
