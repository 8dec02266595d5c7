using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.CodeFixes.Layers;

/// <summary>
/// Finds what a layer diagnostic points at: a layer attribute (attribute form), or a line inside
/// the string literal of <c>[Network("...")]</c> (text form). The generator reports layer
/// diagnostics at exactly the attribute's span (or an option's argument), or at the line's tokens inside the literal.
/// </summary>
internal static class LayerLocator
{
    public static AttributeSyntax? FindAttribute(SyntaxNode root, TextSpan span)
    {
        var attribute = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();
        // For a text-form line the nearest attribute is [Network(...)] around the literal: not a layer.
        return attribute is not null && attribute.Span == span ? attribute : null;
    }

    /// <summary>The attribute argument exactly at <paramref name="span"/> (a diagnostic about one option), or null.</summary>
    public static AttributeArgumentSyntax? FindArgument(SyntaxNode root, TextSpan span)
    {
        var argument = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeArgumentSyntax>();
        return argument is not null && argument.Span == span ? argument : null;
    }

    public static TextFormLine? FindTextLine(SyntaxNode root, SourceText text, TextSpan span)
    {
        var token = root.FindToken(span.Start);
        if (!token.Span.Contains(span) || span.Length == 0)
        {
            return null;
        }
        bool isLiteral = token.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken;
        if (!isLiteral)
        {
            return null;
        }
        // In a regular "..." literal, lines are separated by \n escapes; in raw and verbatim
        // literals, by real line breaks.
        bool escaped = token.IsKind(SyntaxKind.StringLiteralToken) && !token.Text.StartsWith("@", System.StringComparison.Ordinal);
        return new TextFormLine(text, span, escaped);
    }
}
