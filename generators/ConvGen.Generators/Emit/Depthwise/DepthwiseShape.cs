using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// Everything a depthwise body depends on: the window (<see cref="Window"/>, whose input already
/// has the output's <c>channels x multiplier</c> channels, as the body reads it) and the
/// multiplier. With a multiplier above 1 each sample's channels are first repeated
/// <c>multiplier</c> times into a pooled buffer, so output channel <c>o</c> reads input lane
/// <c>o</c> and one channel-aligned body serves every multiplier.
/// </summary>
internal readonly record struct DepthwiseShape(WindowShape Window, int Multiplier)
{
    public static DepthwiseShape Of(LayerPlan l, int multiplier)
    {
        var window = WindowShape.Of(l);
        return new DepthwiseShape(window with { Input = Shape.Spatial(l.Input.Height, l.Input.Width, l.Output.Channels) }, multiplier);
    }

    /// <summary>Output channels, the lanes the body vectorises over.</summary>
    public int Channels => Window.Output.Channels;

    /// <summary>Channels of the layer's own input (before repetition).</summary>
    public int InputChannels => Channels / Multiplier;

    public int Taps => Window.Taps;

    /// <summary>Floats of one sample of the layer's input, as the caller passes it.</summary>
    public long InputLength => (long)Window.Input.Height * Window.Input.Width * InputChannels;

    public bool Repeats => Multiplier > 1;

    public override string ToString() =>
        $"[{Window.Input.Height},{Window.Input.Width},{InputChannels}] -> {Window.Output}, {Window.KernelHeight}x{Window.KernelWidth} s{Window.StrideHeight}x{Window.StrideWidth}"
        + (Window.DilationHeight == 1 && Window.DilationWidth == 1 ? "" : $" d{Window.DilationHeight}x{Window.DilationWidth}")
        + (Window.IsPadded ? $" pad {Window.PadTop},{Window.PadBottom},{Window.PadLeft},{Window.PadRight}" : "")
        + (Repeats ? $" x{Multiplier}" : "");
}

/// <summary>
/// How the depthwise bodies split the channels: blocks of whole vectors (as many per block as
/// leave registers for the block's weights, one vector per tap), and for channels that do not
/// fill a vector, one more vector that ends at the last channel and overlaps the block before it.
/// A forward or input-gradient body computes the overlapped lanes again and stores the same
/// values; a weight-gradient body masks them out (<see cref="DepthwiseBlock.Skip"/>). Fewer
/// channels than a vector are scalars.
/// </summary>
internal readonly record struct DepthwiseBlock(ChannelBlock Block, int Skip)
{
    /// <summary>
    /// Whether the layer has a Vector512 body: when its channels fill at least one 512-bit vector.
    /// Channels that are not a multiple of 16 (72 = 4 x 16 + 8) end with a vector that overlaps
    /// the one before (forward, input gradient) or masks the overlap (weight gradient), which
    /// still beats running the whole layer in 256-bit vectors.
    /// </summary>
    public static bool HasVector512(int channels) => channels >= VectorWidth.V512.Lanes;

    /// <summary>Vector registers: 32 with AVX-512, 16 with AVX2 (<see cref="VectorWidth.Registers"/>).</summary>
    public static int Registers(VectorWidth width) => width.Registers;

    /// <summary>Vectors per block: the taps' weight vectors, the accumulators and two loads fit the registers (1 to 4).</summary>
    public static int VectorsPerBlock(int taps, VectorWidth width) => Math.Max(1, Math.Min(4, (Registers(width) - 2) / (taps + 1)));

    /// <summary>Whether a block's weights (<paramref name="taps"/> x its vectors) stay in registers across a row of pixels.</summary>
    public static bool HoldsWeights(ChannelBlock block, int taps) =>
        block.Vectors > 0 && (taps + 1) * block.Vectors + 2 <= Registers(block.Vector) && taps <= WindowLoops.UnrollTapBudget;

    public static List<DepthwiseBlock> Split(int channels, int taps, VectorWidth width)
    {
        var blocks = new List<DepthwiseBlock>();
        foreach (var block in ChannelBlock.Split(channels, width, VectorsPerBlock(taps, width)))
        {
            if (block.Vectors == 0 && channels >= width.Lanes)
            {
                var tail = new ChannelBlock(channels - width.Lanes, 1, 0, 1, width);
                blocks.Add(new DepthwiseBlock(tail, block.Start - tail.Start));
            }
            else
            {
                blocks.Add(new DepthwiseBlock(block, 0));
            }
        }
        return blocks;
    }

    /// <summary><c>output channels [cb, cb + 8): 1 Vector256</c>, and the overlap of a tail, for the comment above a block.</summary>
    public string Describe(string what) =>
        $"// {what} {Block.Range()}: {Block.Describe()}{(Skip > 0 ? $", the last {Block.Vector.Lanes - Skip} channels (its first {Skip} lanes repeat the block before)" : "")}";

    /// <summary>Vector <paramref name="j"/>'s element offset from <paramref name="at"/>: <c>at + cb + 8 * j</c>.</summary>
    public string Offset(string at, int j) => Sum(at, Block.Offset(Block.Lane(j)));

    /// <summary><c>Vector256.LoadUnsafe(ref source, offset)</c> of vector <paramref name="j"/>.</summary>
    public string Load(string source, string at, int j) => $"{Block.Vector.Name}.LoadUnsafe(ref {source}{VectorOffset(Offset(at, j))})";

    /// <summary>Scalar <paramref name="s"/> of a block without vectors, as a ref expression.</summary>
    public string Scalar(string source, string at, int s) => At(source, Sum(at, Block.Offset(s)));
}

/// <summary>The repetition of each input channel <c>multiplier</c> times, for bodies with a multiplier above 1.</summary>
internal static class RepeatedChannels
{
    /// <summary>Rents the buffer of one repeated sample (nothing for multiplier 1).</summary>
    public static void EmitRent(IndentedTextWriter w, DepthwiseShape s)
    {
        if (s.Repeats)
        {
            w.WriteLine($"// each sample's channels repeated {s.Multiplier} times: [{s.Window.Input.Height},{s.Window.Input.Width},{s.Channels}], so output channel o reads lane o");
            w.WriteLine($"float[] repeated = ArrayPool<float>.Shared.Rent({I((long)s.Window.Input.Height * s.Window.Input.Width * s.Channels)});");
        }
    }

    public static void EmitReturn(IndentedTextWriter w, DepthwiseShape s)
    {
        if (s.Repeats)
        {
            w.WriteLine("ArrayPool<float>.Shared.Return(repeated);");
        }
    }

    /// <summary>Declares <c>ref float x</c>: sample <c>n</c> of <c>input</c>, or its repetition.</summary>
    public static void EmitSample(IndentedTextWriter w, DepthwiseShape s)
    {
        string sample = $"ref Unsafe.Add(ref MemoryMarshal.GetReference(input), {Times("n", s.InputLength)})";
        if (!s.Repeats)
        {
            w.WriteLine($"ref float x = {sample};");
            return;
        }
        w.WriteLine($"ref float source = {sample};");
        w.WriteLine("ref float x = ref MemoryMarshal.GetArrayDataReference(repeated);");
        using (w.WriteBlock($"for (int i = 0; i < {I(s.InputLength)}; i++)"))
        {
            w.WriteLine($"int at = {Times("i", s.Multiplier)};");
            w.WriteLine("float value = Unsafe.Add(ref source, i);");
            for (int j = 0; j < s.Multiplier; j++)
            {
                w.WriteLine($"{At("x", Plus("at", j))} = value;");
            }
        }
    }
}
