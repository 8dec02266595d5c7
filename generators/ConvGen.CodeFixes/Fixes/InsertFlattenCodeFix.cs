using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.CodeFixes.Layers;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConvGen.CodeFixes.Fixes;

/// <summary>CG0102: a Dense layer after a spatial layer gets a Flatten right before it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix)), Shared]
public sealed class InsertFlattenCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DenseNeedsFlatInputId);

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
                context.RegisterCodeFix(CodeAction.Create("Insert [Flatten] before this Dense layer",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(InsertBefore(root, attribute))), nameof(InsertFlattenCodeFix)), diagnostic);
            }
            else if (LayerLocator.FindTextLine(root, await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false), span) is { } line)
            {
                context.RegisterCodeFix(CodeAction.Create("Insert a 'flatten' line before this dense layer",
                    ct => WithChange(context.Document, line.InsertLineBefore("flatten"), ct), nameof(InsertFlattenCodeFix)), diagnostic);
            }
        }
    }

    private static SyntaxNode InsertBefore(SyntaxNode root, AttributeSyntax dense)
    {
        // Qualify Flatten the way the user qualified Dense, so it binds wherever Dense did.
        NameSyntax name = dense.Name is QualifiedNameSyntax qualified
            ? QualifiedName(qualified.Left, IdentifierName("Flatten"))
            : IdentifierName("Flatten");
        var flatten = Attribute(name);
        var list = (AttributeListSyntax)dense.Parent!;
        if (list.Attributes.Count > 1)
        {
            var attributes = list.Attributes.Insert(list.Attributes.IndexOf(dense), flatten);
            return root.ReplaceNode(list, list.WithAttributes(attributes));
        }
        // A list of its own, on its own line, indented like the Dense list.
        var indentation = list.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
        var lineBreak = list.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var newList = AttributeList(SingletonSeparatedList(flatten))
            .WithLeadingTrivia(list.GetLeadingTrivia())
            .WithTrailingTrivia(lineBreak == default ? EndOfLine("\n") : lineBreak);
        var movedList = list.WithLeadingTrivia(indentation == default ? TriviaList() : TriviaList(indentation));
        return root.ReplaceNode(list, new SyntaxNode[] { newList, movedList });
    }

    internal static async Task<Document> WithChange(Document document, TextChange change, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(change));
    }
}
