using ConvGen.Generators.Helpers;
using ConvGen.Generators.Shapes;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Convolution gradients. Weight gradient: for each output pixel the output-gradient block sits
/// in registers and is multiplied into the HWIO gradient rows of every tap and input channel.
/// Input gradient: the kernel is transposed to [kh][kw][filters][in] so that the scatter into
/// the input gradient is vectorised over input channels, like a forward convolution.
/// </summary>
internal static class ConvBackwardEmitter
{
    public static void EmitWeightGradient(IndentedTextWriter w, LayerPlan l)
    {
        var input = l.Input;
        var output = l.Output;
        int cin = input.Channels;
        int cout = output.Channels;
        w.WriteLine($"// layer {l.Index}: Conv2D '{l.Name}' weight gradient  x {l.Input}, dz {l.Output} -> dW [{l.KernelHeight},{l.KernelWidth},{cin},{cout}]{(l.UseBias ? $", db [{cout}]" : "")}");
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.WeightGradientName(l)}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch)"))
        {
            w.WriteLine($"ref float weightGradient = ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), {I(l.WeightOffset)});");
            if (l.UseBias)
            {
                w.WriteLine($"ref float biasGradient = ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), {I(l.BiasOffset)});");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * {I(input.Length)});");
                w.WriteLine($"ref float dz = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), n * {I(output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref dz, (oy * {I(output.Width)} + ox) * {I(cout)});");
                    WindowLoops.EmitPixelOrigin(w, l);
                    foreach (var block in ChannelBlock.Split(cout))
                    {
                        string Offset(int k) => block.Repeat > 1 ? (k == 0 ? "cb" : $"cb + {I(k)}") : I(block.Start + k);
                        string cg = block.Repeat > 1 ? "cb" : I(block.Start);
                        using (w.WriteBlock(block.Repeat > 1
                            ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
                            : ""))
                        {
                            for (int v = 0; v < block.Vectors; v++)
                            {
                                w.WriteLine($"Vector256<float> g{v} = Vector256.LoadUnsafe(ref pixel, {NUInt(Offset(v * 8))});");
                                if (l.UseBias)
                                {
                                    w.WriteLine($"Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref biasGradient, {NUInt(Offset(v * 8))}) + g{v}, ref biasGradient, {NUInt(Offset(v * 8))});");
                                }
                            }
                            for (int s = 0; s < block.Scalars; s++)
                            {
                                w.WriteLine($"float g{s} = Unsafe.Add(ref pixel, {Offset(s)});");
                                if (l.UseBias)
                                {
                                    w.WriteLine($"Unsafe.Add(ref biasGradient, {Offset(s)}) += g{s};");
                                }
                            }
                            WindowLoops.EmitTaps(w, l, tap =>
                            {
                                w.WriteLine($"ref float wg = ref Unsafe.Add(ref weightGradient, ({tap}) * {I(cin * cout)} + {cg});");
                                using (w.WriteBlock($"for (int ci = 0; ci < {I(cin)}; ci++)"))
                                {
                                    w.WriteLine($"ref float row = ref Unsafe.Add(ref wg, ci * {I(cout)});");
                                    if (block.Vectors > 0)
                                    {
                                        w.WriteLine("Vector256<float> xv = Vector256.Create(Unsafe.Add(ref xp, ci));");
                                        for (int v = 0; v < block.Vectors; v++)
                                        {
                                            w.WriteLine($"Vector256.StoreUnsafe(Vector256.MultiplyAddEstimate(xv, g{v}, Vector256.LoadUnsafe(ref row, {I(v * 8)})), ref row, {I(v * 8)});");
                                        }
                                    }
                                    else
                                    {
                                        w.WriteLine("float xs = Unsafe.Add(ref xp, ci);");
                                        for (int s = 0; s < block.Scalars; s++)
                                        {
                                            w.WriteLine($"Unsafe.Add(ref row, {I(s)}) += xs * g{s};");
                                        }
                                    }
                                }
                            });
                        }
                    }
                }
            }
        }
    }

    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l)
    {
        var input = l.Input;
        var output = l.Output;
        int cin = input.Channels;
        int cout = output.Channels;
        int taps = l.KernelHeight * l.KernelWidth;
        w.WriteLine($"// layer {l.Index}: Conv2D '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}");
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.InputGradientName(l)}(ReadOnlySpan<float> parameters, Span<float> kernelTransposed, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            w.WriteLine($"ReadOnlySpan<float> kernel = parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}); // [{l.KernelHeight},{l.KernelWidth},{cin},{cout}]");
            using (w.WriteBlock($"for (int tap = 0; tap < {I(taps)}; tap++)"))
            using (w.WriteBlock($"for (int ci = 0; ci < {I(cin)}; ci++)"))
            using (w.WriteBlock($"for (int co = 0; co < {I(cout)}; co++)"))
            {
                w.WriteLine($"kernelTransposed[(tap * {I(cout)} + co) * {I(cin)} + ci] = kernel[(tap * {I(cin)} + ci) * {I(cout)} + co];");
            }
            w.WriteLine($"inputGradient.Slice(0, batch * {I(input.Length)}).Clear();");
            w.WriteLine("ref float weights = ref MemoryMarshal.GetReference(kernelTransposed);");
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float dx = ref Unsafe.Add(ref MemoryMarshal.GetReference(inputGradient), n * {I(input.Length)});");
                w.WriteLine($"ref float dz = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), n * {I(output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref dz, (oy * {I(output.Width)} + ox) * {I(cout)});");
                    WindowLoops.EmitPixelOrigin(w, l, "dx");
                    foreach (var block in ChannelBlock.Split(cin))
                    {
                        string Offset(int k) => block.Repeat > 1 ? (k == 0 ? "cb" : $"cb + {I(k)}") : I(block.Start + k);
                        string cg = block.Repeat > 1 ? "cb" : I(block.Start);
                        using (w.WriteBlock(block.Repeat > 1
                            ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
                            : ""))
                        {
                            WindowLoops.EmitTaps(w, l, tap =>
                            {
                                for (int v = 0; v < block.Vectors; v++)
                                {
                                    w.WriteLine($"Vector256<float> acc{v} = Vector256.LoadUnsafe(ref xp, {NUInt(Offset(v * 8))});");
                                }
                                for (int s = 0; s < block.Scalars; s++)
                                {
                                    w.WriteLine($"float acc{s} = Unsafe.Add(ref xp, {Offset(s)});");
                                }
                                w.WriteLine($"ref float wt = ref Unsafe.Add(ref weights, ({tap}) * {I(cin * cout)} + {cg});");
                                using (w.WriteBlock($"for (int co = 0; co < {I(cout)}; co++)"))
                                {
                                    w.WriteLine($"ref float row = ref Unsafe.Add(ref wt, co * {I(cin)});");
                                    if (block.Vectors > 0)
                                    {
                                        w.WriteLine("Vector256<float> gv = Vector256.Create(Unsafe.Add(ref pixel, co));");
                                        for (int v = 0; v < block.Vectors; v++)
                                        {
                                            w.WriteLine($"acc{v} = Vector256.MultiplyAddEstimate(gv, Vector256.LoadUnsafe(ref row, {I(v * 8)}), acc{v});");
                                        }
                                    }
                                    else
                                    {
                                        w.WriteLine("float gs = Unsafe.Add(ref pixel, co);");
                                        for (int s = 0; s < block.Scalars; s++)
                                        {
                                            w.WriteLine($"acc{s} += gs * Unsafe.Add(ref row, {I(s)});");
                                        }
                                    }
                                }
                                for (int v = 0; v < block.Vectors; v++)
                                {
                                    w.WriteLine($"Vector256.StoreUnsafe(acc{v}, ref xp, {NUInt(Offset(v * 8))});");
                                }
                                for (int s = 0; s < block.Scalars; s++)
                                {
                                    w.WriteLine($"Unsafe.Add(ref xp, {Offset(s)}) = acc{s};");
                                }
                            }, "dx");
                        }
                    }
                }
            }
        }
    }
}
