using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// A residual sum of two earlier layers' outputs, then its activation: elementwise, so a picture
/// split over threads sums each thread's own rows (training passes the whole batch).
/// </summary>
internal static class AddEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l, string? methodName = null)
    {
        bool optional = Conv2DEmitter.OptionalActivation(l, methodName);
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {methodName ?? MethodName(l)}(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output, Rows rows{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            string height = I(l.Output.Height), row = I((long)l.Output.Width * l.Output.Channels);
            w.WriteLine($"Span<float> sum = rows.Slice(output, {height}, {row});");
            w.WriteLine($"GraphKernels.Add(rows.Slice(first, {height}, {row}), rows.Slice(second, {height}, {row}), sum);");
            if (l.Activation != ActivationKind.Linear)
            {
                w.WriteLine($"{(optional ? "if (activate) " : "")}ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, sum, {I(l.Output.Channels)});");
            }
        }
    }
}
