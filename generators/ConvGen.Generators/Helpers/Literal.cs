using System;
using System.Globalization;
using System.Text;

namespace ConvGen.Generators.Helpers;

/// <summary>Culture-invariant literals for emitted code.</summary>
internal static class Literal
{
    /// <summary>
    /// Whether <paramref name="value"/> stays a finite number as float32, the type of every
    /// emitted option (<c>1e300</c> becomes infinity, which C# cannot write as a literal).
    /// Inference refuses such options with a diagnostic, so the emitter never receives one.
    /// </summary>
    public static bool IsFiniteFloat(double value)
    {
        float single = (float)value;
        return !float.IsNaN(single) && !float.IsInfinity(single);
    }

    /// <summary>A float32 literal; <paramref name="value"/> must be finite as float32 (see <see cref="IsFiniteFloat"/>).</summary>
    public static string Float(double value)
    {
        if (!IsFiniteFloat(value))
        {
            // A bug, not a user error: every float option is range-checked during inference.
            throw new InvalidOperationException($"ConvGen emitter received the option value {value.ToString("R", CultureInfo.InvariantCulture)}, which float32 cannot hold; inference should have refused it");
        }
        string text = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0)
        {
            text += ".0";
        }
        return text + "f";
    }

    /// <summary>A double literal that reads back as exactly <paramref name="value"/>; it must be finite (options are range-checked during inference).</summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new InvalidOperationException($"ConvGen emitter received the option value {value.ToString("R", CultureInfo.InvariantCulture)}, which is not a finite number; inference should have refused it");
        }
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOf('.') < 0 && text.IndexOf('E') < 0 ? text + ".0" : text;
    }

    /// <summary>
    /// A regular string literal holding <paramref name="value"/> exactly: quotes, backslashes,
    /// control and format characters, every C# line break (including U+0085, U+2028, U+2029) and
    /// surrogates (a lone one would not survive UTF-8) are escaped.
    /// </summary>
    public static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when NeedsEscape(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>Text for an XML documentation comment: <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> escaped.</summary>
    public static string XmlText(string value) => value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || IndentedTextWriter.IsLineBreak(c)
        || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
