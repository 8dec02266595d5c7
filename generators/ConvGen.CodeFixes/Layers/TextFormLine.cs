using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.CodeFixes.Layers;

/// <summary>
/// One layer line of the text form, as the span of its tokens inside the string literal, and the
/// text edits the fixes need. Edits respect the literal's kind: <c>\n</c> escapes in a regular
/// string, real line breaks (with the same indentation) in raw and verbatim strings.
/// </summary>
internal sealed class TextFormLine
{
    private const string EscapedNewLine = "\\n";
    private readonly SourceText _text;

    public TextFormLine(SourceText text, TextSpan span, bool escaped)
    {
        _text = text;
        Span = span;
        Escaped = escaped;
    }

    public TextSpan Span { get; }

    public bool Escaped { get; }

    public string Content => _text.ToString(Span);

    /// <summary>Puts <paramref name="line"/> on a line of its own before this one.</summary>
    public TextChange InsertLineBefore(string line)
    {
        if (Escaped)
        {
            return new TextChange(new TextSpan(Span.Start, 0), line + EscapedNewLine);
        }
        var sourceLine = _text.Lines.GetLineFromPosition(Span.Start);
        string prefix = _text.ToString(TextSpan.FromBounds(sourceLine.Start, Span.Start));
        string indentation = string.IsNullOrWhiteSpace(prefix) ? prefix : "";
        string lineBreak = _text.ToString(TextSpan.FromBounds(sourceLine.End, sourceLine.EndIncludingLineBreak));
        return new TextChange(new TextSpan(Span.Start, 0), line + (lineBreak.Length > 0 ? lineBreak : "\n") + indentation);
    }

    /// <summary>Sets <c>key=value</c> on this line: replaces an existing <c>key=...</c> or the bare <paramref name="flagToReplace"/>, else appends.</summary>
    public TextChange SetOption(string key, string value, string flagToReplace)
    {
        string content = Content;
        var keyed = Regex.Match(content, $@"(?<![\w=]){Regex.Escape(key)}=\S*", RegexOptions.IgnoreCase);
        if (keyed.Success)
        {
            return new TextChange(new TextSpan(Span.Start + keyed.Index, keyed.Length), key + "=" + value);
        }
        var flag = Regex.Match(content, $@"(?<![\w=]){Regex.Escape(flagToReplace)}(?![\w=])", RegexOptions.IgnoreCase);
        if (flag.Success)
        {
            return new TextChange(new TextSpan(Span.Start + flag.Index, flag.Length), value);
        }
        return new TextChange(new TextSpan(Span.End, 0), " " + key + "=" + value);
    }

    /// <summary>Removes the first <c>key=value</c> option of this line spelled with one of <paramref name="keys"/> (and the space before it); null when the line has none.</summary>
    public TextChange? RemoveOption(params string[] keys)
    {
        string content = Content;
        foreach (string key in keys)
        {
            var keyed = Regex.Match(content, $@"\s*(?<![\w=]){Regex.Escape(key)}=\S*", RegexOptions.IgnoreCase);
            if (keyed.Success)
            {
                return new TextChange(new TextSpan(Span.Start + keyed.Index, keyed.Length), "");
            }
        }
        return null;
    }

    /// <summary>Removes the line, with its line break (and, in raw strings, its indentation and comment).</summary>
    public TextChange RemoveLine()
    {
        if (Escaped)
        {
            if (_text.ToString(new TextSpan(Span.End, System.Math.Min(EscapedNewLine.Length, _text.Length - Span.End))) == EscapedNewLine)
            {
                return new TextChange(new TextSpan(Span.Start, Span.Length + EscapedNewLine.Length), "");
            }
            if (Span.Start >= EscapedNewLine.Length && _text.ToString(new TextSpan(Span.Start - EscapedNewLine.Length, EscapedNewLine.Length)) == EscapedNewLine)
            {
                return new TextChange(new TextSpan(Span.Start - EscapedNewLine.Length, Span.Length + EscapedNewLine.Length), "");
            }
            return new TextChange(Span, "");
        }
        var sourceLine = _text.Lines.GetLineFromPosition(Span.Start);
        bool ownLine = string.IsNullOrWhiteSpace(_text.ToString(TextSpan.FromBounds(sourceLine.Start, Span.Start)));
        return ownLine
            ? new TextChange(TextSpan.FromBounds(sourceLine.Start, sourceLine.EndIncludingLineBreak), "")
            : new TextChange(Span, "");
    }
}
