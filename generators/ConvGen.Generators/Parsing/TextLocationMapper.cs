using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// Maps (line, column) inside the text form's value to a span in the C# source. Each value line
/// is looked up in the literal's source text (this works for raw and verbatim strings and for
/// regular strings without escapes); when a line cannot be found, the whole literal is used.
/// </summary>
internal sealed class TextLocationMapper
{
    private readonly ExpressionSyntax? _literal;
    private readonly string[] _valueLines;
    private readonly int[] _lineStarts;
    private readonly LocationInfo? _fallback;

    public TextLocationMapper(ExpressionSyntax? literal, string value, LocationInfo? fallback)
    {
        _literal = literal;
        _fallback = LocationInfo.From(literal) ?? fallback;
        _valueLines = value.Split('\n');
        _lineStarts = new int[_valueLines.Length];
        string source = literal?.ToString() ?? "";
        int cursor = 0;
        for (int i = 0; i < _valueLines.Length; i++)
        {
            string line = _valueLines[i].TrimEnd('\r');
            int found = line.Length == 0 ? -1 : source.IndexOf(line, cursor, System.StringComparison.Ordinal);
            _lineStarts[i] = found;
            if (found >= 0)
            {
                cursor = found + line.Length;
            }
        }
    }

    public LocationInfo? Map(int line, int column, int length)
    {
        if (_literal is null || line < 1 || line > _lineStarts.Length || _lineStarts[line - 1] < 0)
        {
            return _fallback;
        }
        int start = _literal.SpanStart + _lineStarts[line - 1] + column - 1;
        return LocationInfo.From(_literal.SyntaxTree, new TextSpan(start, System.Math.Max(1, length)));
    }
}
