using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConvGen.CodeFixes.Fixes;

/// <summary>
/// CG0212 (a Predict / Forward buffer whose constant length is not a batch): size the buffer with
/// the network's constant (<c>new float[DigitNet.OutputLength]</c>). The analyzer names the
/// length in the diagnostic's properties only when one is obvious; buffers given by an
/// initialiser (<c>new float[] { ... }</c>) are left alone, since their values would be lost.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseNetworkLengthCodeFix)), Shared]
public sealed class UseNetworkLengthCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.BufferLengthMismatchId);

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
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.FittingLength, out var length) || length is null)
            {
                continue;
            }
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            // Only a buffer sized by an expression: one given by its values keeps them.
            var rank = node switch
            {
                ArrayCreationExpressionSyntax { Initializer: null } array => array.Type.RankSpecifiers,
                StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax stackType } => stackType.RankSpecifiers,
                _ => default,
            };
            var size = rank.Count == 1 && rank[0].Sizes.Count == 1 ? rank[0].Sizes[0] : null;
            if (size is null or OmittedArraySizeExpressionSyntax)
            {
                continue;
            }
            var newRoot = root.ReplaceNode(size, ParseExpression(length).WithTriviaFrom(size));
            context.RegisterCodeFix(CodeAction.Create($"Use {length}", _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)), nameof(UseNetworkLengthCodeFix)), diagnostic);
        }
    }
}
