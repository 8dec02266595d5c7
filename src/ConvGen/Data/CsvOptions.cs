using System;
using System.Collections.Generic;

namespace ConvGen.Data;

/// <summary>How <see cref="CsvDataset.Load(string, CsvOptions?)"/> reads a CSV of numeric features and targets.</summary>
public sealed class CsvOptions
{
    /// <summary>Field separator (default comma).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The first line names the columns (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>Target columns by header name; null means <see cref="TargetColumnIndices"/>, or else the last column.</summary>
    public IReadOnlyList<string>? TargetColumns { get; init; }

    /// <summary>Target columns by 0-based index; used when <see cref="TargetColumns"/> is null.</summary>
    public IReadOnlyList<int>? TargetColumnIndices { get; init; }

    /// <summary>Columns to ignore (by header name), such as an id.</summary>
    public IReadOnlyList<string>? IgnoreColumns { get; init; }

    /// <summary>Rows with a missing or non-numeric value, or the wrong number of fields: stop (default) or skip and count.</summary>
    public BadInputPolicy BadRows { get; init; } = BadInputPolicy.Throw;

    /// <summary>Largest line, in characters, that the file may hold.</summary>
    public const int DefaultMaxLineLength = 1 << 22;

    /// <summary>Upper bound of <see cref="MaxLineLength"/>: the CSV parser's own limit on one row, quoted line breaks included.</summary>
    public const int MaxSupportedLineLength = 1 << 24;

    /// <summary>
    /// Longest line, in characters, before the file is refused with a <see cref="DataFileException"/>
    /// naming the line (default <see cref="DefaultMaxLineLength"/>, 4 Mi characters; at most
    /// <see cref="MaxSupportedLineLength"/>). It bounds the memory that one huge field or a stray
    /// unterminated quote can take. Such a file is refused even under <see cref="BadInputPolicy.Skip"/>:
    /// the line cannot be skipped without reading it.
    /// </summary>
    public int MaxLineLength
    {
        get => _maxLineLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSupportedLineLength);
            _maxLineLength = value;
        }
    }

    private readonly int _maxLineLength = DefaultMaxLineLength;
}

/// <summary>What <see cref="CsvDataset.Load(string, CsvOptions?)"/> read.</summary>
/// <param name="Dataset">Features as inputs, target columns as targets.</param>
/// <param name="FeatureNames">Input column names (header names, or "column N").</param>
/// <param name="TargetNames">Target column names.</param>
/// <param name="Report">Rows skipped under <see cref="BadInputPolicy.Skip"/>.</param>
public sealed record CsvData(Dataset Dataset, IReadOnlyList<string> FeatureNames, IReadOnlyList<string> TargetNames, BadInputReport Report);
