using ConvGen.Generators.Helpers;
using ConvGen.Generators.Shapes;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Dense gradients. Weight gradient: each IO row block stays in registers while the loop runs
/// over the batch (one load and store per row instead of one per sample). Input gradient: a
/// dot product of each weight row with the sample's output gradient, both contiguous.
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
            w.WriteLine($"ref float weightGradient = ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), {I(l.WeightOffset)});");
            w.WriteLine("ref float x = ref MemoryMarshal.GetReference(input);");
            w.WriteLine("ref float dz = ref MemoryMarshal.GetReference(outputGradient);");
            if (l.UseBias)
            {
                w.WriteLine($"Span<float> biasGradient = gradients.Slice({I(l.BiasOffset)}, {I(units)});");
                using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
                {
                    w.WriteLine($"VectorMath.AddInPlace(biasGradient, outputGradient.Slice(n * {I(units)}, {I(units)}));");
                }
            }
            foreach (var block in ChannelBlock.Split(units))
            {
                string cg = block.Repeat > 1 ? "cb" : I(block.Start);
                using (w.WriteBlock(block.Repeat > 1
                    ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
                    : ""))
                using (w.WriteBlock($"for (int i = 0; i < {I(inputs)}; i++)"))
                {
                    w.WriteLine($"ref float row = ref Unsafe.Add(ref weightGradient, i * {I(units)} + {cg});");
                    for (int v = 0; v < block.Vectors; v++)
                    {
                        w.WriteLine($"Vector256<float> acc{v} = Vector256.LoadUnsafe(ref row, {I(v * 8)});");
                    }
                    for (int s = 0; s < block.Scalars; s++)
                    {
                        w.WriteLine($"float acc{s} = Unsafe.Add(ref row, {I(s)});");
                    }
                    using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
                    {
                        w.WriteLine($"ref float g = ref Unsafe.Add(ref dz, n * {I(units)} + {cg});");
                        if (block.Vectors > 0)
                        {
                            w.WriteLine($"Vector256<float> xv = Vector256.Create(Unsafe.Add(ref x, n * {I(inputs)} + i));");
                            for (int v = 0; v < block.Vectors; v++)
                            {
                                w.WriteLine($"acc{v} = Vector256.MultiplyAddEstimate(xv, Vector256.LoadUnsafe(ref g, {I(v * 8)}), acc{v});");
                            }
                        }
                        else
                        {
                            w.WriteLine($"float xs = Unsafe.Add(ref x, n * {I(inputs)} + i);");
                            for (int s = 0; s < block.Scalars; s++)
                            {
                                w.WriteLine($"acc{s} += xs * Unsafe.Add(ref g, {I(s)});");
                            }
                        }
                    }
                    for (int v = 0; v < block.Vectors; v++)
                    {
                        w.WriteLine($"Vector256.StoreUnsafe(acc{v}, ref row, {I(v * 8)});");
                    }
                    for (int s = 0; s < block.Scalars; s++)
                    {
                        w.WriteLine($"Unsafe.Add(ref row, {I(s)}) = acc{s};");
                    }
                }
            }
        }
    }

    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l)
    {
        int inputs = l.Input.Channels;
        int units = l.Output.Channels;
        w.WriteLine($"// layer {l.Index}: Dense '{l.Name}' input gradient  dz [{units}] -> dx [{inputs}]");
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.InputGradientName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            w.WriteLine($"ReadOnlySpan<float> weights = parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}); // [{inputs},{units}]");
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ReadOnlySpan<float> g = outputGradient.Slice(n * {I(units)}, {I(units)});");
                w.WriteLine($"Span<float> dx = inputGradient.Slice(n * {I(inputs)}, {I(inputs)});");
                using (w.WriteBlock($"for (int i = 0; i < {I(inputs)}; i++)"))
                {
                    w.WriteLine($"dx[i] = VectorMath.Dot(weights.Slice(i * {I(units)}, {I(units)}), g);");
                }
            }
        }
    }
}
