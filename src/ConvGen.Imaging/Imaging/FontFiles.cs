using System.IO;
using System.Linq;

namespace ConvGen.Imaging;

/// <summary>
/// Finds a sans-serif TrueType file for captions and plot text. SkiaSharp's dependency-free native
/// build has no fontconfig, so fonts are loaded from files rather than by family name; without
/// one, pictures are drawn without text.
/// </summary>
public static class FontFiles
{
    private static readonly string[] SansCandidates =
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
    public static string? FindSans() => SansCandidates.FirstOrDefault(File.Exists);
}
