using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvGen.Tool.Cli;

/// <summary>A plain-text table with a rule under the header (readable in logs and when piped).</summary>
internal static class Table
{
    /// <summary>Writes the rows; columns from <paramref name="rightAligned"/> on are right-aligned (numbers).</summary>
    public static void Write(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, int rightAligned)
    {
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, c) => c >= rightAligned ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();
        output.WriteLine(Line(header));
        output.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (string[] row in rows)
        {
            output.WriteLine(Line(row));
        }
    }
}
