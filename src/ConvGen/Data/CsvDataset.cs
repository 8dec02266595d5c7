using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace ConvGen.Data;

/// <summary>
/// Tabular data for regression (or any numeric targets) from a CSV file: every field a number
/// (invariant culture, <c>1.5e-3</c> style), one row per sample. A bad field is reported with
/// the file, line and column and what is wrong with it.
/// </summary>
public static class CsvDataset
{
    /// <summary>Reads <paramref name="path"/>; see <see cref="CsvOptions"/> for the column choice and the bad-row policy.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFileException">A bad row under <see cref="BadInputPolicy.Throw"/>, or a problem with the file as a whole (empty, unknown column, no rows left).</exception>
    public static CsvData Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvOptions();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No CSV file at '{path}'.", path);
        }
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        int lineNumber = 0;
        string? line;
        string[]? header = null;
        int columns = -1;
        var report = new BadInputReport();
        var inputs = new List<float>();
        var targets = new List<float>();
        int[] targetColumns = Array.Empty<int>();
        int[] featureColumns = Array.Empty<int>();
        int rows = 0;
        var fields = new List<string>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
            {
                continue;
            }
            CsvFields.Split(line, options.Separator, fields);
            if (columns < 0)
            {
                columns = fields.Count;
                if (options.HasHeader)
                {
                    header = fields.Select(f => f.Trim()).ToArray();
                }
                (featureColumns, targetColumns) = ChooseColumns(path, header, columns, options);
                if (options.HasHeader)
                {
                    continue;
                }
            }
            if (!TryParseRow(path, lineNumber, fields, columns, header, featureColumns, targetColumns, inputs, targets, out var problem))
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
        var dataset = new Dataset(inputs.ToArray(), targets.ToArray(), rows, featureColumns.Length, targetColumns.Length);
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

    private static bool TryParseRow(string path, int lineNumber, List<string> fields, int columns, string[]? header,
        int[] featureColumns, int[] targetColumns, List<float> inputs, List<float> targets, out DataFileException? problem)
    {
        problem = null;
        if (fields.Count != columns)
        {
            problem = new DataFileException(path, $"the row has {fields.Count} fields but {(header is null ? "the first row" : "the header")} has {columns}.", lineNumber);
            return false;
        }
        int inputStart = inputs.Count, targetStart = targets.Count;
        foreach (var (columnList, output) in new[] { (featureColumns, inputs), (targetColumns, targets) })
        {
            foreach (int c in columnList)
            {
                string text = fields[c].Trim();
                string? error = null;
                if (text.Length == 0)
                {
                    error = "missing value (the field is empty).";
                }
                else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    error = $"'{text}' is not a number.";
                }
                else if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
                {
                    error = $"'{text}' is not a finite single-precision number.";
                }
                else
                {
                    output.Add((float)value);
                }
                if (error is not null)
                {
                    problem = new DataFileException(path, error, lineNumber, c + 1, header?[c]);
                    inputs.RemoveRange(inputStart, inputs.Count - inputStart);
                    targets.RemoveRange(targetStart, targets.Count - targetStart);
                    return false;
                }
            }
        }
        return true;
    }
}
