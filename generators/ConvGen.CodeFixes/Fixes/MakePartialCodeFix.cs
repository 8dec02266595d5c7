using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace ConvGen.CodeFixes.Fixes;

/// <summary>CG0001 (the network class) and CG0012 (the types around it): add <c>partial</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ClassNotPartialId, DiagnosticDescriptors.ContainingTypeNotPartialId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (var diagnostic in context.Diagnostics)
        {
            // Both are reported at the network class's name.
            var network = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (network is null)
            {
                continue;
            }
            var targets = diagnostic.Id == DiagnosticDescriptors.ClassNotPartialId
                ? new[] { network }
                : network.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToArray();
            if (targets.Length == 0)
            {
                continue;
            }
            string names = string.Join("', '", targets.Select(t => t.Identifier.Text));
            context.RegisterCodeFix(CodeAction.Create($"Make '{names}' partial",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(MakePartial(root, targets, context.Document))), nameof(MakePartialCodeFix)), diagnostic);
        }
    }

    private static SyntaxNode MakePartial(SyntaxNode root, TypeDeclarationSyntax[] targets, Document document)
    {
        // SyntaxGenerator puts 'partial' where C# requires it (last modifier) and keeps the trivia right.
        var generator = SyntaxGenerator.GetGenerator(document);
        return root.ReplaceNodes(targets, (original, rewritten) =>
            generator.WithModifiers(rewritten, generator.GetModifiers(rewritten).WithPartial(true)));
    }
}
