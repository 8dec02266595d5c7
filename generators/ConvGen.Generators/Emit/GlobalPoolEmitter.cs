using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>Global max / average over all positions: [H,W,C] to [C], vectorised over channels.</summary>
internal static class GlobalPoolEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        bool max = l.Kind == LayerKind.GlobalMaxPool2D;
        int positions = l.Input.Height * l.Input.Width;
        int channels = l.Input.Channels;
        w.WriteLine(ShapeComment(l));
        using (w.WriteBlock($"public static void {MethodName(l)}(ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.GlobalPool2D({(max ? "true" : "false")}, input.Slice(0, batch * {I(l.Input.Length)}), output.Slice(0, batch * {I(channels)}), batch, {I(positions)}, {I(channels)});");
                w.WriteLine("return;");
            }
            w.WriteLine();
            string scale = Literal.Float(1.0 / positions);
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * {I(l.Input.Length)});");
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * {I(channels)});");
                foreach (var block in ChannelBlock.Split(channels))
                {
                    string Offset(int k) => block.Repeat > 1 ? (k == 0 ? "cb" : $"cb + {I(k)}") : I(block.Start + k);
                    using (w.WriteBlock(block.Repeat > 1
                        ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
                        : ""))
                    {
                        for (int v = 0; v < block.Vectors; v++)
                        {
                            w.WriteLine($"Vector256<float> acc{v} = {(max ? "Vector256.Create(float.NegativeInfinity)" : "Vector256<float>.Zero")};");
                        }
                        for (int s = 0; s < block.Scalars; s++)
                        {
                            w.WriteLine($"float acc{s} = {(max ? "float.NegativeInfinity" : "0f")};");
                        }
                        using (w.WriteBlock($"for (int p = 0; p < {I(positions)}; p++)"))
                        {
                            w.WriteLine($"ref float xp = ref Unsafe.Add(ref x, p * {I(channels)});");
                            for (int v = 0; v < block.Vectors; v++)
                            {
                                string load = $"Vector256.LoadUnsafe(ref xp, {NUInt(Offset(v * 8))})";
                                w.WriteLine(max ? $"acc{v} = Vector256.Max(acc{v}, {load});" : $"acc{v} += {load};");
                            }
                            for (int s = 0; s < block.Scalars; s++)
                            {
                                string load = $"Unsafe.Add(ref xp, {Offset(s)})";
                                w.WriteLine(max ? $"acc{s} = MathF.Max(acc{s}, {load});" : $"acc{s} += {load};");
                            }
                        }
                        for (int v = 0; v < block.Vectors; v++)
                        {
                            w.WriteLine($"Vector256.StoreUnsafe({(max ? $"acc{v}" : $"acc{v} * {scale}")}, ref y, {NUInt(Offset(v * 8))});");
                        }
                        for (int s = 0; s < block.Scalars; s++)
                        {
                            w.WriteLine($"Unsafe.Add(ref y, {Offset(s)}) = {(max ? $"acc{s}" : $"acc{s} * {scale}")};");
                        }
                    }
                }
            }
        }
    }
}
