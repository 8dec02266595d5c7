using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Fully connected layer, IO weights: one call to the runtime's register-tiled GEMM
/// (DenseKernels: 6 samples x 4 vectors of units per micro-tile over a packed weight panel, the
/// widest vector the CPU has),
/// with bias and ReLU-family activations applied in registers before the store.
/// </summary>
internal static class DenseEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l, string? methodName = null)
    {
        int inputs = l.Input.Channels;
        int units = l.Output.Channels;
        bool optional = Conv2DEmitter.OptionalActivation(l, methodName);
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {methodName ?? MethodName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            string bias = l.UseBias ? $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
            string linear = RuntimeActivation(Model.ActivationKind.Linear);
            string fused = !IsFused(l.Activation) ? linear
                : optional ? $"activate ? {RuntimeActivation(l.Activation)} : {linear}"
                : RuntimeActivation(l.Activation);
            w.WriteLine($"// weights IO [{inputs},{units}]{(l.UseBias ? $", bias [{units}]" : "")}");
            w.WriteLine($"DenseKernels.Forward(input.Slice(0, {Arithmetic.Times("batch", inputs)}), parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {bias}, "
                + $"output.Slice(0, {Arithmetic.Times("batch", units)}), batch, {I(inputs)}, {I(units)}, {fused}, {Literal.Float(l.Alpha)});");
            Conv2DEmitter.EmitActivationPass(w, l, all: false, optional);
        }
    }
}
