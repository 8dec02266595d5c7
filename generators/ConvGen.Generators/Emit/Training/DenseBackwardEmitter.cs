using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Dense gradients, both as register-tiled GEMMs over the batch in the runtime (DenseKernels):
/// the weight gradient keeps a 4-row x 4-vector block of dW in registers while it runs over the
/// batch; the input gradient computes 4 samples x 4 inputs of dot products sharing their loads.
/// </summary>
internal static class DenseBackwardEmitter
{
    public static void EmitWeightGradient(IndentedTextWriter w, LayerPlan l)
    {
        int inputs = l.Input.Channels;
        int units = l.Output.Channels;
        w.WriteLine($"// layer {l.Index}: Dense '{l.Name}' weight gradient  x [{inputs}], dz [{units}] -> dW [{inputs},{units}]{(l.UseBias ? $", db [{units}]" : "")}");
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.WeightGradientName(l)}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch)"))
        {
            string biasGradient = l.UseBias ? $"gradients.Slice({I(l.BiasOffset)}, {I(units)})" : "default";
            w.WriteLine($"DenseKernels.WeightGradient(input.Slice(0, {Arithmetic.Times("batch", inputs)}), outputGradient.Slice(0, {Arithmetic.Times("batch", units)}), "
                + $"gradients.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {biasGradient}, batch, {I(inputs)}, {I(units)});");
        }
    }

    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l)
    {
        int inputs = l.Input.Channels;
        int units = l.Output.Channels;
        w.WriteLine($"// layer {l.Index}: Dense '{l.Name}' input gradient  dz [{units}] -> dx [{inputs}]");
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.InputGradientName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            w.WriteLine($"DenseKernels.InputGradient(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), outputGradient.Slice(0, {Arithmetic.Times("batch", units)}), "
                + $"inputGradient.Slice(0, {Arithmetic.Times("batch", inputs)}), batch, {I(inputs)}, {I(units)});");
        }
    }
}
