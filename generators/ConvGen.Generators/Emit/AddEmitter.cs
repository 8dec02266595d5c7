using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>A residual sum of two earlier layers' outputs, then its activation.</summary>
internal static class AddEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l, string? methodName = null)
    {
        bool optional = Conv2DEmitter.OptionalActivation(l, methodName);
        w.WriteLine(ShapeComment(l));
        using (w.WriteBlock($"public static void {methodName ?? MethodName(l)}(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output, int batch{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            w.WriteLine($"int length = {Arithmetic.Times("batch", l.Output.Length)};");
            w.WriteLine("GraphKernels.Add(first.Slice(0, length), second.Slice(0, length), output);");
            if (l.Activation != ActivationKind.Linear)
            {
                w.WriteLine($"{(optional ? "if (activate) " : "")}ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, output.Slice(0, length), {I(l.Output.Channels)});");
            }
        }
    }
}
