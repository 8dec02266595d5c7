using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// CG0212: <c>Predict(inputs, outputs)</c> and <c>Forward(inputs, outputs, workspace)</c> on a
/// network, with buffers whose length is a compile-time constant (<c>new float[8]</c>,
/// <c>stackalloc float[10]</c>, <c>new float[] { ... }</c>, a <c>const</c> size), checked as the
/// generated code's Guard.BatchSize checks them at run time: the inputs a whole, non-empty batch,
/// the outputs that batch's outputs.
/// </summary>
internal static class BufferCheck
{
    public static IEnumerable<Diagnostic> Check(NetworkFacts network, IInvocationOperation call, CancellationToken cancellationToken)
    {
        if (call.Arguments.Length < 2)
        {
            yield break;
        }
        var inputs = Buffer(call.Arguments[0].Value, cancellationToken);
        var outputs = Buffer(call.Arguments[1].Value, cancellationToken);
        string method = call.TargetMethod.Name;
        string typeText = call.Instance?.Type?.ToMinimalDisplayString(call.SemanticModel!, call.Syntax.SpanStart) ?? network.Name;
        long? batch = null;
        if (inputs is { } i)
        {
            if (i.Length == 0 || i.Length % network.InputLength != 0)
            {
                string? fix = i.Length < network.InputLength ? $"{typeText}.InputLength"
                    : outputs is { Length: > 0 } o && o.Length % network.OutputLength == 0 ? Times(o.Length / network.OutputLength, $"{typeText}.InputLength") : null;
                yield return Report(i, fix, network, method, "inputs",
                    $"that is not a whole, non-empty batch of samples of {network.InputLength} floats (input {network.Input.ToText()}); make it a multiple of {typeText}.InputLength");
            }
            else
            {
                batch = i.Length / network.InputLength;
            }
        }
        if (outputs is { } output)
        {
            if (batch is { } b && output.Length != b * network.OutputLength)
            {
                yield return Report(output, Times(b, $"{typeText}.OutputLength"), network, method, "outputs",
                    $"inputs holds {b} sample{(b == 1 ? "" : "s")}, whose outputs take {b * network.OutputLength} floats ({b} x OutputLength {network.OutputLength}, output {network.Output.ToText()})");
            }
            else if (batch is null && inputs is null && (output.Length == 0 || output.Length % network.OutputLength != 0))
            {
                yield return Report(output, output.Length < network.OutputLength ? $"{typeText}.OutputLength" : null, network, method, "outputs",
                    $"that is not a whole, non-empty batch of outputs of {network.OutputLength} floats (output {network.Output.ToText()}); make it a multiple of {typeText}.OutputLength");
            }
        }
    }

    private static string Times(long count, string length) => count == 1 ? length : $"{count} * {length}";

    private static Diagnostic Report(BufferSize buffer, string? fix, NetworkFacts network, string method, string parameter, string expectation)
    {
        var properties = fix is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.FittingLength, fix);
        return Diagnostic.Create(DiagnosticDescriptors.BufferLengthMismatch, buffer.Creation.GetLocation(), properties,
            network.Name, method, parameter, buffer.Length == 1 ? "1 float" : $"{buffer.Length} floats", expectation);
    }

    /// <summary>A buffer created with a constant length where it is written.</summary>
    private readonly record struct BufferSize(ExpressionSyntax Creation, long Length);

    private static BufferSize? Buffer(IOperation value, CancellationToken cancellationToken)
    {
        var origin = ValueTrace.Origin(value, cancellationToken);
        var model = origin.SemanticModel;
        if (model is null)
        {
            return null;
        }
        switch (origin.Syntax)
        {
            case ArrayCreationExpressionSyntax array when array.Type.RankSpecifiers.Count == 1 && array.Type.RankSpecifiers[0].Sizes.Count == 1:
                var size = array.Type.RankSpecifiers[0].Sizes[0];
                return size is OmittedArraySizeExpressionSyntax
                    ? array.Initializer is { } init ? new BufferSize(array, init.Expressions.Count) : null
                    : Constant(model, size, cancellationToken) is { } n ? new BufferSize(array, n) : null;
            case StackAllocArrayCreationExpressionSyntax stack when stack.Type is ArrayTypeSyntax { RankSpecifiers.Count: 1 } stackType && stackType.RankSpecifiers[0].Sizes.Count == 1:
                var stackSize = stackType.RankSpecifiers[0].Sizes[0];
                return stackSize is OmittedArraySizeExpressionSyntax
                    ? stack.Initializer is { } stackInit ? new BufferSize(stack, stackInit.Expressions.Count) : null
                    : Constant(model, stackSize, cancellationToken) is { } m ? new BufferSize(stack, m) : null;
            case ImplicitArrayCreationExpressionSyntax implicitArray:
                return new BufferSize(implicitArray, implicitArray.Initializer.Expressions.Count);
            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStack:
                return new BufferSize(implicitStack, implicitStack.Initializer.Expressions.Count);
            default:
                return null;
        }
    }

    private static long? Constant(SemanticModel model, ExpressionSyntax size, CancellationToken cancellationToken) =>
        model.GetConstantValue(size, cancellationToken) is { HasValue: true, Value: int or long or short or byte or uint or ushort or sbyte } c
            ? System.Convert.ToInt64(c.Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

}
