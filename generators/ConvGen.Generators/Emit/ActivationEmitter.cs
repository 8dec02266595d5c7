using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>A standalone activation layer: copy, then the runtime's vectorised activation pass.</summary>
internal static class ActivationEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}(ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            w.WriteLine($"ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, input.Slice(0, {Arithmetic.Times("batch", l.Input.Length)}), output, {I(l.Output.Channels)});");
        }
    }
}
