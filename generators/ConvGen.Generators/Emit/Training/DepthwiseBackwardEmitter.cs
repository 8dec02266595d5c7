using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Depthwise;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Depthwise convolution gradients: entry points with the layer's slices that call the
/// catalogue's bodies (<see cref="DepthwiseWeightGradientKernel"/>, which accumulates like the
/// other kinds' weight gradients, and <see cref="DepthwiseInputGradientKernel"/>, which
/// overwrites), or the runtime's DepthwiseKernels without vector hardware.
/// </summary>
internal static class DepthwiseBackwardEmitter
{
    public static void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, int multiplier, KernelCatalog catalog, string? name = null)
    {
        name ??= TrainingMembersEmitter.WeightGradientName(l);
        string input = $"input.Slice(0, {Arithmetic.Times("batch", l.Input.Length)})";
        string outputGradient = $"outputGradient.Slice(0, {Arithmetic.Times("batch", l.Output.Length)})";
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' weight gradient  x {l.Input}, dz {l.Output} -> dW [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{multiplier}]{(l.UseBias ? $", db [{l.Output.Channels}]" : "")}");
        using (OpenEntryPoint(w, $"public static void {name}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                string biasGradient = l.UseBias ? $"gradients.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
                w.WriteLine($"DepthwiseKernels.WeightGradient({input}, {outputGradient}, gradients.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {biasGradient}, batch, {DepthwiseEmitter.Geometry(l, l.Input, l.Output, multiplier)});");
                w.WriteLine("return;");
            }
            var key = (VectorWidth width) => new DepthwiseWeightGradientKernel(DepthwiseShape.Of(l, multiplier), l.UseBias, width);
            w.WriteLine($"Span<float> weightGradient = gradients.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}); // [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{multiplier}]");
            if (l.UseBias)
            {
                w.WriteLine($"Span<float> biasGradient = gradients.Slice({I(l.BiasOffset)}, {I(l.BiasCount)});");
            }
            string bias = l.UseBias ? ", ref MemoryMarshal.GetReference(biasGradient)" : "";
            ChannelBlocks.WriteDispatch(w, DepthwiseBlock.HasVector512(l.Output.Channels), width =>
                $"{catalog.Require(key(width), name)}({input}, {outputGradient}, ref MemoryMarshal.GetReference(weightGradient){bias}, batch)");
        }
    }

    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l, int multiplier, KernelCatalog catalog, string? name = null)
    {
        name ??= TrainingMembersEmitter.InputGradientName(l);
        string outputGradient = $"outputGradient.Slice(0, {Arithmetic.Times("batch", l.Output.Length)})";
        string inputGradient = $"inputGradient.Slice(0, {Arithmetic.Times("batch", l.Input.Length)})";
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}");
        using (OpenEntryPoint(w, $"public static void {name}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"DepthwiseKernels.InputGradient(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {outputGradient}, {inputGradient}, batch, {DepthwiseEmitter.Geometry(l, l.Input, l.Output, multiplier)});");
                w.WriteLine("return;");
            }
            w.WriteLine($"ref float weights = ref {DepthwiseEmitter.ParameterRef(l.WeightOffset)}; // [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{multiplier}]");
            var shape = DepthwiseShape.Of(l, multiplier);
            ChannelBlocks.WriteDispatch(w, DepthwiseBlock.HasVector512(l.Output.Channels), width =>
                $"{catalog.Require(new DepthwiseInputGradientKernel(shape, width), name)}(ref weights, {outputGradient}, {inputGradient}, batch)");
        }
    }
}
