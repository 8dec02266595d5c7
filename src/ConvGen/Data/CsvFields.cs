using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ConvGen.Data;

/// <summary>Field-level CSV helpers shared by the CSV loaders: splitting a line, parsing and quoting a field in messages.</summary>
internal static class CsvFields
{
    /// <summary>Characters of a field shown in an error message; the rest is replaced by an ellipsis and the length.</summary>
    public const int MessageFieldLength = 40;

    /// <summary>
    /// Splits one line into RFC 4180 fields: "quoted, with ""escaped"" quotes" or plain. Linear in
    /// the line's length (a quote only opens a field that holds nothing but blanks so far).
    /// Used for small one-line files (image folder label lists); <see cref="CsvDataset"/> reads
    /// whole files with the Sep parser instead.
    /// </summary>
    public static void Split(string line, char separator, List<string> fields)
    {
        fields.Clear();
        var field = new StringBuilder();
        bool quoted = false;
        bool blankSoFar = true;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"' && blankSoFar)
            {
                field.Clear();
                quoted = true;
                blankSoFar = false;
            }
            else if (ch == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                blankSoFar = true;
            }
            else
            {
                field.Append(ch);
                blankSoFar &= char.IsWhiteSpace(ch);
            }
        }
        fields.Add(field.ToString());
    }

    /// <summary>
    /// Parses one numeric field strictly: invariant culture, optional sign, decimals and exponent,
    /// blanks around it allowed; no thousands separators, no control characters (a trailing NUL
    /// must not read as the number before it) and no NaN or infinity. Returns null on success,
    /// else the problem as a sentence with the field clipped for the message.
    /// </summary>
    public static string? ParseNumber(ReadOnlySpan<char> field, out float value)
    {
        value = 0;
        ReadOnlySpan<char> text = field.Trim();
        if (text.Length == 0)
        {
            return "missing value (the field is empty).";
        }
        int control = IndexOfControl(text);
        if (control >= 0)
        {
            return $"{Quote(text)} holds the control character U+{(int)text[control]:X4} at character {control + 1}; a number cannot.";
        }
        const NumberStyles strict = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!float.TryParse(text, strict, CultureInfo.InvariantCulture, out value))
        {
            return $"{Quote(text)} is not a number.";
        }
        if (!float.IsFinite(value))
        {
            return $"{Quote(text)} is not a finite single-precision number.";
        }
        return null;
    }

    /// <summary>
    /// The field in single quotes for a message: at most <see cref="MessageFieldLength"/>
    /// characters, then an ellipsis and the full length, so a 20 MB field does not become a 20 MB
    /// message; control characters are shown as \uXXXX.
    /// </summary>
    public static string Quote(ReadOnlySpan<char> field)
    {
        var text = new StringBuilder("'");
        int shown = Math.Min(field.Length, MessageFieldLength);
        foreach (char ch in field.Slice(0, shown))
        {
            if (char.IsControl(ch))
            {
                text.Append("\\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(ch);
            }
        }
        if (shown < field.Length)
        {
            text.Append("…' (").Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
            return text.ToString();
        }
        return text.Append('\'').ToString();
    }

    private static int IndexOfControl(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
