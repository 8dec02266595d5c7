using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.Arithmetic;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The one rule that decides where a convolution body puts its vector lanes: output channels
/// (the default, <see cref="ConvForwardKernel"/>'s channel blocks) or consecutive output pixels
/// of a row (<see cref="PixelLaneTiles"/>). The forward convolution and the input gradient as a
/// convolution both ask it, so a layer's forward and backward agree.
/// </summary>
internal static class PixelLanes
{
    /// <summary>
    /// Pixels in the lanes when:
    /// <list type="bullet">
    /// <item>the filters are fewer than a Vector256 (8): channels in the lanes would leave lanes
    /// idle (6 filters use 6 of 8) or, below 4, run on scalars, while pixels fill every lane
    /// whatever the filter count (LeNet's 6-filter first layer, the input gradient into 6 channels);</item>
    /// <item>the stride along the row is 1: consecutive output pixels then read consecutive input
    /// columns, one unaligned load per tap and input channel (a stride of 2 would need a gather);</item>
    /// <item>a row holds at least one Vector256 of pixels: the row's last vector starts at
    /// <c>width - lanes</c> and overlaps the one before, so there is no scalar remainder.</item>
    /// </list>
    /// More input channels cost nothing extra per output: the input is copied per channel
    /// (planar), so each channel's row is contiguous; the copy is one move per input value against
    /// <c>taps * filters / lanes</c> multiply-adds per input value and channel.
    /// </summary>
    public static bool Applies(WindowShape s) =>
        s.Output.Channels < ChannelBlock.Lanes && s.StrideWidth == 1 && s.Output.Width >= VectorWidth.V256.Lanes;

    /// <summary>A Vector512 body when a row holds at least 16 pixels (else only the Vector256 one).</summary>
    public static bool Fits512(WindowShape s) => s.Output.Width >= VectorWidth.V512.Lanes;

    /// <summary>
    /// The run-time choice of width for a convolution body of shape <paramref name="s"/>, either
    /// layout: channels in the lanes with narrow tails after the Vector512 blocks, or pixels.
    /// </summary>
    public static void WriteDispatch(IndentedTextWriter w, WindowShape s, Func<VectorWidth, string> call)
    {
        if (!Applies(s))
        {
            ChannelBlocks.WriteDispatch(w, s.Output.Channels, call, narrowTails: true);
        }
        else
        {
            ChannelBlocks.WriteDispatch(w, Fits512(s), call);
        }
    }
}

/// <summary>
/// A convolution row with output pixels in the lanes (see <see cref="PixelLanes.Applies"/>). The
/// row's vectors of pixels start at <c>0, lanes, 2 * lanes, ...</c> and, when the width is not a
/// multiple of the lanes, at <c>width - lanes</c> (recomputing a few pixels to the same value
/// instead of a scalar remainder). A register tile is several of these vectors times all the
/// filters: per tap and input channel, one load per vector and one broadcast weight per filter,
/// shared by the tile's vectors. The epilogue stores each filter's vector into a small planar
/// stage, from which the tile's pixels are copied to NHWC (a vector's lanes are one filter's
/// pixels, <c>filters</c> floats apart in the output); a single filter stores straight to the output.
/// </summary>
internal sealed class PixelLaneTiles
{
    private readonly WindowShape _shape;
    private readonly VectorWidth _width;
    private readonly PaddedInput _source;

    public PixelLaneTiles(WindowShape shape, VectorWidth width, PaddedInput source)
    {
        _shape = shape;
        _width = width;
        _source = source;
    }

    private int Filters => _shape.Output.Channels;

    private int Lanes => _width.Lanes;

    /// <summary>
    /// Vectors of pixels per tile: every vector needs an accumulator per filter and its input
    /// vector, plus one broadcast weight, within the 32 (AVX-512) or 16 (AVX2) vector registers
    /// less one spare.
    /// </summary>
    private int TileVectors => Math.Max(1, Math.Min(Starts.Count, ((Lanes == 16 ? 32 : 16) - 2) / (Filters + 1)));

    /// <summary>The first pixel of each of the row's vectors: whole vectors, then one ending at the row's end.</summary>
    private List<int> Starts
    {
        get
        {
            int width = _shape.Output.Width;
            var starts = new List<int>();
            for (int ox = 0; ox + Lanes <= width; ox += Lanes)
            {
                starts.Add(ox);
            }
            if (width % Lanes != 0)
            {
                starts.Add(width - Lanes);
            }
            return starts;
        }
    }

    /// <summary>Pixels one tile spans at most: the stage holds this many per filter.</summary>
    private int StageSpan => TileVectors * Lanes;

    private bool Staged => Filters > 1;

    /// <summary>The stage, declared once before the sample loop (nothing for a single filter).</summary>
    public void EmitStage(IndentedTextWriter w)
    {
        if (Staged)
        {
            w.WriteLine($"// A tile's results per filter, [{Filters},{StageSpan}], copied from there to NHWC.");
            w.WriteLine($"Span<float> staged = stackalloc float[{I(Filters * StageSpan)}];");
            w.WriteLine("ref float stage = ref MemoryMarshal.GetReference(staged);");
        }
    }

    /// <summary>One output row <c>oy</c>: a loop over whole tiles, then the tile of the vectors left (the overlapping one among them).</summary>
    public void EmitRow(IndentedTextWriter w)
    {
        var starts = Starts;
        int perTile = TileVectors;
        int regular = _shape.Output.Width / Lanes;
        int loopTiles = regular / perTile;
        w.WriteLine($"// {Lanes} output pixels in the lanes: tiles of {perTile} {_width.Name} x {Filters} filter{(Filters == 1 ? "" : "s")}"
            + (starts.Count > regular ? $", the last vector from pixel {starts[starts.Count - 1]} (its first {regular * Lanes - starts[starts.Count - 1]} pixels repeat the one before)" : ""));
        int done = 0;
        if (loopTiles > 1)
        {
            using (w.WriteBlock($"for (int ox = 0; ox < {I(loopTiles * perTile * Lanes)}; ox += {I(perTile * Lanes)})"))
            {
                EmitTile(w, "ox", Offsets(perTile, 0));
            }
            done = loopTiles * perTile;
        }
        while (done < starts.Count)
        {
            int count = Math.Min(perTile, starts.Count - done);
            int first = starts[done];
            var offsets = new List<int>();
            for (int k = 0; k < count; k++)
            {
                offsets.Add(starts[done + k] - first);
            }
            bool alone = done == 0 && count == starts.Count;
            using (alone ? (IDisposable?)null : w.WriteBlock())
            {
                EmitTile(w, I(first), offsets);
            }
            done += count;
        }
    }

    private List<int> Offsets(int count, int first)
    {
        var offsets = new List<int>();
        for (int k = 0; k < count; k++)
        {
            offsets.Add(first + k * Lanes);
        }
        return offsets;
    }

    /// <summary>
    /// One tile from output pixel <paramref name="ox"/>: vector <c>k</c> holds pixels
    /// <c>ox + offsets[k]</c> onwards; accumulator <c>a{k}_{filter}</c>.
    /// </summary>
    private void EmitTile(IndentedTextWriter w, string ox, List<int> offsets)
    {
        var l = _shape;
        int cin = l.Input.Channels;
        int filters = Filters;
        string v = _width.Name;
        string type = _width.Type;
        int plane = _source.Height * _source.Width;
        w.WriteLine($"ref float window = ref Unsafe.Add(ref x, {Sum(Times("oy", l.StrideHeight * _source.Width), ox)});");
        for (int co = 0; co < filters; co++)
        {
            var declarators = new List<string> { $"a0_{co} = TEpilogue.HasBias ? {v}.Create({At("bias", I(co))}) : {type}.Zero" };
            for (int k = 1; k < offsets.Count; k++)
            {
                declarators.Add($"a{k}_{co} = a0_{co}");
            }
            w.WriteLine($"{type} {string.Join(", ", declarators)};");
        }
        using (var taps = new ConvForwardKernel.TapLoops(w, l.KernelHeight, l.KernelWidth))
        {
            w.WriteLine($"ref float xp = ref {At("window", ConvForwardKernel.TapOffset(taps, l.DilationHeight * _source.Width, l.DilationWidth))};");
            w.WriteLine($"ref float wp = ref {At("weights", Times(ConvForwardKernel.TapOffset(taps, l.KernelWidth, 1), cin * filters))};");
            if (cin <= 4)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    EmitChannel(w, offsets, I(ci * plane), I(ci * filters), declare: ci == 0, cin > 1 ? $"// input channel {ci}" : null);
                }
            }
            else
            {
                // The channel's plane and weights as refs that step with ci: loads at literal offsets from them.
                w.WriteLine("ref float xc = ref xp;");
                w.WriteLine("ref float wc = ref wp;");
                using (w.WriteBlock($"for (int ci = 0; ci < {I(cin)}; ci++, xc = ref Unsafe.Add(ref xc, {I(plane)}), wc = ref Unsafe.Add(ref wc, {I(filters)}))"))
                {
                    EmitChannel(w, offsets, "0", "0", declare: true, null, "xc", "wc");
                }
            }
        }
        EmitStore(w, ox, offsets);
    }

    /// <summary>One input channel of one tap: the tile's input vectors, then per filter one broadcast weight into every vector's accumulator.</summary>
    private void EmitChannel(IndentedTextWriter w, List<int> offsets, string channel, string weightRow, bool declare, string? comment, string inputs = "xp", string weights = "wp")
    {
        string v = _width.Name;
        string type = _width.Type;
        if (comment is not null)
        {
            w.WriteLine(comment);
        }
        for (int k = 0; k < offsets.Count; k++)
        {
            w.WriteLine($"{(declare ? type + " " : "")}x{k} = {v}.LoadUnsafe(ref {inputs}{VectorOffset(Plus(channel, offsets[k]))});");
        }
        for (int co = 0; co < Filters; co++)
        {
            string weight = $"{v}.Create({At(weights, Plus(weightRow, co))})";
            if (offsets.Count > 1)
            {
                w.WriteLine($"{(declare && co == 0 ? type + " " : "")}s = {weight};");
                weight = "s";
            }
            for (int k = 0; k < offsets.Count; k++)
            {
                w.WriteLine($"a{k}_{co} = {v}.MultiplyAddEstimate(x{k}, {weight}, a{k}_{co});");
            }
        }
    }

    /// <summary>The epilogue on every accumulator, then the tile's pixels to NHWC (through the stage when there are several filters).</summary>
    private void EmitStore(IndentedTextWriter w, string ox, List<int> offsets)
    {
        int filters = Filters;
        string pixel = Sum(Times("oy", _shape.Output.Width * filters), Times(ox, filters));
        if (!Staged)
        {
            w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {pixel});");
            for (int k = 0; k < offsets.Count; k++)
            {
                w.WriteLine($"TEpilogue.Apply(a{k}_0).StoreUnsafe(ref pixel{VectorOffset(I(offsets[k]))});");
            }
            return;
        }
        int span = offsets[offsets.Count - 1] + Lanes;
        w.WriteLine($"// Filter co's pixel j at stage[co * {StageSpan} + j], then at pixel j * {filters} + co.");
        for (int co = 0; co < filters; co++)
        {
            var stores = new List<string>();
            for (int k = 0; k < offsets.Count; k++)
            {
                stores.Add($"TEpilogue.Apply(a{k}_{co}).StoreUnsafe(ref stage{VectorOffset(I(co * StageSpan + offsets[k]))});");
            }
            w.WriteLine(string.Join(" ", stores));
        }
        w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {pixel});");
        using (w.WriteBlock($"for (int j = 0; j < {I(span)}; j++)"))
        {
            w.WriteLine($"ref float target = ref {At("pixel", Times("j", filters))};");
            for (int co = 0; co < filters; co++)
            {
                w.WriteLine($"{At("target", I(co))} = {At("stage", Plus("j", co * StageSpan))};");
            }
        }
    }
}
