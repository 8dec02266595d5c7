using System.Globalization;
using System.Text;

namespace ConvGen.Onnx.Import;

/// <summary>Text taken from an ONNX file (node names, producer) made safe to put inside a C# <c>//</c> comment.</summary>
internal static class SourceText
{
    /// <summary>
    /// Control characters and the Unicode line and paragraph separators, which C# also treats as
    /// line ends, become <c>\uXXXX</c>; everything else is kept, so names stay recognisable.
    /// </summary>
    public static string Escape(string text)
    {
        StringBuilder? escaped = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool unsafeChar = char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsSurrogate(c) && !IsPairedSurrogate(text, i);
            if (unsafeChar)
            {
                escaped ??= new StringBuilder(text, 0, i, text.Length + 16);
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped?.Append(c);
            }
        }
        return escaped?.ToString() ?? text;
    }

    private static bool IsPairedSurrogate(string text, int i) =>
        char.IsHighSurrogate(text[i]) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) : i > 0 && char.IsHighSurrogate(text[i - 1]);
}
