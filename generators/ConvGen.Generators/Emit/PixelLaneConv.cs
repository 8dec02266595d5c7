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
    /// Pixels in the lanes of the body of <paramref name="width"/> when:
    /// <list type="bullet">
    /// <item>the filters are fewer than a Vector256 (8): channels in the lanes would leave lanes
    /// idle (6 filters use 6 of 8) or, below 4, run on scalars, while pixels fill every lane
    /// whatever the filter count (LeNet's 6-filter first layer, the input gradient into 6 channels);</item>
    /// <item>or, in the Vector512 body, exactly 8 filters (the seed network's first layer): channels
    /// in the lanes fill only a Vector256 there (half of the multiply-add peak), while 16 pixels x
    /// 8 filters fill eight Vector512, which go to NHWC by an in-register transpose
    /// (<c>Tile.StoreTransposed</c>: 24 permutes and 8 stores per 128 outputs). Other counts from 9
    /// to 15 keep their channels: their pixels would go to NHWC through the stage, a scalar load and
    /// store per output value, as many memory operations as a first layer's multiply-adds per
    /// output (27 / 16 for 3 channels and 3x3 taps; 8 filters through the stage measured slower
    /// than their Vector256 channels). The Vector256 body of an 8-filter layer keeps its channels
    /// in the lanes too: 8 filters fill a Vector256 already. Only a first-layer-like input of up to
    /// 4 channels (their loop unrolled, the case measured): an input gradient as a convolution into
    /// 8 channels (seed's second layer's, from 16) keeps its Vector256 body, whose second copy
    /// would cost the seed network's generated file more than its budget left;</item>
    /// <item>the stride along the row is 1: consecutive output pixels then read consecutive input
    /// columns, one unaligned load per tap and input channel (a stride of 2 would need a gather);</item>
    /// <item>a row holds at least one vector of pixels: the row's last vector starts at
    /// <c>width - lanes</c> and overlaps the one before, so there is no scalar remainder.</item>
    /// </list>
    /// More input channels cost nothing extra per output: the input is copied per channel
    /// (planar), so each channel's row is contiguous; the copy is one move per input value against
    /// <c>taps * filters / lanes</c> multiply-adds per input value and channel.
    /// </summary>
    public static bool Applies(WindowShape s, VectorWidth width) =>
        s.StrideWidth == 1
        && s.Output.Width >= width.Lanes
        && (s.Output.Channels < ChannelBlock.Lanes || (width == VectorWidth.V512 && s.Output.Channels == TransposedFilters && s.Input.Channels <= TransposedMaxChannels));

    /// <summary>The filter count whose Vector512 tile is stored by an in-register transpose (<c>Tile.StoreTransposed</c>) instead of the stage.</summary>
    public const int TransposedFilters = 8;

    /// <summary>Input channels up to which an 8-filter layer gets the transposed Vector512 body: a first layer's (the channels' loop unrolled).</summary>
    public const int TransposedMaxChannels = 4;

    /// <summary>
    /// Whether every body of the layer has pixels in the lanes (fewer than 8 filters): the weight
    /// gradient's layout and whether an input gradient into so few channels runs as a convolution.
    /// </summary>
    public static bool AppliesToEveryWidth(WindowShape s) => Applies(s, VectorWidth.V256);

    /// <summary>
    /// Whether a forward body of shape <paramref name="s"/> has a Vector512 variant: pixels in its
    /// lanes (<see cref="Applies"/>), or else channels that fill Vector512 blocks
    /// (<see cref="VectorWidth.Fits512(int, bool)"/>, with narrow tails). A layer whose Vector256 body
    /// has pixels in the lanes but whose row is shorter than 16 pixels has none: its channels in
    /// Vector512 lanes would be scalars.
    /// </summary>
    public static bool Has512(WindowShape s) =>
        Applies(s, VectorWidth.V512) || (!AppliesToEveryWidth(s) && VectorWidth.Fits512(s.Output.Channels, narrowTails: true));

    /// <summary>The run-time choice of width for a forward convolution body of shape <paramref name="s"/>, either layout.</summary>
    public static void WriteDispatch(IndentedTextWriter w, WindowShape s, Func<VectorWidth, string> call) =>
        ChannelBlocks.WriteDispatch(w, Has512(s), call);

    /// <summary>
    /// The run-time choice of width for the weight gradient of shape <paramref name="s"/>: pixels in
    /// the lanes for fewer than 8 filters (<see cref="AppliesToEveryWidth"/>, a Vector512 body
    /// from 16 pixels a row), else channels in the lanes with narrow tails after the Vector512
    /// blocks. (An 8- to 15-filter layer's weight gradient keeps its Vector256 channels: it is a
    /// small share of such a layer's time, its forward's is the large one.)
    /// </summary>
    public static void WriteWeightGradientDispatch(IndentedTextWriter w, WindowShape s, Func<VectorWidth, string> call)
    {
        if (!AppliesToEveryWidth(s))
        {
            ChannelBlocks.WriteDispatch(w, s.Output.Channels, call, narrowTails: true);
        }
        else
        {
            ChannelBlocks.WriteDispatch(w, Applies(s, VectorWidth.V512), call);
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
/// pixels, <c>filters</c> floats apart in the output); a single filter stores straight to the output,
/// and a Vector512 tile of 8 filters transposes in registers (see <see cref="PixelLanes.Applies"/>).
/// A scaled body (a BatchNorm folded in, see <see cref="ConvForwardKernel.Scaled"/>) broadcasts each
/// filter's scale and shift before the store.
/// </summary>
internal sealed class PixelLaneTiles
{
    private readonly WindowShape _shape;
    private readonly VectorWidth _width;
    private readonly PaddedInput _source;
    private readonly bool _scaled;

    public PixelLaneTiles(WindowShape shape, VectorWidth width, PaddedInput source, bool scaled = false)
    {
        _shape = shape;
        _width = width;
        _source = source;
        _scaled = scaled;
    }

    private int Filters => _shape.Output.Channels;

    private int Lanes => _width.Lanes;

    /// <summary>
    /// Vectors of pixels per tile: every vector needs an accumulator per filter and its input
    /// vector, plus one broadcast weight, within the 32 (AVX-512) or 16 (AVX2) vector registers
    /// less one spare.
    /// </summary>
    private int TileVectors => Math.Max(1, Math.Min(Starts.Count, (_width.Registers - 2) / (Filters + 1)));

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

    private bool Staged => Filters > 1 && !Transposed;

    /// <summary>A Vector512 tile of 8 filters: each vector's 16 pixels x 8 filters go to NHWC by <c>Tile.StoreTransposed</c>.</summary>
    private bool Transposed => _width == VectorWidth.V512 && Filters == PixelLanes.TransposedFilters;

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
        if (_scaled)
        {
            for (int co = 0; co < filters; co++)
            {
                w.WriteLine($"{_width.Type} scale{co} = {_width.Name}.Create({At("bias", I(co))}), shift{co} = {_width.Name}.Create({At("bias", I(filters + co))});");
            }
        }
        if (Transposed)
        {
            w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {pixel});");
            for (int k = 0; k < offsets.Count; k++)
            {
                var filtersOf = new List<string>();
                for (int co = 0; co < filters; co++)
                {
                    filtersOf.Add(ChannelBlocks.Epilogue($"a{k}_{co}", co, _scaled));
                }
                w.WriteLine($"Tile.StoreTransposed(ref {At("pixel", I(offsets[k] * filters))}, {string.Join(", ", filtersOf)});");
            }
            return;
        }
        if (!Staged)
        {
            w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {pixel});");
            for (int k = 0; k < offsets.Count; k++)
            {
                w.WriteLine($"{ChannelBlocks.Epilogue($"a{k}_0", 0, _scaled)}.StoreUnsafe(ref pixel{VectorOffset(I(offsets[k]))});");
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
                stores.Add($"{ChannelBlocks.Epilogue($"a{k}_{co}", co, _scaled)}.StoreUnsafe(ref stage{VectorOffset(I(co * StageSpan + offsets[k]))});");
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
