using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// Follows a value back to where it is written, as far as that is certain without flow analysis:
/// through conversions and parentheses, and through a local whose declaration initialises it and
/// that nothing assigns again (no assignment, no ref or out argument, no deconstruction into it).
/// Anything else (a field, a parameter, a local written twice) is left alone: a check that is not
/// sure of the value says nothing.
/// </summary>
internal static class ValueTrace
{
    /// <summary>The operation that writes <paramref name="value"/>, or <paramref name="value"/> itself.</summary>
    public static IOperation Origin(IOperation value, CancellationToken cancellationToken)
    {
        for (int depth = 0; depth < 8; depth++)
        {
            value = Unwrap(value);
            if (value is not ILocalReferenceOperation local || InitialValue(local.Local, value.SemanticModel, cancellationToken) is not { } initial)
            {
                return value;
            }
            value = initial;
        }
        return value;
    }

    /// <summary>The value without implicit or explicit conversions and parentheses.</summary>
    public static IOperation Unwrap(IOperation value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation conversion:
                    value = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    value = parenthesized.Operand;
                    break;
                default:
                    return value;
            }
        }
    }

    /// <summary>The syntax a deconstructed local comes from (<c>var (a, b) = Call();</c> gives <c>Call()</c>), when the local is written only there.</summary>
    public static ExpressionSyntax? DeconstructedFrom(ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not SingleVariableDesignationSyntax designation)
        {
            return null;
        }
        var assignment = designation.Ancestors().OfType<AssignmentExpressionSyntax>().FirstOrDefault();
        if (assignment is null || !assignment.Left.Span.Contains(designation.Span) || IsWrittenAgain(local, designation, cancellationToken))
        {
            return null;
        }
        return assignment.Right;
    }

    private static IOperation? InitialValue(ILocalSymbol local, SemanticModel? model, CancellationToken cancellationToken)
    {
        if (model is null || local.IsRef || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.Initializer is null || declarator.SyntaxTree != model.SyntaxTree || IsWrittenAgain(local, declarator, cancellationToken))
        {
            return null;
        }
        return model.GetOperation(declarator.Initializer.Value, cancellationToken);
    }

    /// <summary>Whether any statement in the local's scope may write it after its declaration.</summary>
    private static bool IsWrittenAgain(ILocalSymbol local, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        var scope = declaration.Ancestors().FirstOrDefault(a => a is BlockSyntax or CompilationUnitSyntax or SwitchSectionSyntax);
        if (scope is null)
        {
            return true;
        }
        foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name.Identifier.ValueText != local.Name)
            {
                continue;
            }
            SyntaxNode node = name;
            while (node.Parent is ParenthesizedExpressionSyntax or TupleExpressionSyntax or ArgumentSyntax { Parent: TupleExpressionSyntax })
            {
                node = node.Parent;
            }
            bool written = node.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == node,
                PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword),
                RefExpressionSyntax => true,
                _ => false,
            };
            if (written)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The constant value of <paramref name="value"/> or of its origin, as a double, when it is a number.</summary>
    public static double? Number(IOperation value, CancellationToken cancellationToken)
    {
        var origin = Origin(value, cancellationToken);
        var constant = origin.ConstantValue.HasValue ? origin.ConstantValue : value.ConstantValue;
        return constant.HasValue && constant.Value is { } v && v is not string and not bool and not char
            ? System.Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>A constant as the program wrote it, in invariant culture (<c>1.5</c> for <c>1.5f</c>, not its double widening).</summary>
    public static string Display(IOperation value, CancellationToken cancellationToken)
    {
        var origin = Origin(value, cancellationToken);
        object? constant = origin.ConstantValue.HasValue ? origin.ConstantValue.Value : value.ConstantValue.Value;
        // A conversion may widen the written float; the unconverted operand shows what was typed.
        if (Unwrap(value).ConstantValue is { HasValue: true } written)
        {
            constant = written.Value;
        }
        return constant switch
        {
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            System.IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => constant?.ToString() ?? "null",
        };
    }

    /// <summary>The constant string value of <paramref name="value"/> or of its origin.</summary>
    public static string? Text(IOperation value, CancellationToken cancellationToken)
    {
        var origin = Origin(value, cancellationToken);
        return (origin.ConstantValue.HasValue ? origin.ConstantValue.Value : value.ConstantValue.HasValue ? value.ConstantValue.Value : null) as string;
    }

    /// <summary>Full name of a type (<c>ConvGen.Training.Adam</c>), for matching the runtime's types by name.</summary>
    public static string? FullName(ITypeSymbol? type) => type?.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    /// <summary>
    /// The value assigned to <paramref name="property"/> in an object initialiser
    /// (<c>new TrainingOptions { Loss = ... }</c>), or null.
    /// </summary>
    public static IOperation? Initialised(IObjectCreationOperation creation, string property)
    {
        foreach (var initializer in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
        {
            switch (initializer)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation p } assignment when p.Property.Name == property:
                    return assignment.Value;
                // Callbacks = { new EarlyStopping(...) }: a collection initialiser of the property.
                case IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation p } member when p.Property.Name == property:
                    return member.Initializer;
            }
        }
        return null;
    }

    /// <summary>The value passed for the parameter named <paramref name="parameter"/> (written or default), or null.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, string parameter) =>
        invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter);

    /// <summary>Same as <see cref="Argument(IInvocationOperation, string)"/> for a constructor call.</summary>
    public static IArgumentOperation? Argument(IObjectCreationOperation creation, string parameter) =>
        creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter);
}
