using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// A convolution's entry point: the layer's parameter offsets, bias and activation, the scalar
/// fallback, and the call of the shared body (<see cref="ConvForwardKernel"/>) for the widest
/// vector the CPU has. Every use of a convolution (the fused forward, which training calls with
/// <c>activate: false</c> to keep the pre-activation, inference with BatchNorm folded in, the
/// input gradient as a convolution) is one of these entry points over the same body, which
/// differs only in its epilogue type argument.
/// </summary>
internal static class Conv2DEmitter
{
    public const string Parameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch";

    /// <summary>
    /// An entry point's signature and the names its body reads: the weights (and bias) from
    /// <paramref name="Weights"/>, the input and output spans; <paramref name="Prologue"/> runs first
    /// (the input gradient transposes the kernel there).
    /// </summary>
    /// <paramref name="Batch"/> is the batch size's expression and <paramref name="Rows"/> what the body gets: a layer's
    /// own entry takes <c>Rows rows</c> (inference may split its rows over threads, see <see cref="RowShares"/>), the others <c>int batch</c>.
    /// <paramref name="Winograd5x5"/> is the caller's own rule for F(2x2, 5x5) (the input gradient's,
    /// <see cref="Training.Winograd5x5InputGradientPlan"/>); null: <see cref="Winograd5x5Plan"/>'s.
    internal sealed record Entry(string Signature, string Weights, string Input, string Output, Action<IndentedTextWriter>? Prologue = null, string Batch = "batch", string Rows = "batch",
        bool? Winograd5x5 = null)
    {
        public static Entry Default(string name, bool optionalActivation) =>
            new($"public static void {name}({SplitParameters}{(optionalActivation ? ActivateParameter : "")})", "parameters", "input", "output", Batch: "rows.Batch", Rows: "rows");
    }

    /// <summary>The parameters of an entry whose rows inference splits over threads: <see cref="Parameters"/> with <c>Rows rows</c> for <c>int batch</c>.</summary>
    public const string SplitParameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, " + RowShares.Parameter;

    /// <summary>
    /// The last parameter of a layer's entry point when the layer has an activation: training calls
    /// the same entry with <c>activate: false</c> to keep the pre-activation (one entry, not a linear copy),
    /// or as it is for a ReLU, which keeps none (<see cref="Training.TrainingBufferPlan.StoresActivationInKernel"/>).
    /// </summary>
    public const string ActivateParameter = ", bool activate = true";

    /// <summary>
    /// Writes entry point <paramref name="methodName"/> (default: the layer's kernel name) for <paramref name="l"/> as given.
    /// With a <paramref name="foldedOffset"/> (not -1) it is the inference entry with the BatchNorm after
    /// the layer folded into its store (<see cref="BatchNormFolding"/>): it also takes the <c>folded</c> span,
    /// whose scales and shifts from that offset the scaled body applies instead of the bias.
    /// A <paramref name="residual"/> entry also takes <c>skip</c>, a residual Add's other summand, and stores
    /// that Add's sum with <paramref name="l"/>'s activation (<see cref="ResidualFolding"/>).
    /// </summary>
    public static void Emit(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? methodName = null, string? comment = null, Entry? entry = null, int foldedOffset = -1, bool residual = false)
    {
        bool scaled = foldedOffset >= 0;
        var input = l.Input;
        var output = l.Output;
        string name = methodName ?? MethodName(l);
        bool optional = OptionalActivation(l, methodName) && entry is null;
        var shape = WindowShape.Of(l);
        // A layer's own or folded entry takes the weights the network prepared (PreparedWeights), if its body reads them.
        bool winograd5x5 = entry?.Winograd5x5 ?? Winograd5x5Plan.Applies(l);
        var pictureWidths = winograd5x5 ? new List<VectorWidth>() : PreparedWeights.PictureWidths(shape).ToList();
        bool prepares = entry is null && (WinogradPlan.For(l, splitsRows: true) is not null || winograd5x5 || pictureWidths.Count > 0);
        string preparedParameter = prepares ? PreparedWeights.Parameter : "";
        entry ??= scaled
            ? new Entry($"public static void {name}({BatchNormFolding.Parameters}{preparedParameter})", "parameters", "input", "output", Batch: "rows.Batch", Rows: "rows")
            : Entry.Default(name, optional) with { Signature = $"public static void {name}({SplitParameters}{(optional ? ActivateParameter : "")}{preparedParameter})" };
        if (residual)
        {
            entry = entry with { Signature = entry.Signature.Replace(", Span<float> output", ", ReadOnlySpan<float> skip, Span<float> output") };
        }
        string x = entry.Input;
        string y = entry.Output;
        string p = entry.Weights;
        string? winograd = WinogradPlan.For(l, splitsRows: entry.Rows == "rows");
        if (residual && winograd5x5)
        {
            throw new InvalidOperationException("A residual store needs a direct, picture-plan or 3x3 Winograd body (ResidualFolding.Supports).");
        }
        string epilogue = winograd is null && !winograd5x5 ? catalog.RequireEpilogue(l.UseBias, IsFused(l.Activation) ? l.Activation : Model.ActivationKind.Linear, l.Alpha, name, scaled, residual) : "";
        string? linearEpilogue = winograd is null && !winograd5x5 && optional && IsFused(l.Activation) ? catalog.RequireEpilogue(l.UseBias, Model.ActivationKind.Linear, l.Alpha, name) : null;
        w.WriteLine(comment ?? ShapeComment(l));
        using (OpenEntryPoint(w, entry.Signature))
        {
            entry.Prologue?.Invoke(w);
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                string outputs = $"{y}.Slice(0, {Arithmetic.Times(entry.Batch, output.Length)})";
                w.WriteLine($"ScalarKernels.Conv2D({x}.Slice(0, {Arithmetic.Times(entry.Batch, input.Length)}), {p}.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), "
                    + $"{(scaled ? "default" : $"{p}.Slice({I(l.BiasOffset)}, {I(l.BiasCount)})")}, {outputs}, {entry.Batch}, "
                    + $"{I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(output.Height)}, {I(output.Width)}, {I(output.Channels)}, "
                    + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {I(l.PadTop)}, {I(l.PadLeft)});");
                if (scaled)
                {
                    BatchNormFolding.WriteScaleShiftPass(w, outputs, foldedOffset, output.Channels);
                }
                if (residual)
                {
                    w.WriteLine($"GraphKernels.Add({outputs}, skip.Slice(0, {Arithmetic.Times(entry.Batch, output.Length)}), {outputs});");
                }
                EmitActivationPass(w, l, all: true, optional, y, entry.Batch);
                w.WriteLine("return;");
            }
            if (winograd is not null)
            {
                WinogradPlan.WriteCall(w, l, winograd, entry, optional, prepares, foldedOffset, residual);
                EmitActivationPass(w, l, all: false, optional, y, entry.Batch);
                return;
            }
            if (winograd5x5)
            {
                Winograd5x5Plan.WriteCall(w, l, entry, optional, prepares, foldedOffset);
                EmitActivationPass(w, l, all: false, optional, y, entry.Batch);
                return;
            }
            bool rowPlan = pictureWidths.Count < (PixelLanes.Has512(shape) ? 2 : 1);
            if (rowPlan)
            {
                w.WriteLine($"ref float weights = ref {ParameterRef(p, l.WeightOffset)}; // HWIO [{l.KernelHeight},{l.KernelWidth},{input.Channels},{output.Channels}]");
            }
            if (pictureWidths.Count > 0)
            {
                // The picture plan's packed channel blocks: the caller's (prepared before the layers), or packed here once per call.
                w.WriteLine(prepares ? $"float[]? own = prepared.IsEmpty ? ArrayPool<float>.Shared.Rent({I(l.WeightCount)}) : null;" : $"float[] own = ArrayPool<float>.Shared.Rent({I(l.WeightCount)});");
                using (prepares ? w.WriteBlock("if (own is not null)") : (IDisposable?)null)
                {
                    PreparedWeights.WritePack(w, shape, $"{p}.Slice({I(l.WeightOffset)}, {I(l.WeightCount)})", $"own.AsSpan(0, {I(l.WeightCount)})", split: false);
                }
                w.WriteLine(prepares ? $"ref float packed = ref MemoryMarshal.GetReference(own is null ? prepared : own.AsSpan(0, {I(l.WeightCount)}));" : "ref float packed = ref MemoryMarshal.GetArrayDataReference(own);");
            }
            string giveBack = pictureWidths.Count == 0 ? "" : prepares ? "if (own is not null) ArrayPool<float>.Shared.Return(own);" : "ArrayPool<float>.Shared.Return(own);";
            w.WriteLine(scaled ? BatchNormFolding.ScaleShiftRef(foldedOffset, output.Channels)
                : l.UseBias ? $"ref float bias = ref {ParameterRef(p, l.BiasOffset)}; // [{output.Channels}]" : "ref float bias = ref Unsafe.NullRef<float>(); // no bias: the epilogue never reads it");
            string skip = residual ? "ref MemoryMarshal.GetReference(skip), " : "";
            string Body(VectorWidth width, string tail) => $"{catalog.Require(new ConvForwardKernel(shape, width, Scaled: scaled, Residual: residual), name)}<{tail}>(ref {(pictureWidths.Contains(width) ? "packed" : "weights")}, ref bias, {skip}{x}, {y}, {entry.Rows})";
            if (linearEpilogue is not null)
            {
                using (w.WriteBlock("if (!activate)"))
                {
                    PixelLanes.WriteDispatch(w, shape, width => Body(width, linearEpilogue));
                    if (giveBack.Length > 0)
                    {
                        w.WriteLine(giveBack);
                    }
                    w.WriteLine("return;");
                }
            }
            PixelLanes.WriteDispatch(w, shape, width => Body(width, epilogue));
            if (giveBack.Length > 0)
            {
                w.WriteLine(giveBack);
            }
            EmitActivationPass(w, l, all: false, optional, y, entry.Batch);
        }
    }

    private static string ParameterRef(string parameters, int offset) => offset == 0
        ? $"MemoryMarshal.GetReference({parameters})"
        : $"Unsafe.Add(ref MemoryMarshal.GetReference({parameters}), {I(offset)})";

    /// <summary>Whether the layer's own entry point (no other <paramref name="methodName"/>) takes <see cref="ActivateParameter"/>.</summary>
    public static bool OptionalActivation(LayerPlan l, string? methodName) => methodName is null && l.HasActivation;

    /// <summary>
    /// Runs the activations that are not fused (all of them on the scalar fallback path); only if <c>activate</c> when <paramref name="optional"/>.
    /// <paramref name="batch"/> is the batch size's expression: <c>rows.Batch</c> in an entry of <see cref="RowShares"/>.
    /// </summary>
    public static void EmitActivationPass(IndentedTextWriter w, LayerPlan l, bool all, bool optional, string output = "output", string batch = "batch")
    {
        if (l.Activation == Model.ActivationKind.Linear || (!all && IsFused(l.Activation)))
        {
            return;
        }
        // After a body of a row share (not on the scalar path, which inference never splits), only the share's rows.
        string target = !all && batch != "batch"
            ? $"rows.Slice({output}, {I(l.Output.Height)}, {I((long)l.Output.Width * l.Output.Channels)})"
            : $"{output}.Slice(0, {Arithmetic.Times(batch, l.Output.Length)})";
        w.WriteLine($"{(optional ? "if (activate) " : "")}ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, {target}, {I(l.Output.Channels)});");
    }
}
