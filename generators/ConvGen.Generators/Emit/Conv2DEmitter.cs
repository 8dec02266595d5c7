using ConvGen.Generators.Helpers;
using ConvGen.Generators.Shapes;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Direct convolution, NHWC input, HWIO weights. The register tile is one output pixel by a
/// block of output channels (up to 8 Vector256 accumulators, plus scalars for channels that do
/// not fill a vector); taps are unrolled, input channels are a loop (unrolled when few), and
/// bias and ReLU-family activations are applied in registers before the single store.
/// </summary>
internal static class Conv2DEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l, string? methodName = null)
    {
        var input = l.Input;
        var output = l.Output;
        w.WriteLine(ShapeComment(l));
        using (w.WriteBlock($"public static void {methodName ?? MethodName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.Conv2D(input.Slice(0, batch * {I(input.Length)}), parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), "
                    + $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)}), output.Slice(0, batch * {I(output.Length)}), batch, "
                    + $"{I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(output.Height)}, {I(output.Width)}, {I(output.Channels)}, "
                    + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {I(l.PadTop)}, {I(l.PadLeft)});");
                EmitActivationPass(w, l, all: true);
                w.WriteLine("return;");
            }
            w.WriteLine();
            w.WriteLine($"ref float weights = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.WeightOffset)}); // HWIO [{l.KernelHeight},{l.KernelWidth},{input.Channels},{output.Channels}]");
            if (l.UseBias)
            {
                w.WriteLine($"ref float bias = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.BiasOffset)}); // [{output.Channels}]");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * {I(input.Length)});");
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * {I(output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, (oy * {I(output.Width)} + ox) * {I(output.Channels)});");
                    WindowLoops.EmitPixelOrigin(w, l);
                    foreach (var block in ChannelBlock.Split(output.Channels))
                    {
                        EmitBlock(w, l, block);
                    }
                }
            }
            EmitActivationPass(w, l, all: false);
        }
    }

    private static void EmitBlock(IndentedTextWriter w, LayerPlan l, ChannelBlock block)
    {
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        string cg = block.Repeat > 1 ? "cb" : I(block.Start);
        string Offset(int k) => block.Repeat > 1 ? (k == 0 ? "cb" : $"cb + {I(k)}") : I(block.Start + k);
        using (w.WriteBlock(block.Repeat > 1
            ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
            : ""))
        {
            w.WriteLine($"// output channels {(block.Repeat > 1 ? $"[cb, cb + {block.Width})" : $"[{block.Start}, {block.Start + block.Width})")}: {(block.Vectors > 0 ? $"{block.Vectors} x Vector256" : $"{block.Scalars} scalar")} accumulators");
            for (int v = 0; v < block.Vectors; v++)
            {
                w.WriteLine($"Vector256<float> acc{v} = {(l.UseBias ? $"Vector256.LoadUnsafe(ref bias, {NUInt(Offset(v * 8))})" : "Vector256<float>.Zero")};");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"float acc{s} = {(l.UseBias ? $"Unsafe.Add(ref bias, {Offset(s)})" : "0f")};");
            }
            WindowLoops.EmitTaps(w, l, tap =>
            {
                w.WriteLine(int.TryParse(tap, out int t) && block.Repeat == 1
                    ? $"ref float wp = ref Unsafe.Add(ref weights, {I((long)t * cin * cout + block.Start)});"
                    : $"ref float wp = ref Unsafe.Add(ref weights, ({tap}) * {I(cin * cout)} + {cg});");
                if (cin <= 4)
                {
                    for (int ci = 0; ci < cin; ci++)
                    {
                        EmitMultiplyAdd(w, block, I(ci), I(ci * cout));
                    }
                }
                else
                {
                    using (w.WriteBlock($"for (int ci = 0; ci < {I(cin)}; ci++)"))
                    {
                        EmitMultiplyAdd(w, block, "ci", $"ci * {I(cout)}");
                    }
                }
            });
            for (int v = 0; v < block.Vectors; v++)
            {
                w.WriteLine($"Vector256.StoreUnsafe({VectorActivation(l.Activation, l.Alpha, $"acc{v}")}, ref pixel, {NUInt(Offset(v * 8))});");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"Unsafe.Add(ref pixel, {Offset(s)}) = {ScalarActivation(l.Activation, l.Alpha, $"acc{s}")};");
            }
        }
    }

    private static void EmitMultiplyAdd(IndentedTextWriter w, ChannelBlock block, string ci, string weightRow)
    {
        if (block.Vectors > 0)
        {
            w.WriteLine($"Vector256<float> xv{Suffix(ci)} = Vector256.Create(Unsafe.Add(ref xp, {ci}));");
            for (int v = 0; v < block.Vectors; v++)
            {
                string offset = int.TryParse(weightRow, out int row) ? I(row + v * 8) : $"(nuint)({weightRow} + {I(v * 8)})";
                w.WriteLine($"acc{v} = Vector256.MultiplyAddEstimate(xv{Suffix(ci)}, Vector256.LoadUnsafe(ref wp, {offset}), acc{v});");
            }
        }
        else
        {
            w.WriteLine($"float xs{Suffix(ci)} = Unsafe.Add(ref xp, {ci});");
            for (int s = 0; s < block.Scalars; s++)
            {
                string offset = int.TryParse(weightRow, out int row) ? I(row + s) : $"{weightRow} + {I(s)}";
                w.WriteLine($"acc{s} += xs{Suffix(ci)} * Unsafe.Add(ref wp, {offset});");
            }
        }
    }

    private static string Suffix(string ci) => ci == "ci" ? "" : ci;

    /// <summary>Runs the activations that are not fused (all of them on the scalar fallback path).</summary>
    public static void EmitActivationPass(IndentedTextWriter w, LayerPlan l, bool all)
    {
        if (l.Activation == Model.ActivationKind.Linear || (!all && IsFused(l.Activation)))
        {
            return;
        }
        w.WriteLine($"ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, output.Slice(0, batch * {I(l.Output.Length)}), {I(l.Output.Channels)});");
    }
}
