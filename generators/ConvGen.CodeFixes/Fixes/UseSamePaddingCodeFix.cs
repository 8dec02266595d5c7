using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.CodeFixes.Layers;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConvGen.CodeFixes.Fixes;

/// <summary>
/// CG0101 (window larger than its input, when the generator says same padding fits), CG0104 and
/// CG0105 (rows / columns left unread): switch the layer to same padding.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSamePaddingCodeFix)), Shared]
public sealed class UseSamePaddingCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.WindowLargerThanInputId, DiagnosticDescriptors.StrideSkipsInputId, DiagnosticDescriptors.PoolingDropsRemainderId);

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
            // The generator knows the shapes; it marks the diagnostics that same padding fixes.
            if (!diagnostic.Properties.ContainsKey(DiagnosticProperties.SamePaddingFixes))
            {
                continue;
            }
            var span = diagnostic.Location.SourceSpan;
            if (LayerLocator.FindAttribute(root, span) is { } attribute)
            {
                context.RegisterCodeFix(CodeAction.Create("Use Padding.Same",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, WithSamePadding(attribute)))),
                    nameof(UseSamePaddingCodeFix)), diagnostic);
            }
            else if (LayerLocator.FindTextLine(root, await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false), span) is { } line)
            {
                context.RegisterCodeFix(CodeAction.Create("Use padding=same",
                    ct => InsertFlattenCodeFix.WithChange(context.Document, line.SetOption("padding", "same", flagToReplace: "valid"), ct),
                    nameof(UseSamePaddingCodeFix)), diagnostic);
            }
        }
    }

    private static AttributeSyntax WithSamePadding(AttributeSyntax attribute)
    {
        // Fully qualified, then simplified against the file's usings: Padding.Same in the usual case.
        var same = ParseExpression("global::ConvGen.Padding.Same").WithAdditionalAnnotations(Simplifier.Annotation);
        var arguments = attribute.ArgumentList ?? AttributeArgumentList();
        var existing = arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "Padding");
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing.Expression, same.WithTriviaFrom(existing.Expression));
        }
        var padding = AttributeArgument(NameEquals(IdentifierName("Padding")), null, same);
        return attribute.WithArgumentList(arguments.AddArguments(padding));
    }
}
