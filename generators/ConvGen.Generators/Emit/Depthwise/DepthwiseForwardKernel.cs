using System.Collections.Generic;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// Depthwise forward body for one shape and vector width: output channels in the vector lanes,
/// taps unrolled with literal offsets, bounds checks only on the border pixels, whose taps
/// padding can put outside the input. Per output row and channel vector the weights (one vector
/// per tap) are loaded once and held in registers across the row's pixels, and the interior
/// pixels are tiles of neighbours that share their input loads (<see cref="DepthwiseRows"/>):
/// the layer is memory-bound, and the body reads each input and writes each output about once.
/// Channels fewer than a vector, and windows too large to unroll, take the pixel-by-pixel walk
/// below. The bias (or zero) is the start value and the fused activation runs on
/// the accumulators before the store (the <see cref="Epilogue"/> type argument), so a folded
/// BatchNorm and a Relu6 or HardSwish after it cost no pass of their own. A <see cref="Scaled"/>
/// body applies a folded BatchNorm's scale and shift in the store (its bias ref points at the scales,
/// as in <see cref="ConvForwardKernel.Scaled"/>).
/// </summary>
internal sealed record DepthwiseForwardKernel(DepthwiseShape Shape, VectorWidth Width, bool Scaled = false) : KernelKey
{
    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"depthwise convolution {Shape}, {Width.Name}" + (Scaled ? ", the folded BatchNorm's scale and shift in the store" : "");

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape.Window;
        int c = Shape.Channels;
        using (w.WriteBlock($"private static void {name}<TEpilogue>(ref float weights, ref float bias, ReadOnlySpan<float> input, Span<float> output, {RowShares.Parameter}) where TEpilogue : struct, {(Scaled ? ScaledEpilogueContract.Name : EpilogueContract.Name)}"))
        {
            RepeatedChannels.EmitRent(w, Shape);
            using (RowShares.OpenSamples(w, l.Output.Height))
            {
                RepeatedChannels.EmitSample(w, Shape);
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), {Times("n", l.Output.Length)});");
                if (DepthwiseRows.Applies(l, Width))
                {
                    string start = $"TEpilogue.HasBias ? {Width.Name}.LoadUnsafe(ref bias, (nuint)(cb)) : {Width.Type}.Zero";
                    new DepthwiseRows(l, Width, "x", "y", t => t, start, a => ChannelBlocks.Epilogue(a, Scaled ? "" : null)) { RowLoop = RowShares.RowLoop(l.Output.Height), ScaleShift = Scaled }.Emit(w);
                }
                else
                {
                    EmitPixels(w);
                }
            }
            RepeatedChannels.EmitReturn(w, Shape);
        }
    }

    /// <summary>Pixel by pixel, in the channel blocks of <see cref="DepthwiseBlock.Split"/>.</summary>
    private void EmitPixels(IndentedTextWriter w)
    {
        var l = Shape.Window;
        int c = Shape.Channels;
        using (w.WriteBlock(RowShares.RowLoop(l.Output.Height)))
        {
            w.WriteLine($"ref float row = ref {At("y", Times("oy", (long)l.Output.Width * c))};");
            var blocks = DepthwiseBlock.Split(c, l.Taps, Width);
            foreach (var block in blocks)
            {
                w.WriteLine(block.Describe("output channels"));
                using (ChannelBlocks.Open(w, block.Block, alone: blocks.Count == 1))
                {
                    EmitBlock(w, block);
                }
            }
        }
    }

    private void EmitBlock(IndentedTextWriter w, DepthwiseBlock block)
    {
        var l = Shape.Window;
        int c = Shape.Channels;
        var b = block.Block;
        string v = Width.Name;
        bool held = DepthwiseBlock.HoldsWeights(b, l.Taps);
        if (held)
        {
            for (int t = 0; t < l.Taps; t++)
            {
                for (int j = 0; j < b.Vectors; j++)
                {
                    w.WriteLine($"{Width.Type} w{t}_{j} = {block.Load("weights", I((long)t * c), j)};");
                }
            }
        }
        if (Scaled)
        {
            ChannelBlocks.DeclareScaleShift(w, b, c);
        }
        using (w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++)"))
        {
            for (int j = 0; j < b.Vectors; j++)
            {
                w.WriteLine($"{Width.Type} a{j} = TEpilogue.HasBias ? {block.Load("bias", "", j)} : {Width.Type}.Zero;");
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"float a{s} = TEpilogue.HasBias ? {block.Scalar("bias", "", s)} : 0f;");
            }
            DepthwiseTaps.Emit(w, l, (tap, source, at) =>
            {
                var statements = new List<string>();
                for (int j = 0; j < b.Vectors; j++)
                {
                    string weight = held ? $"w{tap}_{j}" : block.Load("weights", Times(tap, c), j);
                    statements.Add($"a{j} = {v}.MultiplyAddEstimate({block.Load(source, at, j)}, {weight}, a{j});");
                }
                for (int s = 0; s < b.Scalars; s++)
                {
                    statements.Add($"a{s} += {block.Scalar(source, at, s)} * {block.Scalar("weights", Times(tap, c), s)};");
                }
                return statements;
            });
            w.WriteLine($"ref float pixel = ref {At("row", Times("ox", c))};");
            for (int j = 0; j < b.Vectors; j++)
            {
                w.WriteLine($"{ChannelBlocks.Epilogue($"a{j}", j, Scaled)}.StoreUnsafe(ref pixel{VectorOffset(block.Offset("", j))});");
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"{block.Scalar("pixel", "", s)} = {ChannelBlocks.Epilogue($"a{s}", s, Scaled)};");
            }
        }
    }
}
