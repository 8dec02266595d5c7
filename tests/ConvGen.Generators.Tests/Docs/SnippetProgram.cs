using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.Tests.Docs;

/// <summary>
/// Turns a docs snippet into a C# file a console program would compile. Docs show code in the
/// order that reads best — a network declaration, then the lines that use it — but C# wants
/// top-level statements before type declarations. So the snippet (after its prelude) is parsed
/// and re-assembled as: using directives, statements, then types and namespaces, each piece
/// preceded by a <c>#line</c> directive, so every compiler message points at the Markdown file
/// and line it came from.
/// </summary>
internal static class SnippetProgram
{
    /// <summary>
    /// The usings every snippet may rely on: the implicit usings of a new console project and
    /// every public ConvGen namespace. docs/README.md lists them.
    /// </summary>
    public static readonly IReadOnlyList<string> GlobalUsings = new[]
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
        "ConvGen", "ConvGen.Augmentation", "ConvGen.Data", "ConvGen.Distributed", "ConvGen.Imaging", "ConvGen.Serialization",
        "ConvGen.Training", "ConvGen.Training.Metrics", "ConvGen.Transfer", "ConvGen.Onnx.Import", "ConvGen.Onnx.Export",
    };

    public static string GlobalUsingsSource { get; } = string.Concat(GlobalUsings.Select(u => $"global using {u};\n"));

    /// <summary>
    /// The re-assembled file, and whether it has top-level statements (a program) or only
    /// declarations (a library). Syntax errors are returned as messages with the Markdown line
    /// instead: re-assembling a tree the parser had to repair could hide the broken text.
    /// </summary>
    public static (string Source, bool HasStatements, IReadOnlyList<string> SyntaxErrors) Assemble(DocSnippet snippet, CSharpParseOptions parseOptions)
    {
        var pieces = new List<Piece>();
        var errors = new List<string>();
        if (snippet.Prelude is not null)
        {
            pieces.AddRange(Split(snippet.Prelude, snippet.File, snippet.PreludeLine, parseOptions, errors));
        }
        pieces.AddRange(Split(snippet.Code, snippet.File, snippet.Line, parseOptions, errors));
        if (errors.Count > 0)
        {
            return ("", false, errors);
        }

        var source = new StringBuilder();
        foreach (var piece in pieces.OrderBy(p => p.Order))
        {
            source.Append("#line ").Append(piece.Line).Append(" \"").Append(piece.File).Append("\"\n");
            source.Append(piece.Text).Append('\n');
        }
        return (source.ToString(), pieces.Any(p => p.Order == Order.Statement), errors);
    }

    private enum Order { Using, Statement, Declaration }

    /// <param name="Order">Where the piece goes; pieces of one kind keep their relative order (OrderBy is stable).</param>
    private sealed record Piece(Order Order, string File, int Line, string Text);

    private static List<Piece> Split(string code, string file, int firstLine, CSharpParseOptions parseOptions, List<string> errors)
    {
        var tree = CSharpSyntaxTree.ParseText(code, parseOptions);
        // CS8803 (statements after a type declaration) is exactly what re-assembling fixes.
        foreach (var error in tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8803"))
        {
            errors.Add($"{file}({firstLine + error.Location.GetLineSpan().StartLinePosition.Line},{error.Location.GetLineSpan().StartLinePosition.Character + 1}): {error.Id}: {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        var unit = (CompilationUnitSyntax)tree.GetRoot();
        var pieces = new List<Piece>();
        var nodes = new List<(Order, SyntaxNode)>();
        nodes.AddRange(unit.Externs.Select(n => (Order.Using, (SyntaxNode)n)));
        nodes.AddRange(unit.Usings.Select(n => (Order.Using, (SyntaxNode)n)));
        nodes.AddRange(unit.AttributeLists.Select(n => (Order.Using, (SyntaxNode)n)));
        nodes.AddRange(unit.Members.Select(n => (n is GlobalStatementSyntax ? Order.Statement : Order.Declaration, (SyntaxNode)n)));
        foreach (var (order, node) in nodes)
        {
            // The node's text without its leading trivia starts exactly at its first token;
            // leading comments are dropped, which only matters for their line count.
            int line = node.GetLocation().GetLineSpan().StartLinePosition.Line;
            pieces.Add(new Piece(order, file, firstLine + line, node.ToString()));
        }
        return pieces;
    }
}
