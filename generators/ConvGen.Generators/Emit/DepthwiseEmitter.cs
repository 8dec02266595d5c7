using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Depthwise;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Depthwise convolution entry points: the layer's weight and bias slices, the epilogue type
/// for its bias and fused activation, and the call of the catalogue's body
/// (<see cref="DepthwiseForwardKernel"/>) for the widest vector the CPU has; training calls the
/// same entry with <c>activate: false</c>. Without vector hardware it calls the runtime's
/// DepthwiseKernels with the layer's constant geometry.
/// </summary>
internal static class DepthwiseEmitter
{
    /// <summary><c>new DepthwiseGeometry(...)</c> for <paramref name="l"/> (its Window; <paramref name="input"/> is the depthwise input).</summary>
    public static string Geometry(LayerPlan l, Shape input, Shape output, int multiplier) =>
        $"new DepthwiseGeometry({I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(multiplier)}, {I(output.Height)}, {I(output.Width)}, "
        + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {I(l.PadTop)}, {I(l.PadLeft)})";

    /// <summary>The forward entry <paramref name="methodName"/> (default: the layer's kernel name), reading the weights and bias at <paramref name="l"/>'s offsets.</summary>
    /// <remarks>With a <paramref name="foldedOffset"/> (not -1), the inference entry with the BatchNorm after the layer folded into its store, as <see cref="Conv2DEmitter.Emit"/>.</remarks>
    public static void Emit(IndentedTextWriter w, LayerPlan l, int multiplier, KernelCatalog catalog, string? methodName = null, string? comment = null, int foldedOffset = -1)
    {
        bool scaled = foldedOffset >= 0;
        string name = methodName ?? MethodName(l);
        bool optional = Conv2DEmitter.OptionalActivation(l, methodName);
        var fused = IsFused(l.Activation) ? l.Activation : ActivationKind.Linear;
        string epilogue = catalog.RequireEpilogue(l.UseBias, fused, l.Alpha, name, scaled);
        string? linearEpilogue = optional && fused != ActivationKind.Linear ? catalog.RequireEpilogue(l.UseBias, ActivationKind.Linear, l.Alpha, name) : null;
        var shape = DepthwiseShape.Of(l, multiplier);
        string input = $"input.Slice(0, {Arithmetic.Times("rows.Batch", l.Input.Length)})";
        string output = $"output.Slice(0, {Arithmetic.Times("rows.Batch", l.Output.Length)})";
        w.WriteLine(comment ?? ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {name}({(scaled ? BatchNormFolding.Parameters : Conv2DEmitter.SplitParameters)}{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                string activation = optional ? $"activate ? {RuntimeActivation(l.Activation)} : {RuntimeActivation(ActivationKind.Linear)}" : RuntimeActivation(l.Activation);
                w.WriteLine($"DepthwiseKernels.Forward({input}, parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), {(scaled ? "default" : Bias(l))}, "
                    + $"{output}, rows.Batch, {Geometry(l, l.Input, l.Output, multiplier)}, {(scaled ? RuntimeActivation(ActivationKind.Linear) : activation)}, {Literal.Float(l.Alpha)});");
                if (scaled)
                {
                    // The BatchNorm, then the activation it took over, as passes over the output.
                    BatchNormFolding.WriteScaleShiftPass(w, output, foldedOffset, l.Output.Channels);
                    Conv2DEmitter.EmitActivationPass(w, l, all: true, optional: false, batch: "rows.Batch");
                }
                w.WriteLine("return;");
            }
            w.WriteLine($"ref float weights = ref {ParameterRef(l.WeightOffset)}; // [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{multiplier}]: a row of {l.Output.Channels} output channels per tap");
            w.WriteLine(scaled ? BatchNormFolding.ScaleShiftRef(foldedOffset, l.Output.Channels)
                : l.UseBias ? $"ref float bias = ref {ParameterRef(l.BiasOffset)}; // [{l.Output.Channels}]" : "ref float bias = ref Unsafe.NullRef<float>(); // no bias: the epilogue never reads it");
            string Body(VectorWidth width, string tail) => $"{catalog.Require(new DepthwiseForwardKernel(shape, width, scaled), name)}<{tail}>(ref weights, ref bias, {input}, {output}, rows)";
            if (linearEpilogue is not null)
            {
                using (w.WriteBlock("if (!activate)"))
                {
                    ChannelBlocks.WriteDispatch(w, DepthwiseBlock.HasVector512(l.Output.Channels), width => Body(width, linearEpilogue));
                    w.WriteLine("return;");
                }
            }
            ChannelBlocks.WriteDispatch(w, DepthwiseBlock.HasVector512(l.Output.Channels), width => Body(width, epilogue));
            Conv2DEmitter.EmitActivationPass(w, l, all: false, optional, batch: "rows.Batch");
        }
    }

    /// <summary><c>MemoryMarshal.GetReference(parameters)</c> moved to <paramref name="offset"/>.</summary>
    public static string ParameterRef(int offset, string parameters = "parameters") => offset == 0
        ? $"MemoryMarshal.GetReference({parameters})"
        : $"Unsafe.Add(ref MemoryMarshal.GetReference({parameters}), {I(offset)})";

    private static string Bias(LayerPlan l) => l.UseBias ? $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})" : "default";
}
