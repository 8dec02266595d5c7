using System;
using System.Globalization;
using System.Text;

namespace ConvGen.Generators.Helpers;

/// <summary>Writes C# source with four-space indentation and <c>using</c>-scoped blocks.</summary>
internal sealed class IndentedTextWriter
{
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', _depth * 4);
            AppendOnOneLine(line);
        }
        _builder.Append('\n');
    }

    /// <summary>Characters C# reads as the end of a line (and so of a <c>//</c> comment or a string literal).</summary>
    internal static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>
    /// The last line of defence for text that reaches code or comments (layer names are refused
    /// with CG0018 if they hold a line break, and string literals escape them): a line break inside
    /// one written line is written as its <c>\uXXXX</c> escape, which reads the same inside a
    /// string literal and is plain text in a comment, so one line of output stays one line.
    /// </summary>
    private void AppendOnOneLine(string line)
    {
        int start = 0;
        for (int i = 0; i < line.Length; i++)
        {
            if (IsLineBreak(line[i]))
            {
                _builder.Append(line, start, i - start);
                _builder.Append("\\u").Append(((int)line[i]).ToString("x4", CultureInfo.InvariantCulture));
                start = i + 1;
            }
        }
        _builder.Append(line, start, line.Length - start);
    }

    /// <summary>Characters written so far: the generator stops a network whose code outgrows its budget.</summary>
    public int Length => _builder.Length;

    /// <summary>What was written from <paramref name="start"/> (an earlier <see cref="Length"/>) on.</summary>
    public string TextSince(int start) => _builder.ToString(start, _builder.Length - start);

    /// <summary>Writes <paramref name="header"/> then <c>{</c>; disposing the result writes <c>}</c>.</summary>
    public Block WriteBlock(string header, string close = "}")
    {
        if (header.Length > 0)
        {
            WriteLine(header);
        }
        WriteLine("{");
        _depth++;
        return new Block(this, close);
    }

    public Block WriteBlock() => WriteBlock("");

    public override string ToString() => _builder.ToString();

    internal readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter _writer;
        private readonly string _close;

        public Block(IndentedTextWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._depth--;
            _writer.WriteLine(_close);
        }
    }
}
