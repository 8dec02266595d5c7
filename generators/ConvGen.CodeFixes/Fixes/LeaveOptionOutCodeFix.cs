using System.Collections.Generic;
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

namespace ConvGen.CodeFixes.Fixes;

/// <summary>
/// CG0123 (a normalisation's epsilon not positive) and CG0111 (a transposed convolution's output
/// padding not below its stride): leave the option out, so the layer takes its default (Keras's
/// epsilon of 1e-3; no output padding, the size the stride and padding give).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LeaveOptionOutCodeFix)), Shared]
public sealed class LeaveOptionOutCodeFix : CodeFixProvider
{
    /// <summary>Per diagnostic: the attribute's named argument and the text form's keys for the same option.</summary>
    private static readonly IReadOnlyDictionary<string, (string Argument, string[] Keys)> Options = new Dictionary<string, (string, string[])>
    {
        [DiagnosticDescriptors.NormalizationEpsilonNotPositiveId] = ("Epsilon", new[] { "eps", "epsilon" }),
        [DiagnosticDescriptors.TransposedOutputPaddingInvalidId] = ("OutputPadding", new[] { "output_padding", "outputpadding" }),
    };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = Options.Keys.ToImmutableArray();

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
            if (!Options.TryGetValue(diagnostic.Id, out var option))
            {
                continue;
            }
            var span = diagnostic.Location.SourceSpan;
            // The generator reports at the attribute, or at the option's own argument when it names one.
            var attribute = LayerLocator.FindAttribute(root, span) ?? LayerLocator.FindArgument(root, span)?.FirstAncestorOrSelf<AttributeSyntax>();
            if (attribute is not null)
            {
                if (attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == option.Argument) is { } argument)
                {
                    context.RegisterCodeFix(CodeAction.Create($"Leave {option.Argument} out (use the default)",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, Without(attribute, argument)))),
                        nameof(LeaveOptionOutCodeFix) + option.Argument), diagnostic);
                }
            }
            else if (LayerLocator.FindTextLine(root, await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false), span) is { } line
                && line.RemoveOption(option.Keys) is { } change)
            {
                context.RegisterCodeFix(CodeAction.Create($"Leave {option.Keys[0]}= out (use the default)",
                    ct => InsertFlattenCodeFix.WithChange(context.Document, change, ct),
                    nameof(LeaveOptionOutCodeFix) + option.Argument), diagnostic);
            }
        }
    }

    /// <summary>The attribute without <paramref name="argument"/>, and without its parentheses when nothing is left in them.</summary>
    private static AttributeSyntax Without(AttributeSyntax attribute, AttributeArgumentSyntax argument)
    {
        var arguments = attribute.ArgumentList!.Arguments.Remove(argument);
        return arguments.Count == 0
            ? attribute.WithArgumentList(null).WithTriviaFrom(attribute)
            : attribute.WithArgumentList(attribute.ArgumentList.WithArguments(arguments));
    }
}
