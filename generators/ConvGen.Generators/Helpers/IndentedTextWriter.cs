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
            _builder.Append(line);
        }
        _builder.Append('\n');
    }

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

/// <summary>Culture-invariant literals for emitted code.</summary>
internal static class Literal
{
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "float.NaN";
        if (double.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        string text = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0)
        {
            text += ".0";
        }
        return text + "f";
    }

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
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
