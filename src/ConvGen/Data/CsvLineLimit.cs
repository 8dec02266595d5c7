using System;
using System.IO;

namespace ConvGen.Data;

/// <summary>
/// Passes text through to the CSV parser and refuses a line longer than
/// <see cref="CsvOptions.MaxLineLength"/> as soon as that many characters have passed without a
/// line break, before the parser buffers more: the memory one huge field or a stray unterminated
/// quote can take stays bounded, and the message names the line.
/// </summary>
internal sealed class CsvLineLimit(TextReader inner, string path, int maxLineLength) : TextReader
{
    private long _lineLength;
    private int _line = 1;
    private bool _afterCr;

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        int ch = inner.Read();
        if (ch >= 0)
        {
            Count(stackalloc char[] { (char)ch });
        }
        return ch;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        int n = inner.Read(buffer);
        Count(buffer.Slice(0, n));
        return n;
    }

    public override int ReadBlock(Span<char> buffer)
    {
        int n = inner.ReadBlock(buffer);
        Count(buffer.Slice(0, n));
        return n;
    }

    public override int ReadBlock(char[] buffer, int index, int count) => ReadBlock(buffer.AsSpan(index, count));

    // Line breaks are \n, \r\n or a lone \r, as the parser counts them.
    private void Count(ReadOnlySpan<char> chars)
    {
        int lineBreak;
        while ((lineBreak = chars.IndexOfAny('\n', '\r')) >= 0)
        {
            Check(_lineLength + lineBreak);
            bool secondHalfOfCrLf = chars[lineBreak] == '\n' && lineBreak == 0 && _lineLength == 0 && _afterCr;
            if (!secondHalfOfCrLf)
            {
                _line++;
            }
            _afterCr = chars[lineBreak] == '\r';
            _lineLength = 0;
            chars = chars.Slice(lineBreak + 1);
        }
        if (chars.Length > 0)
        {
            _afterCr = false;
        }
        _lineLength += chars.Length;
        Check(_lineLength);
    }

    private void Check(long length)
    {
        if (length > maxLineLength)
        {
            throw new DataFileException(path,
                $"the line is longer than {maxLineLength} characters (CsvOptions.MaxLineLength); a field this long is not a number. A stray unterminated quote also makes one field of the rest of the file.",
                _line);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
