using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using ConvGen.CodeFixes.Layers;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.CodeFixes.Fixes;

/// <summary>CG0106 (Flatten of a flat vector) and CG0202 (an activation that does nothing or repeats the previous one): remove the layer.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveLayerCodeFix)), Shared]
public sealed class RemoveLayerCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.FlattenOfFlatInputId, DiagnosticDescriptors.RedundantActivationId);

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
            var span = diagnostic.Location.SourceSpan;
            if (LayerLocator.FindAttribute(root, span) is { } attribute)
            {
                context.RegisterCodeFix(CodeAction.Create("Remove this layer",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(Remove(root, attribute))), nameof(RemoveLayerCodeFix)), diagnostic);
            }
            else if (LayerLocator.FindTextLine(root, await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false), span) is { } line)
            {
                context.RegisterCodeFix(CodeAction.Create("Remove this layer",
                    ct => InsertFlattenCodeFix.WithChange(context.Document, line.RemoveLine(), ct), nameof(RemoveLayerCodeFix)), diagnostic);
            }
        }
    }

    private static SyntaxNode Remove(SyntaxNode root, AttributeSyntax attribute)
    {
        var list = (AttributeListSyntax)attribute.Parent!;
        // The whole [..] with its indentation and line break, or just the entry in a shared list.
        SyntaxNode target = list.Attributes.Count == 1 ? list : attribute;
        return root.RemoveNode(target, SyntaxRemoveOptions.KeepNoTrivia)!;
    }
}
