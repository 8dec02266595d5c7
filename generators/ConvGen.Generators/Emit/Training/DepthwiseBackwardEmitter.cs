using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Depthwise convolution gradients, each a call of the runtime's DepthwiseKernels over the batch
/// with the layer's constant geometry: the weight and bias gradients accumulate (like the other
/// kinds' weight gradients), the input gradient overwrites.
/// </summary>
internal static class DepthwiseBackwardEmitter
{
    public static void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, int multiplier, string? name = null)
    {
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' weight gradient  x {l.Input}, dz {l.Output} -> dW [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{multiplier}]{(l.UseBias ? $", db [{l.Output.Channels}]" : "")}");
        using (w.WriteBlock($"public static void {name ?? TrainingMembersEmitter.WeightGradientName(l)}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch)"))
        {
            string biasGradient = l.UseBias ? $"gradients.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
            w.WriteLine($"DepthwiseKernels.WeightGradient(input.Slice(0, {Arithmetic.Times("batch", l.Input.Length)}), outputGradient.Slice(0, {Arithmetic.Times("batch", l.Output.Length)}), "
                + $"gradients.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {biasGradient}, batch, {DepthwiseEmitter.Geometry(l, l.Input, l.Output, multiplier)});");
        }
    }

    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l, int multiplier, string? name = null)
    {
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}");
        using (w.WriteBlock($"public static void {name ?? TrainingMembersEmitter.InputGradientName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            w.WriteLine($"DepthwiseKernels.InputGradient(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), outputGradient.Slice(0, {Arithmetic.Times("batch", l.Output.Length)}), "
                + $"inputGradient.Slice(0, {Arithmetic.Times("batch", l.Input.Length)}), batch, {DepthwiseEmitter.Geometry(l, l.Input, l.Output, multiplier)});");
        }
    }
}
