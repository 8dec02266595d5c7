using System;
using System.IO;
using System.Text;

namespace ConvGen.Data;

/// <summary>
/// A data file that cannot be used: names the file, where in it (line and column, when it is
/// text) and what is wrong, so the message alone says what to fix.
/// </summary>
public sealed class DataFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file (or folder) at fault.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="line">1-based line in a text file, if any.</param>
    /// <param name="column">1-based column in a text file, if any.</param>
    /// <param name="columnName">The column's header name, if any.</param>
    /// <param name="inner">The decoder's or parser's own exception, if any.</param>
    public DataFileException(string path, string problem, int? line = null, int? column = null, string? columnName = null, Exception? inner = null)
        : base(Format(path, problem, line, column, columnName), inner)
    {
        FilePath = path;
        Problem = problem;
        Line = line;
        Column = column;
        ColumnName = columnName;
    }

    /// <summary>The file or folder at fault.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>1-based line, for text files.</summary>
    public int? Line { get; }

    /// <summary>1-based column, for text files.</summary>
    public int? Column { get; }

    /// <summary>Header name of <see cref="Column"/>, when the file has a header.</summary>
    public string? ColumnName { get; }

    /// <summary>The same problem as a skipped-input record.</summary>
    public SkippedInput ToSkipped() => new(FilePath, Problem, Line, Column);

    private static string Format(string path, string problem, int? line, int? column, string? columnName)
    {
        var text = new StringBuilder(path);
        if (line is { } l)
        {
            text.Append(", line ").Append(l);
        }
        if (column is { } c)
        {
            text.Append(", column ").Append(c);
            if (columnName is not null)
            {
                text.Append(" ('").Append(columnName).Append("')");
            }
        }
        return text.Append(": ").Append(problem).ToString();
    }
}
