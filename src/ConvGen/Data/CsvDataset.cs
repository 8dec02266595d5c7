using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using nietras.SeparatedValues;

namespace ConvGen.Data;

/// <summary>
/// Tabular data for regression (or any numeric targets) from a CSV file: every field a number
/// (invariant culture, <c>1.5e-3</c> style), one row per sample. A bad field is reported with
/// the file, line and column and what is wrong with it.
/// </summary>
/// <remarks>
/// The text is split by the Sep parser (RFC 4180 quoting with <c>""</c> escapes and line breaks
/// inside quotes, in time linear in the file's length); Sep gives each row's line number, which
/// the messages need. Lines longer than <see cref="CsvOptions.MaxLineLength"/> are refused
/// before they are buffered whole.
/// </remarks>
public static class CsvDataset
{
    /// <summary>Reads <paramref name="path"/>; see <see cref="CsvOptions"/> for the column choice and the bad-row policy.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFileException">A bad row under <see cref="BadInputPolicy.Throw"/>, or a problem with the file as a whole (empty, unknown column, no rows left, a line too long).</exception>
    public static CsvData Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No CSV file at '{path}'.", path);
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Load(file, path, options);
    }

    /// <summary>
    /// Reads CSV text (UTF-8, or the encoding its byte order mark names) from <paramref name="stream"/>,
    /// which is left open; <paramref name="sourceName"/> (a path or any name) is what error messages name.
    /// </summary>
    /// <exception cref="DataFileException">As for <see cref="Load(string, CsvOptions?)"/>.</exception>
    public static CsvData Load(Stream stream, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        options ??= new CsvOptions();
        string path = sourceName;
        var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        using var limited = new CsvLineLimit(text, path, options.MaxLineLength);
        using var reader = Sep.New(options.Separator).Reader(o => o with
        {
            HasHeader = false, // the header is read here, as the first row, to name columns in messages
            Unescape = true,
            Trim = SepTrim.All, // blanks around a field and inside its quotes, as before

            DisableColCountCheck = true, // a short row is a bad row under the policy, not a parser error
            CultureInfo = CultureInfo.InvariantCulture,
        }).From(limited);
        string[]? header = null;
        int columns = -1;
        var report = new BadInputReport();
        var inputs = new List<float>();
        var targets = new List<float>();
        int[] targetColumns = Array.Empty<int>();
        int[] featureColumns = Array.Empty<int>();
        int rows = 0;
        // The row's first line: Sep's LineNumberTo of the previous row (its LineNumberFrom of the
        // very first row is not the file's first line in Sep 0.18).
        int lineNumber = 1;
        var rowEnumerator = new RowReader(reader, path);
        while (rowEnumerator.MoveNext(ref lineNumber, out var row))
        {
            if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty)
            {
                continue; // a blank line
            }
            if (columns < 0)
            {
                columns = row.ColCount;
                if (options.HasHeader)
                {
                    header = new string[columns];
                    for (int c = 0; c < columns; c++)
                    {
                        header[c] = row[c].Span.Trim().ToString();
                    }
                }
                (featureColumns, targetColumns) = ChooseColumns(path, header, columns, options);
                if (options.HasHeader)
                {
                    continue;
                }
            }
            if (!TryParseRow(path, lineNumber, row, columns, header, featureColumns, targetColumns, inputs, targets, out var problem))
            {
                report.Handle(options.BadRows, problem!);
                continue;
            }
            rows++;
        }
        if (columns < 0)
        {
            throw new DataFileException(path, "the file is empty: expected a header line and rows of numbers.");
        }
        if (rows == 0)
        {
            throw new DataFileException(path, report.Count > 0
                ? $"no usable rows: all {report.Count} rows were skipped ({report.Skipped[0].Problem} ...)."
                : "there are no data rows after the header.");
        }
        string[] names = header ?? Enumerable.Range(1, columns).Select(c => $"column {c}").ToArray();
        var dataset = new Dataset(inputs.ToArray(), targets.ToArray(), rows, featureColumns.Length, targetColumns.Length) { SourceName = path };
        return new CsvData(dataset, featureColumns.Select(c => names[c]).ToArray(), targetColumns.Select(c => names[c]).ToArray(), report);
    }

    private static (int[] Features, int[] Targets) ChooseColumns(string path, string[]? header, int columns, CsvOptions options)
    {
        int[] targets;
        if (options.TargetColumns is { } names)
        {
            if (header is null)
            {
                throw new ArgumentException("TargetColumns names columns, but HasHeader is false; use TargetColumnIndices.", nameof(options));
            }
            targets = names.Select(name => ColumnByName(path, header, name)).ToArray();
        }
        else if (options.TargetColumnIndices is { } indices)
        {
            foreach (int index in indices)
            {
                if ((uint)index >= (uint)columns)
                {
                    throw new DataFileException(path, $"target column index {index} does not exist: the file has {columns} columns (0 to {columns - 1}).", line: 1);
                }
            }
            targets = indices.ToArray();
        }
        else
        {
            targets = new[] { columns - 1 };
        }
        var ignored = new HashSet<int>(targets);
        if (options.IgnoreColumns is { } ignore)
        {
            if (header is null)
            {
                throw new ArgumentException("IgnoreColumns names columns, but HasHeader is false.", nameof(options));
            }
            foreach (string name in ignore)
            {
                ignored.Add(ColumnByName(path, header, name));
            }
        }
        int[] features = Enumerable.Range(0, columns).Where(c => !ignored.Contains(c)).ToArray();
        if (targets.Length == 0 || features.Length == 0)
        {
            throw new DataFileException(path, $"the file has {columns} columns, {targets.Length} chosen as targets; at least one feature and one target column are needed.", line: 1);
        }
        return (features, targets);
    }

    private static int ColumnByName(string path, string[] header, string name)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
        {
            throw new DataFileException(path, $"there is no column named '{name}'; the header has {string.Join(", ", header.Select(h => $"'{h}'"))}.", line: 1);
        }
        return index;
    }

    private static bool TryParseRow(string path, int lineNumber, SepReader.Row row, int columns, string[]? header,
        int[] featureColumns, int[] targetColumns, List<float> inputs, List<float> targets, out DataFileException? problem)
    {
        problem = null;
        if (row.ColCount != columns)
        {
            problem = new DataFileException(path, $"the row has {row.ColCount} fields but {(header is null ? "the first row" : "the header")} has {columns}.", lineNumber);
            return false;
        }
        int inputStart = inputs.Count, targetStart = targets.Count;
        foreach (var (columnList, output) in new[] { (featureColumns, inputs), (targetColumns, targets) })
        {
            foreach (int c in columnList)
            {
                string? error = CsvFields.ParseNumber(row[c].Span, out float value);
                if (error is not null)
                {
                    problem = new DataFileException(path, error, lineNumber, c + 1, header?[c]);
                    inputs.RemoveRange(inputStart, inputs.Count - inputStart);
                    targets.RemoveRange(targetStart, targets.Count - targetStart);
                    return false;
                }
                output.Add(value);
            }
        }
        return true;
    }

    /// <summary>
    /// Steps through Sep's rows keeping the line number of each row's first line, and turns Sep's
    /// refusal of a row beyond its buffer limit into a <see cref="DataFileException"/> naming the line.
    /// </summary>
    private sealed class RowReader(SepReader reader, string path)
    {
        private int _nextLine = 1;

        public bool MoveNext(ref int lineNumber, out SepReader.Row row)
        {
            try
            {
                if (!reader.MoveNext())
                {
                    row = default;
                    return false;
                }
            }
            catch (NotSupportedException e)
            {
                throw new DataFileException(path,
                    $"a row from this line on is longer than the CSV parser's limit of {CsvOptions.MaxSupportedLineLength} characters; is a quote left unterminated?",
                    _nextLine, inner: e);
            }
            row = reader.Current;
            lineNumber = _nextLine;
            _nextLine = row.LineNumberToExcl;
            return true;
        }
    }
}
