using System;
using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Generators.Parsing;

/// <summary>One token of a text-form line; columns are 1-based.</summary>
internal readonly record struct TextToken(string Text, int Column);

/// <summary>
/// The numbers after a layer's name in the text form, as a descriptor reads them
/// (<see cref="ILayerSyntax.FromText"/>): each reader reports a malformed value at its column.
/// </summary>
internal sealed class TextNumbers
{
    private readonly IReadOnlyList<TextToken> _values;
    private readonly int _line;
    private readonly List<TextFormParser.TextError> _errors;

    public TextNumbers(IReadOnlyList<TextToken> values, int line, List<TextFormParser.TextError> errors)
    {
        _values = values;
        _line = line;
        _errors = errors;
    }

    /// <summary>How many numbers were written (a kind that takes several counts, like Cropping2D, asks).</summary>
    public int Count => _values.Count;

    /// <summary>Reports value <paramref name="index"/> as not a valid <paramref name="what"/>; returns false.</summary>
    public bool Fail(int index, string what)
    {
        var token = _values[index];
        _errors.Add(new TextFormParser.TextError(_line, token.Column, Math.Max(1, token.Text.Length), $"'{token.Text}' is not a valid {what}"));
        return false;
    }

    /// <summary>The value as written (a name, for kinds whose options are names).</summary>
    public string Text(int index) => _values[index].Text;

    public bool TryInt(int index, string what, out int value) => TryInt(_values[index], _line, what, _errors, out value);

    public bool TryDouble(int index, string what, out double value) => TryDouble(_values[index], _line, what, _errors, out value);

    /// <summary><c>true</c> or <c>false</c>, for a kind's own flags (<c>keepdims=true</c>).</summary>
    public bool TryBool(int index, string what, out bool value)
    {
        var token = _values[index];
        if (bool.TryParse(token.Text, out value))
        {
            return true;
        }
        _errors.Add(new TextFormParser.TextError(_line, token.Column, Math.Max(1, token.Text.Length), $"'{token.Text}' is not true or false ({what})"));
        return false;
    }

    /// <summary>A shape written <c>N</c> or <c>HxWxC</c>: one or three whole numbers joined by <c>x</c>.</summary>
    public bool TryShape(int index, string what, out int[] dimensions)
    {
        var token = _values[index];
        var parts = token.Text.Split('x', 'X');
        dimensions = new int[parts.Length];
        bool ok = parts.Length is 1 or 3;
        for (int k = 0; ok && k < parts.Length; k++)
        {
            ok = int.TryParse(parts[k], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out dimensions[k]);
        }
        if (!ok)
        {
            _errors.Add(new TextFormParser.TextError(_line, token.Column, Math.Max(1, token.Text.Length), $"'{token.Text}' is not N or HxWxC ({what})"));
        }
        return ok;
    }

    /// <summary>A window written <c>N</c> or <c>HxW</c>.</summary>
    public bool TryWindow(int index, out int height, out int width) => TryWindow(_values[index], _line, _errors, out height, out width);

    internal static bool TryInt(TextToken token, int line, string what, List<TextFormParser.TextError> errors, out int value)
    {
        if (int.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        errors.Add(new TextFormParser.TextError(line, token.Column, Math.Max(1, token.Text.Length), $"'{token.Text}' is not a whole number ({what})"));
        return false;
    }

    internal static bool TryDouble(TextToken token, int line, string what, List<TextFormParser.TextError> errors, out double value)
    {
        if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        errors.Add(new TextFormParser.TextError(line, token.Column, Math.Max(1, token.Text.Length), $"'{token.Text}' is not a number ({what})"));
        return false;
    }

    private static bool TryWindow(TextToken token, int line, List<TextFormParser.TextError> errors, out int height, out int width)
    {
        height = width = 0;
        var parts = token.Text.Split('x', 'X');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out height)
            && int.TryParse(parts[parts.Length - 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out width))
        {
            return true;
        }
        errors.Add(new TextFormParser.TextError(line, token.Column, token.Text.Length, $"'{token.Text}' is not a window size; expected N or HxW, e.g. 3 or 3x5"));
        return false;
    }
}
