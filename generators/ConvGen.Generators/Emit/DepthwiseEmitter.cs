using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Depthwise convolution entry points: each a call of the runtime's DepthwiseKernels with the
/// layer's constant geometry, weight and bias slices and fused activation. The work is one
/// multiply-add per output channel and tap, memory-bound, so the kernel runs vectorised over
/// whole rows of channels and applies the activation to each output pixel while it is in L1
/// (training calls the same entry with <c>activate: false</c>).
/// </summary>
internal static class DepthwiseEmitter
{
    /// <summary><c>new DepthwiseGeometry(...)</c> for <paramref name="l"/> (its Window; <paramref name="input"/> is the depthwise input).</summary>
    public static string Geometry(LayerPlan l, Shape input, Shape output, int multiplier) =>
        $"new DepthwiseGeometry({I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(multiplier)}, {I(output.Height)}, {I(output.Width)}, "
        + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {I(l.PadTop)}, {I(l.PadLeft)})";

    /// <summary>The forward entry <paramref name="methodName"/> (default: the layer's kernel name), reading the weights and bias at <paramref name="l"/>'s offsets.</summary>
    public static void Emit(IndentedTextWriter w, LayerPlan l, int multiplier, string? methodName = null, string? comment = null)
    {
        bool optional = Conv2DEmitter.OptionalActivation(l, methodName);
        w.WriteLine(comment ?? ShapeComment(l));
        using (w.WriteBlock($"public static void {methodName ?? MethodName(l)}({Conv2DEmitter.Parameters}{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            string activation = optional ? $"activate ? {RuntimeActivation(l.Activation)} : {RuntimeActivation(ActivationKind.Linear)}" : RuntimeActivation(l.Activation);
            w.WriteLine($"// weights [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{multiplier}]{(l.UseBias ? $", bias [{l.Output.Channels}]" : "")}");
            w.WriteLine($"DepthwiseKernels.Forward(input.Slice(0, {Arithmetic.Times("batch", l.Input.Length)}), parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {Bias(l)}, "
                + $"output.Slice(0, {Arithmetic.Times("batch", l.Output.Length)}), batch, {Geometry(l, l.Input, l.Output, multiplier)}, {activation}, {Literal.Float(l.Alpha)});");
        }
    }

    private static string Bias(LayerPlan l) => l.UseBias ? $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
}
