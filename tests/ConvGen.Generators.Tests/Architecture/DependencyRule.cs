using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.Tests.Architecture;

/// <summary>
/// The generator's folders, in the one order they may depend on each other: a namespace may name
/// types of its own folder and of folders before it, never after. Helpers and Diagnostics are the
/// base; Model holds the records passed between stages and names no stage; the stages come in
/// pipeline order (Parsing, Analysis, Emit), with ProgramChecks (the analyzer's checks of the
/// training program, which learn a network's shapes through Parsing and Analysis) before Emit; Layers (one descriptor per layer kind) may use every
/// stage, which reach it only through interfaces they define themselves; the root namespace
/// (NetworkGenerator and ProgramAnalyzer, the composition roots) wires it all together. Sub-namespaces belong to their
/// folder (Emit.Training is Emit).
/// </summary>
internal static class DependencyRule
{
    public const string Root = "ConvGen.Generators";

    public static readonly string[] Order = { "Helpers", "Diagnostics", "Model", "Parsing", "Analysis", "ProgramChecks", "Emit", "Layers", "" };

    /// <summary>The folder a namespace belongs to ("" for the root), or null outside the generator.</summary>
    public static string? FolderOf(string ns)
    {
        if (ns == Root)
        {
            return "";
        }
        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return null;
        }
        return ns.Substring(Root.Length + 1).Split('.')[0];
    }

    /// <summary>
    /// Every reference from one folder to a later one, and every generator namespace the order does
    /// not place, as "file(line): A names B.Type". Walks every name in the code, in using
    /// directives and in documentation comments (crefs), through the semantic model, so aliases,
    /// extension methods and <c>var</c> are seen as what they bind to.
    /// </summary>
    public static List<string> Violations(CSharpCompilation compilation)
    {
        var violations = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            string? fileNamespace = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
            foreach (var name in root.DescendantNodes(descendIntoTrivia: true).OfType<SimpleNameSyntax>())
            {
                if (name.Ancestors().Any(a => a is BaseNamespaceDeclarationSyntax ns && ns.Name.Span.Contains(name.Span)))
                {
                    continue; // the namespace's own declaration
                }
                var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                // A namespace counts where a using directive names it whole; elsewhere it only
                // prefixes a type name, which is checked itself.
                bool wholeUsing = name.Parent is UsingDirectiveSyntax || name.Parent is QualifiedNameSyntax q && q.Right == name && q.Parent is UsingDirectiveSyntax;
                var type = symbol as ITypeSymbol ?? symbol?.ContainingType;
                string? target = symbol is INamespaceSymbol ns ? (wholeUsing ? ns.ToDisplayString() : null) : type?.ContainingNamespace?.ToDisplayString();
                string named = symbol is INamespaceSymbol ? target ?? "" : type?.ToDisplayString() ?? "";
                string? source = name.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString() ?? fileNamespace;
                if (target is null || source is null || FolderOf(target) is not { } to || FolderOf(source) is not { } from)
                {
                    continue;
                }
                int fromRank = Array.IndexOf(Order, from);
                int toRank = Array.IndexOf(Order, to);
                string where = $"{System.IO.Path.GetFileName(tree.FilePath)}({name.GetLocation().GetLineSpan().StartLinePosition.Line + 1})";
                if (fromRank < 0 || toRank < 0)
                {
                    violations.Add($"{where}: namespace '{(fromRank < 0 ? source : target)}' is not placed in DependencyRule.Order");
                }
                else if (toRank > fromRank)
                {
                    violations.Add($"{where}: {source} names {named} of {target}, a later folder");
                }
            }
        }
        return violations.Distinct().ToList();
    }

    /// <summary>Every reference between two different folders, as (from, to) pairs.</summary>
    public static HashSet<(string From, string To)> Edges(CSharpCompilation compilation)
    {
        var edges = new HashSet<(string, string)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            string? source = tree.GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol;
                string? target = (symbol as ITypeSymbol ?? symbol?.ContainingType)?.ContainingNamespace?.ToDisplayString();
                if (source is not null && target is not null && FolderOf(source) is { } from && FolderOf(target) is { } to && from != to)
                {
                    edges.Add((from, to));
                }
            }
        }
        return edges;
    }
}
