using System.IO;
using System.Linq;

namespace Quickstart;

/// <summary>
/// Finds a sans-serif TrueType file for plot and caption text. The SkiaSharp native build used
/// here has no fontconfig, so fonts are loaded from files rather than by family name.
/// </summary>
public static class Fonts
{
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

    /// <summary>The first sans font file found, or null (then text is left out of the pictures).</summary>
    public static string? FindSans() => Candidates.FirstOrDefault(File.Exists);
}
