using System;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// A convolution's entry point: the layer's parameter offsets, bias and activation, the scalar
/// fallback, and the call of the shared body (<see cref="ConvForwardKernel"/>) for the widest
/// vector the CPU has. Every use of a convolution (the fused forward, training's linear
/// forward, inference with BatchNorm folded in, the input gradient as a convolution) is one of
/// these entry points over the same body, which differs only in its epilogue type argument.
/// </summary>
internal static class Conv2DEmitter
{
    public const string Parameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch";

    /// <summary>Writes entry point <paramref name="methodName"/> (default: the layer's kernel name) for <paramref name="l"/> as given.</summary>
    public static void Emit(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? methodName = null, string? comment = null)
    {
        var input = l.Input;
        var output = l.Output;
        string name = methodName ?? MethodName(l);
        var shape = WindowShape.Of(l);
        string epilogue = catalog.RequireEpilogue(l.UseBias, IsFused(l.Activation) ? l.Activation : Model.ActivationKind.Linear, l.Alpha, name);
        w.WriteLine(comment ?? ShapeComment(l));
        using (w.WriteBlock($"public static void {name}({Parameters})"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.Conv2D(input.Slice(0, {Arithmetic.Times("batch", input.Length)}), parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), "
                    + $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)}), output.Slice(0, {Arithmetic.Times("batch", output.Length)}), batch, "
                    + $"{I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(output.Height)}, {I(output.Width)}, {I(output.Channels)}, "
                    + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {I(l.PadTop)}, {I(l.PadLeft)});");
                EmitActivationPass(w, l, all: true);
                w.WriteLine("return;");
            }
            w.WriteLine($"ref float weights = ref {ParameterRef(l.WeightOffset)}; // HWIO [{l.KernelHeight},{l.KernelWidth},{input.Channels},{output.Channels}]");
            w.WriteLine(l.UseBias ? $"ref float bias = ref {ParameterRef(l.BiasOffset)}; // [{output.Channels}]" : "ref float bias = ref Unsafe.NullRef<float>(); // no bias: the epilogue never reads it");
            ChannelBlocks.WriteDispatch(w, output.Channels,
                width => $"{catalog.Require(new ConvForwardKernel(shape, width), name)}<{epilogue}>(ref weights, ref bias, input, output, batch)");
            EmitActivationPass(w, l, all: false);
        }
    }

    private static string ParameterRef(int offset) => offset == 0
        ? "MemoryMarshal.GetReference(parameters)"
        : $"Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(offset)})";

    /// <summary>Runs the activations that are not fused (all of them on the scalar fallback path).</summary>
    public static void EmitActivationPass(IndentedTextWriter w, LayerPlan l, bool all)
    {
        if (l.Activation == Model.ActivationKind.Linear || (!all && IsFused(l.Activation)))
        {
            return;
        }
        w.WriteLine($"ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, output.Slice(0, {Arithmetic.Times("batch", l.Output.Length)}), {I(l.Output.Channels)});");
    }
}
