using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Dense's input gradient, a register-tiled GEMM over the batch in the runtime (DenseKernels): 4
/// samples x 4 inputs of dot products sharing their loads. The weight gradient has no generated
/// entry: Backward calls the runtime through its chunks (DenseLayer.WeightGradientStatement).
/// </summary>
internal static class DenseBackwardEmitter
{
    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l)
    {
        int inputs = l.Input.Channels;
        int units = l.Output.Channels;
        w.WriteLine($"// layer {l.Index}: Dense '{l.Name}' input gradient  dz [{units}] -> dx [{inputs}]");
        // Through a Dropout's mask and a ReLU's derivative as it stores (LayerPlan.GradientMask): spans of the batch's part of them.
        string rows = Arithmetic.Times("batch", inputs);
        string gates = "", gateArguments = "";
        if (l.GradientMask >= 0 || l.GradientRelu >= 0)
        {
            gates = (l.GradientMask >= 0 ? ", ReadOnlySpan<float> mask" : "") + (l.GradientRelu >= 0 ? ", ReadOnlySpan<float> reluOutput" : "");
            gateArguments = (l.GradientMask >= 0 ? $", mask.Slice(0, {rows})" : ", default") + (l.GradientRelu >= 0 ? $", reluOutput.Slice(0, {rows})" : ", default");
        }
        using (OpenEntryPoint(w, $"public static void {TrainingMembersEmitter.InputGradientName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch{gates})"))
        {
            w.WriteLine($"DenseKernels.InputGradient(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), outputGradient.Slice(0, {Arithmetic.Times("batch", units)}), "
                + $"inputGradient.Slice(0, {rows}), batch, {I(inputs)}, {I(units)}{gateArguments});");
        }
    }
}
