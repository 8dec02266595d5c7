using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Max and average pooling, vectorised over channels with the window unrolled. Padded cells
/// are skipped: they never win a max and are not counted in an average (TensorFlow's rule).
/// </summary>
internal static class PoolEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        bool max = l.Kind == LayerKind.MaxPool2D;
        bool padded = WindowLoops.IsPadded(l);
        var input = l.Input;
        var output = l.Output;
        w.WriteLine(ShapeComment(l));
        using (w.WriteBlock($"public static void {MethodName(l)}(ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.Pool2D({(max ? "true" : "false")}, input.Slice(0, batch * {I(input.Length)}), output.Slice(0, batch * {I(output.Length)}), batch, "
                    + $"{I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(output.Height)}, {I(output.Width)}, "
                    + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.PadTop)}, {I(l.PadLeft)});");
                w.WriteLine("return;");
            }
            w.WriteLine();
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), n * {I(input.Length)});");
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * {I(output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, (oy * {I(output.Width)} + ox) * {I(output.Channels)});");
                    WindowLoops.EmitPixelOrigin(w, l);
                    if (!max && padded)
                    {
                        // The divisor depends on how much of the window is inside the input.
                        w.WriteLine($"int rows = Math.Min(iy0 + {I(l.KernelHeight)}, {I(input.Height)}) - Math.Max(iy0, 0);");
                        w.WriteLine($"int cols = Math.Min(ix0 + {I(l.KernelWidth)}, {I(input.Width)}) - Math.Max(ix0, 0);");
                        w.WriteLine("float scale = 1f / (rows * cols);");
                    }
                    string scale = padded ? "scale" : Literal.Float(1.0 / (l.KernelHeight * l.KernelWidth));
                    foreach (var block in ChannelBlock.Split(output.Channels))
                    {
                        EmitBlock(w, l, block, max, scale);
                    }
                }
            }
        }
    }

    private static void EmitBlock(IndentedTextWriter w, LayerPlan l, ChannelBlock block, bool max, string scale)
    {
        string Offset(int k) => block.Repeat > 1 ? (k == 0 ? "cb" : $"cb + {I(k)}") : I(block.Start + k);
        using (w.WriteBlock(block.Repeat > 1
            ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})"
            : ""))
        {
            string vectorInit = max ? "Vector256.Create(float.NegativeInfinity)" : "Vector256<float>.Zero";
            string scalarInit = max ? "float.NegativeInfinity" : "0f";
            for (int v = 0; v < block.Vectors; v++)
            {
                w.WriteLine($"Vector256<float> acc{v} = {vectorInit};");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"float acc{s} = {scalarInit};");
            }
            WindowLoops.EmitTaps(w, l, _ =>
            {
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
            });
            for (int v = 0; v < block.Vectors; v++)
            {
                w.WriteLine($"Vector256.StoreUnsafe({(max ? $"acc{v}" : $"acc{v} * {scale}")}, ref pixel, {NUInt(Offset(v * 8))});");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"Unsafe.Add(ref pixel, {Offset(s)}) = {(max ? $"acc{s}" : $"acc{s} * {scale}")};");
            }
        }
    }
}
