using System;
using System.Text;
using ConvGen.Onnx.Import;

namespace ConvGen.Tool.Cli;

/// <summary>Reads an ONNX model through the importer, as <c>import</c> and <c>summary</c> do.</summary>
internal static class OnnxModels
{
    /// <summary>
    /// The imported network of <paramref name="path"/>; a file that is not a readable ONNX model,
    /// or one with nodes ConvGen cannot map (every such node listed), is bad input naming <paramref name="shownName"/>.
    /// </summary>
    public static ImportedNetwork Import(string path, string shownName)
    {
        try
        {
            return OnnxImporter.Import(path);
        }
        catch (OnnxImportException e)
        {
            // Every node that stands in the way, one per line: the user sees the whole gap at once.
            var message = new StringBuilder($"{shownName}: cannot import {e.Issues.Count} node(s):");
            foreach (ImportIssue issue in e.Issues)
            {
                message.AppendLine().Append("  ").Append(issue);
            }
            throw CliException.BadInput(message.ToString());
        }
        catch (Exception e) when (Failures.IsBadInput(e))
        {
            throw CliException.BadInput($"{shownName}: not a readable ONNX model: {e.Message}");
        }
    }
}
