using System;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Max and average pooling, windowed (<see cref="EmitWindow"/>) and global (<see cref="EmitGlobal"/>),
/// vectorised over channels (a tail of channels by vectors that overlap the ones before, see
/// <see cref="ChannelBlock.SplitStoring"/>): both reduce the cells a walk visits (<c>xp</c> at each cell) into one
/// accumulator per channel block (<see cref="EmitReduce"/>). Padded cells are skipped: they never
/// win a max and are not counted in an average (TensorFlow's rule).
/// </summary>
internal static class PoolEmitter
{
    public static void EmitWindow(IndentedTextWriter w, LayerPlan layer)
    {
        bool max = layer.Kind == LayerKind.MaxPool2D;
        var l = WindowShape.Of(layer);
        var input = l.Input;
        var output = l.Output;
        w.WriteLine(ShapeComment(layer));
        using (OpenEntryPoint(w, $"public static void {MethodName(layer)}(ReadOnlySpan<float> input, Span<float> output, Rows rows)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                // The scalar fallback pools the whole batch, on the lead thread of a split picture.
                w.WriteLine($"if (rows.Lead) ScalarKernels.Pool2D({(max ? "true" : "false")}, input.Slice(0, {Arithmetic.Times("rows.Batch", input.Length)}), output.Slice(0, {Arithmetic.Times("rows.Batch", output.Length)}), rows.Batch, "
                    + $"{I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(output.Height)}, {I(output.Width)}, "
                    + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.PadTop)}, {I(l.PadLeft)});");
                w.WriteLine("return;");
            }
            using (EmitSamples(w, input.Length, output.Length, $"rows.Samples({I(output.Height)})"))
            using (w.WriteBlock($"foreach (int oy in rows.Of(n, {I(output.Height)}))"))
            using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
            {
                w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {Arithmetic.Times(Arithmetic.Sum(Arithmetic.Times("oy", output.Width), "ox"), output.Channels)});");
                WindowLoops.EmitPixelOrigin(w, l);
                if (!max && l.IsPadded)
                {
                    // The divisor depends on how much of the window is inside the input.
                    w.WriteLine($"int inRows = Math.Min({Arithmetic.Plus("iy0", l.KernelHeight)}, {I(input.Height)}) - Math.Max(iy0, 0);");
                    w.WriteLine($"int inColumns = Math.Min({Arithmetic.Plus("ix0", l.KernelWidth)}, {I(input.Width)}) - Math.Max(ix0, 0);");
                    w.WriteLine("float scale = 1f / (inRows * inColumns);");
                }
                string scale = l.IsPadded ? "scale" : Literal.Float(1.0 / (l.KernelHeight * l.KernelWidth));
                EmitReduce(w, output.Channels, max, scale, "pixel", reduce => WindowLoops.EmitTaps(w, l, _ => reduce()));
            }
        }
    }

    /// <summary>Global max / average over all positions: [H,W,C] to [C].</summary>
    public static void EmitGlobal(IndentedTextWriter w, LayerPlan l)
    {
        bool max = l.Kind == LayerKind.GlobalMaxPool2D;
        int positions = l.Input.Height * l.Input.Width;
        int channels = l.Input.Channels;
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}(ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.GlobalPool2D({(max ? "true" : "false")}, input.Slice(0, {Arithmetic.Times("batch", l.Input.Length)}), output.Slice(0, {Arithmetic.Times("batch", channels)}), batch, {I(positions)}, {I(channels)});");
                w.WriteLine("return;");
            }
            using (EmitSamples(w, l.Input.Length, channels, samples: null))
            {
                EmitReduce(w, channels, max, Literal.Float(1.0 / positions), "y", reduce =>
                {
                    using (w.WriteBlock($"for (int p = 0; p < {I(positions)}; p++)"))
                    {
                        w.WriteLine($"ref float xp = ref Unsafe.Add(ref x, {Arithmetic.Times("p", channels)});");
                        reduce();
                    }
                });
            }
        }
    }

    /// <summary>The loop over samples (all of the batch, or <paramref name="samples"/>: a split picture's share), declaring <c>x</c> and <c>y</c>.</summary>
    private static IndentedTextWriter.Block EmitSamples(IndentedTextWriter w, long inputLength, long outputLength, string? samples)
    {
        var loop = w.WriteBlock(samples is null ? "for (int n = 0; n < batch; n++)" : $"foreach (int n in {samples})");
        w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), {Arithmetic.Times("n", inputLength)});");
        w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), {Arithmetic.Times("n", outputLength)});");
        return loop;
    }

    /// <summary>
    /// Per channel block: accumulators at the reduction's identity, <paramref name="walk"/> visits
    /// the cells (calling its argument at each, with <c>xp</c> at the cell), then the store into
    /// <paramref name="target"/>, scaled for an average.
    /// </summary>
    /// <remarks>
    /// A vector max is the processor's <c>MaxNative</c> (one instruction, where the IEEE <c>Max</c> takes
    /// eight on AVX2), which drops a NaN operand: an <c>ordered</c> mask per vector remembers whether
    /// every cell so far was a number, and a NaN cell makes the window's maximum NaN, as the IEEE max
    /// and the scalar path's <c>MathF.Max</c> do. Of +0 and -0 either may come out (they compare equal:
    /// the backward's search for the cell that holds the maximum finds the same cell).
    /// </remarks>
    private static void EmitReduce(IndentedTextWriter w, int channels, bool max, string scale, string target, Action<Action> walk)
    {
        int covered = 0;
        foreach (var block in ChannelBlock.SplitStoring(channels))
        {
            string v = block.Vector.Name;
            using (ChannelBlocks.Open(w, block))
            {
                if (block.Start < covered)
                {
                    w.WriteLine($"// channels {block.Range()} overlap the block before: its lanes there are stored again with the same values");
                }
                covered = block.Start + block.Repeat * block.Width;
                ChannelBlocks.Declare(w, block, "acc", _ => max ? $"{v}.Create(float.NegativeInfinity)" : $"{block.Vector.Type}.Zero", _ => max ? "float.NegativeInfinity" : "0f");
                if (max)
                {
                    for (int j = 0; j < block.Vectors; j++)
                    {
                        w.WriteLine($"{block.Vector.Type} ordered{j} = {block.Vector.Type}.AllBitsSet;");
                    }
                }
                walk(() => ChannelBlocks.Combine(w, block, "acc", "xp",
                    (acc, load) => max ? MaxOfCell(v, block.Vector.Type, acc, load) : $"{acc} += {load};",
                    (acc, load) => max ? $"{acc} = MathF.Max({acc}, {load});" : $"{acc} += {load};"));
                ChannelBlocks.Store(w, block, "acc", target, acc => max ? $"{acc} | ~{Ordered(acc)}" : $"{acc} * {scale}", acc => max ? acc : $"{acc} * {scale}");
            }
        }
    }

    /// <summary>One cell into a max accumulator: <c>MaxNative</c>, and the cell's lanes that are numbers kept in the accumulator's <c>ordered</c> mask.</summary>
    private static string MaxOfCell(string vector, string type, string acc, string load) =>
        $"{{ {type} cell = {load}; {acc} = {vector}.MaxNative({acc}, cell); {Ordered(acc)} &= {vector}.Equals(cell, cell); }}";

    /// <summary>The NaN mask of accumulator <c>acc{j}</c>: <c>ordered{j}</c>.</summary>
    private static string Ordered(string acc) => "ordered" + acc.Substring("acc".Length);
}
