using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// Depthwise weight (and bias) gradient. When the taps' sums fit the registers beside a tile of
/// pixels, the tiled rows of <see cref="DepthwiseWeightGradientRows"/>; else (a large window, or
/// channels fewer than a vector) per sample and channel block, one accumulator per tap
/// and vector sums <c>input x outputGradient</c> over all the sample's output pixels in
/// registers, and is added to the gradient once at the end; each output-gradient vector is
/// loaded once per pixel and used for every tap. The channels that do not fill a vector are
/// one more vector ending at the last channel, with the lanes the block before already covers
/// masked to zero (they add nothing). A window too large for its accumulators to stay in
/// registers adds into the gradient tap by tap instead.
/// </summary>
internal sealed record DepthwiseWeightGradientKernel(DepthwiseShape Shape, bool Bias, VectorWidth Width) : Catalog.KernelKey
{
    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"depthwise weight gradient {Shape}{(Bias ? " with bias" : "")}, {Width.Name}";

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape.Window;
        using (w.WriteBlock($"private static void {name}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, ref float weightGradient{(Bias ? ", ref float biasGradient" : "")}, int batch)"))
        {
            RepeatedChannels.EmitRent(w, Shape);
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                RepeatedChannels.EmitSample(w, Shape);
                w.WriteLine($"ref float dy = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), {Times("n", l.Output.Length)});");
                if (DepthwiseWeightGradientRows.Applies(l, Width, Bias))
                {
                    new DepthwiseWeightGradientRows(l, Width, Bias).Emit(w);
                }
                else
                {
                    EmitBlocks(w);
                }
            }
            RepeatedChannels.EmitReturn(w, Shape);
        }
    }

    private void EmitBlocks(IndentedTextWriter w)
    {
        var blocks = DepthwiseBlock.Split(Shape.Channels, Shape.Taps, Width);
        foreach (var block in blocks)
        {
            w.WriteLine(block.Describe("channels"));
            using (ChannelBlocks.Open(w, block.Block, alone: blocks.Count == 1))
            {
                EmitBlock(w, block);
            }
        }
    }

    private void EmitBlock(IndentedTextWriter w, DepthwiseBlock block)
    {
        var l = Shape.Window;
        int c = Shape.Channels;
        var b = block.Block;
        string v = Width.Name;
        bool registers = DepthwiseBlock.HoldsWeights(b, l.Taps);
        if (block.Skip > 0)
        {
            w.WriteLine($"{Width.Type} mask = {v}.GreaterThanOrEqual({Width.Type}.Indices, {v}.Create({I(block.Skip)}f));");
        }
        if (registers)
        {
            for (int t = 0; t < l.Taps; t++)
            {
                w.WriteLine($"{Width.Type} {string.Join(", ", Enumerable(b.Vectors, j => $"g{t}_{j} = {Width.Type}.Zero"))};");
            }
        }
        if (Bias)
        {
            for (int j = 0; j < b.Vectors; j++)
            {
                w.WriteLine($"{Width.Type} gb{j} = {Width.Type}.Zero;");
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"float gb{s} = 0f;");
            }
        }
        using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
        using (w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++)"))
        {
            w.WriteLine($"ref float pixel = ref Unsafe.Add(ref dy, {Times(Sum(Times("oy", l.Output.Width), "ox"), c)});");
            for (int j = 0; j < b.Vectors; j++)
            {
                string load = block.Load("pixel", "", j);
                w.WriteLine($"{Width.Type} d{j} = {(block.Skip > 0 ? $"{load} & mask" : load)};");
                if (Bias)
                {
                    w.WriteLine($"gb{j} += d{j};");
                }
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"float d{s} = {block.Scalar("pixel", "", s)};");
                if (Bias)
                {
                    w.WriteLine($"gb{s} += d{s};");
                }
            }
            DepthwiseTaps.Emit(w, l, (tap, source, at) =>
            {
                var statements = new System.Collections.Generic.List<string>();
                for (int j = 0; j < b.Vectors; j++)
                {
                    if (registers)
                    {
                        statements.Add($"g{tap}_{j} = {v}.MultiplyAddEstimate({block.Load(source, at, j)}, d{j}, g{tap}_{j});");
                    }
                    else
                    {
                        string sum = VectorOffset(block.Offset(Times(tap, c), j));
                        statements.Add($"{v}.MultiplyAddEstimate({block.Load(source, at, j)}, d{j}, {v}.LoadUnsafe(ref weightGradient{sum})).StoreUnsafe(ref weightGradient{sum});");
                    }
                }
                for (int s = 0; s < b.Scalars; s++)
                {
                    statements.Add($"{block.Scalar("weightGradient", Times(tap, c), s)} += {block.Scalar(source, at, s)} * d{s};");
                }
                return statements;
            });
        }
        if (registers)
        {
            w.WriteLine("// add the sample's sums to the gradient");
            for (int t = 0; t < l.Taps; t++)
            {
                for (int j = 0; j < b.Vectors; j++)
                {
                    string at = VectorOffset(block.Offset(I((long)t * c), j));
                    w.WriteLine($"({v}.LoadUnsafe(ref weightGradient{at}) + g{t}_{j}).StoreUnsafe(ref weightGradient{at});");
                }
            }
        }
        if (Bias)
        {
            for (int j = 0; j < b.Vectors; j++)
            {
                string at = VectorOffset(block.Offset("", j));
                w.WriteLine($"({v}.LoadUnsafe(ref biasGradient{at}) + gb{j}).StoreUnsafe(ref biasGradient{at});");
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"{block.Scalar("biasGradient", "", s)} += gb{s};");
            }
        }
    }

    private static System.Collections.Generic.IEnumerable<string> Enumerable(int count, System.Func<int, string> item)
    {
        for (int i = 0; i < count; i++)
        {
            yield return item(i);
        }
    }
}
