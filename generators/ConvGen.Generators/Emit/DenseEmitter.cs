using ConvGen.Generators.Helpers;
using ConvGen.Generators.Shapes;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Fully connected layer, IO weights: for each sample, blocks of up to 64 outputs live in
/// Vector256 accumulators while the loop walks the inputs, broadcasting one input at a time
/// against a contiguous row of weights. Bias and ReLU-family activations are applied in registers.
/// </summary>
internal static class DenseEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l, string? methodName = null)
    {
        int inputs = l.Input.Channels;
        int units = l.Output.Channels;
        w.WriteLine(ShapeComment(l));
        using (w.WriteBlock($"public static void {methodName ?? MethodName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.Dense(input.Slice(0, batch * {I(inputs)}), parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), "
                    + $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)}), output.Slice(0, batch * {I(units)}), batch, {I(inputs)}, {I(units)});");
                Conv2DEmitter.EmitActivationPass(w, l, all: true);
                w.WriteLine("return;");
            }
            w.WriteLine();
            w.WriteLine($"ref float weights = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.WeightOffset)}); // IO [{inputs},{units}]");
            if (l.UseBias)
            {
                w.WriteLine($"ref float bias = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.BiasOffset)}); // [{units}]");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * {I(inputs)});");
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * {I(units)});");
                foreach (var block in ChannelBlock.Split(units))
                {
                    EmitBlock(w, l, block, inputs, units);
                }
            }
            Conv2DEmitter.EmitActivationPass(w, l, all: false);
        }
    }

    private static void EmitBlock(IndentedTextWriter w, LayerPlan l, ChannelBlock block, int inputs, int units)
    {
        string Offset(int k) => block.Repeat > 1 ? (k == 0 ? "cb" : $"cb + {I(k)}") : I(block.Start + k);
        string cg = block.Repeat > 1 ? "cb" : I(block.Start);
        using (w.WriteBlock(block.Repeat > 1
            ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
            : ""))
        {
            w.WriteLine($"// units {(block.Repeat > 1 ? $"[cb, cb + {block.Width})" : $"[{block.Start}, {block.Start + block.Width})")}");
            for (int v = 0; v < block.Vectors; v++)
            {
                w.WriteLine($"Vector256<float> acc{v} = {(l.UseBias ? $"Vector256.LoadUnsafe(ref bias, {NUInt(Offset(v * 8))})" : "Vector256<float>.Zero")};");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"float acc{s} = {(l.UseBias ? $"Unsafe.Add(ref bias, {Offset(s)})" : "0f")};");
            }
            using (w.WriteBlock($"for (int i = 0; i < {I(inputs)}; i++)"))
            {
                w.WriteLine($"ref float wr = ref Unsafe.Add(ref weights, i * {I(units)} + {cg});");
                if (block.Vectors > 0)
                {
                    w.WriteLine("Vector256<float> xv = Vector256.Create(Unsafe.Add(ref x, i));");
                    for (int v = 0; v < block.Vectors; v++)
                    {
                        w.WriteLine($"acc{v} = Vector256.MultiplyAddEstimate(xv, Vector256.LoadUnsafe(ref wr, {I(v * 8)}), acc{v});");
                    }
                }
                else
                {
                    w.WriteLine("float xs = Unsafe.Add(ref x, i);");
                    for (int s = 0; s < block.Scalars; s++)
                    {
                        w.WriteLine($"acc{s} += xs * Unsafe.Add(ref wr, {I(s)});");
                    }
                }
            }
            for (int v = 0; v < block.Vectors; v++)
            {
                w.WriteLine($"Vector256.StoreUnsafe({VectorActivation(l.Activation, l.Alpha, $"acc{v}")}, ref y, {NUInt(Offset(v * 8))});");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"Unsafe.Add(ref y, {Offset(s)}) = {ScalarActivation(l.Activation, l.Alpha, $"acc{s}")};");
            }
        }
    }
}
