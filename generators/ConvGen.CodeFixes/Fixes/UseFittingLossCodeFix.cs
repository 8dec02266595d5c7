using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConvGen.CodeFixes.Fixes;

/// <summary>
/// CG0210 (a loss that does not fit the network's last activation): switch to the loss that
/// fuses that activation. The analyzer knows the network; it names the fitting loss in the
/// diagnostic's properties only when one fits (a tanh output has none).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseFittingLossCodeFix)), Shared]
public sealed class UseFittingLossCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.LossDoesNotFitActivationId);

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
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.FittingLoss, out var loss) || loss is null)
            {
                continue;
            }
            // Reported at the loss's construction: new X() or Losses.For("name").
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SyntaxNode? replaced = null;
            SyntaxNode? replacement = null;
            string title = $"Use {loss}";
            switch (node)
            {
                case ObjectCreationExpressionSyntax { Type: var type }:
                    replaced = type;
                    replacement = WithRightmostName(type, loss);
                    break;
                case InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments }
                    when arguments[0].Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                         && diagnostic.Properties.TryGetValue(DiagnosticProperties.FittingLossName, out var name) && name is not null:
                    // Keep the user's style: a Keras name is replaced by the fitting loss's Keras name.
                    replaced = literal;
                    replacement = LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(name)).WithTriviaFrom(literal);
                    title = $"Use Losses.For(\"{name}\") ({loss})";
                    break;
            }
            if (replaced is null || replacement is null)
            {
                continue;
            }
            var newRoot = root.ReplaceNode(replaced, replacement);
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)), nameof(UseFittingLossCodeFix)), diagnostic);
        }
    }

    // new SigmoidBinaryCrossEntropy() or new ConvGen.Training.SigmoidBinaryCrossEntropy(): only the class name changes.
    private static TypeSyntax? WithRightmostName(TypeSyntax type, string name) => type switch
    {
        IdentifierNameSyntax identifier => IdentifierName(name).WithTriviaFrom(identifier),
        QualifiedNameSyntax qualified => qualified.WithRight(IdentifierName(name).WithTriviaFrom(qualified.Right)),
        AliasQualifiedNameSyntax alias => alias.WithName(IdentifierName(name).WithTriviaFrom(alias.Name)),
        _ => null,
    };
}
