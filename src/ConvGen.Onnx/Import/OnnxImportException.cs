using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Onnx.Import;

/// <summary>One ONNX node the importer cannot map, and why.</summary>
/// <param name="NodeName">Node name (or its first output when unnamed).</param>
/// <param name="OpType">ONNX operator.</param>
/// <param name="Reason">What is missing, e.g. <c>operator not supported</c> or <c>group=32 (only group=1)</c>.</param>
public sealed record ImportIssue(string NodeName, string OpType, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{OpType} '{NodeName}': {Reason}";
}

/// <summary>
/// The model uses operators or attributes ConvGen cannot express. Every problem found is listed,
/// not just the first, so one run tells the user the whole gap.
/// </summary>
public sealed class OnnxImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OnnxImportException(string source, IReadOnlyList<ImportIssue> issues)
        : this(source, issues, null)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public OnnxImportException(string source, IReadOnlyList<ImportIssue> issues, Exception? innerException)
        : base($"{source}: cannot import {issues.Count} node(s):" + Environment.NewLine
            + string.Join(Environment.NewLine, issues.Select(i => "  " + i)), innerException)
    {
        Issues = issues;
    }

    /// <summary>Every node that could not be mapped.</summary>
    public IReadOnlyList<ImportIssue> Issues { get; }
}
