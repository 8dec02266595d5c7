using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.Arithmetic;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The loop order of a convolution body whose weights are large next to its output map (the deep
/// layers of a ResNet: 512 channels on 7x7 pixels). The row plan of <see cref="ConvForwardKernel"/>
/// walks a channel block's whole weight slice for every tile of every row, and a row of 7 pixels
/// ends in a 1-pixel tile; when the slice does not fit L2 it comes from L3 once per tile. The
/// picture plan instead puts the channel block outermost and runs its tiles over the whole map's
/// pixels (flattened, each pixel's window found from its own row and column), so the slice is read
/// once per picture and stays in L2 while every tile reuses it; a slice larger than the L2 budget is
/// cut into blocks of input channels, whose partial sums go through the output (the first block
/// starts from the bias, the last applies the epilogue). A picture split over threads is split by
/// channel blocks (<c>rows.Owns</c>), not rows: each thread then reads only its blocks' weights,
/// which here are far larger than the map (split by rows, both threads read all 9.4 MB of a
/// 512-channel layer for their halves of 49 pixels). Each pixel's sum runs over the same blocks,
/// taps and channels in the same order whatever the tiles, so the results are bit-identical.
/// </summary>
/// <param name="InputChannelBlock">Input channels per block: all of them when the slice fits the budget.</param>
internal readonly record struct PicturePlan(int InputChannelBlock)
{
    /// <summary>Bytes of one channel block's weight slice that stay in a core's L2 (1 MB on Zen 5) beside the input and output.</summary>
    public const long L2Budget = 512 * 1024;

    /// <summary>Bytes of one channel block's weight slice that a Vector256 body's row plan can reuse from L1 (32 KB on Zen 3).</summary>
    public const long L1Budget = 32 * 1024;

    /// <summary>Independent accumulators a tile needs to hide the FMA latency (4 cycles, 2 FMAs a cycle).</summary>
    public const int LatencyAccumulators = 8;

    /// <summary>
    /// The cost rule, the one place that decides: the picture plan when the widest channel block's
    /// weight slice (taps x input channels x block width x 4 bytes) is larger than
    /// <paramref name="budget"/>, so the row plan would stream it from L3 once per tile; or when the
    /// row plan ends each row in a tile of fewer than <see cref="LatencyAccumulators"/> accumulators
    /// or its rows are narrower than a full tile, and the layer's weights are at least half the
    /// budget (below that, the row plan's reuse of a small weight tensor from L1/L2 is worth more
    /// than the thin tile), or a Vector256 body's slice is larger than L1 (<see cref="L1Budget"/>) with
    /// the same weights. Otherwise (every small network) null: the row plan. Input channels are
    /// blocked only when the slice is over the budget, into the fewest blocks that fit it.
    /// <para>
    /// The row plan reads a slice in place, its rows a whole filter row apart, once per tile; a slice
    /// over L1 then comes from L2 for every tile. ResNet-18's 64 to 128 3x3 stride 2 (36 KB slices of
    /// 16 channels, rows 512 bytes apart) ran at 68% of a Zen 3 core's peak so; packed and reused by
    /// the picture's tiles, 10% faster (1385-1444 us, best of 60 runs of 10 calls, before; 1284-1295 us
    /// after, a busy machine). Vector512 keeps its rows: that layer ran at 89% with them on Zen 5, and no
    /// AVX-512 machine measured the other order.
    /// </para>
    /// </summary>
    public static PicturePlan? For(WindowShape s, VectorWidth width, int tileAccumulators, long budget = L2Budget)
    {
        var widest = ChannelBlock.Split(s.Output.Channels, width, ConvForwardKernel.BlockVectorsFor(width), narrowTail: true)[0];
        int cin = s.Input.Channels;
        long slice = (long)s.Taps * cin * widest.Width * sizeof(float);
        long weights = (long)s.Taps * cin * s.Output.Channels * sizeof(float);
        int fullTile = Math.Max(1, tileAccumulators / widest.Accumulators);
        int rowTile = Math.Min(s.Output.Width, fullTile);
        int rowTail = s.Output.Width % rowTile;
        bool thinTail = rowTail > 0 && rowTail * widest.Accumulators < LatencyAccumulators;
        bool narrowRows = rowTile < fullTile;
        // Weights larger than the whole L2 (twice the budget): the row plan would stream all of them from L3 for every row.
        bool beyondL2 = weights > 2 * budget;
        bool beyondL1 = width == VectorWidth.V256 && slice > L1Budget;
        if (slice <= budget && !beyondL2 && !((thinTail || narrowRows || beyondL1) && 2 * weights >= budget))
        {
            return null;
        }
        int blocks = (int)Math.Min(cin, (slice + budget - 1) / budget);
        // Equal blocks when a few more of them divide the channels (512 in 4, not 3), else a shorter last one.
        for (int more = blocks; more <= Math.Min(cin, 2 * blocks); more++)
        {
            if (cin % more == 0)
            {
                return new PicturePlan(cin / more);
            }
        }
        return new PicturePlan((cin + blocks - 1) / blocks);
    }

    /// <summary>
    /// Pixels per tile over a map of <paramref name="mapPixels"/>, at most <paramref name="maxPixels"/>
    /// (the accumulators allow) and at least enough for <see cref="LatencyAccumulators"/>: the count
    /// whose tiles cost least, each pixel slot (spare slots of the last tile included) plus one for
    /// the tile's own loads and stores. 49 pixels take tiles of 5 (50 slots in 10 tiles, not 54 in
    /// 9); 196 keep 6 (198 in 33).
    /// </summary>
    public static int TilePixels(int mapPixels, int maxPixels, int accumulators)
    {
        int least = Math.Min(maxPixels, Math.Max(1, (LatencyAccumulators + accumulators - 1) / accumulators));
        int best = maxPixels;
        long Cost(int pixels) => (mapPixels + pixels - 1) / pixels * (long)(pixels + 1);
        for (int pixels = maxPixels - 1; pixels >= least; pixels--)
        {
            if (Cost(pixels) < Cost(best))
            {
                best = pixels;
            }
        }
        return best;
    }

    /// <summary>For the body's comment: <c>picture tiles, input channels in blocks of 128</c>.</summary>
    public string Describe(int inputChannels) =>
        "picture tiles" + (InputChannelBlock < inputChannels ? $", input channels in blocks of {InputChannelBlock}" : "");
}

/// <summary>Writes a body of the <see cref="PicturePlan"/>: per sample, each channel block (and input-channel block) over the map's pixels (a split picture: this thread's channel blocks).</summary>
/// <remarks><paramref name="body"/> is the kernel's vector width, whose registers the tiles fit (see <see cref="RegisterTile.Rows"/>). A <paramref name="scaled"/> body applies a folded BatchNorm's scale and shift in the last store (see <see cref="ConvForwardKernel.Scaled"/>). A <paramref name="residual"/> body adds the residual summand at <c>residual</c> (laid out as <c>y</c>) in the last store (see <see cref="ConvForwardKernel.Residual"/>).</remarks>
internal readonly struct PictureTiles(WindowShape shape, PaddedInput source, PicturePlan plan, VectorWidth body, int tileAccumulators, bool scaled = false, bool residual = false)
{
    private bool Blocked => plan.InputChannelBlock < shape.Input.Channels;

    /// <summary>The loops inside the sample loop, after <c>x</c> and <c>y</c> are declared.</summary>
    public void EmitSample(IndentedTextWriter w, List<ChannelBlock> blocks)
    {
        int mapPixels = shape.Output.Height * shape.Output.Width;
        // A split picture's threads take contiguous, even shares of all the channel blocks, a looped
        // block's repetitions counted one by one.
        int total = 0;
        foreach (var block in blocks) total += block.Repeat;
        int next = 0;
        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            int first = next;
            next += block.Repeat;
            int pixels = PicturePlan.TilePixels(mapPixels, Math.Min(mapPixels, RegisterTile.Rows(body, block, tileAccumulators)), block.Accumulators);
            if (block.IsLoop)
            {
                w.WriteLine($"RowRange own{b} = rows.Blocks({I(first)}, {I(block.Repeat)}, {I(total)});");
            }
            using (block.IsLoop
                ? w.WriteBlock($"for (int cb = {Sum(I(block.Start), Times($"own{b}.Start", block.Width))}; cb < {Sum(I(block.Start), Times($"own{b}.End", block.Width))}; cb += {I(block.Width)})")
                : w.WriteBlock($"if (rows.Owns({I(first)}, {I(total)}))"))
            {
                w.WriteLine($"// output channels {block.Range()}: {pixels} pixels x {block.Describe()} accumulators, over the map's pixels");
                using (Blocked ? w.WriteBlock($"for (int k0 = 0; k0 < {I(shape.Input.Channels)}; k0 += {I(plan.InputChannelBlock)})") : (IDisposable?)null)
                {
                    EmitSlice(w, block);
                    using (w.WriteBlock($"for (int p = 0; p < {I(mapPixels)}; p += {I(pixels)})"))
                    {
                        EmitTile(w, block, pixels);
                    }
                }
            }
        }
    }

    /// <summary>Input channels in the current input-channel block: a constant unless the last block is shorter.</summary>
    private string BlockRows => !Blocked ? I(shape.Input.Channels) : shape.Input.Channels % plan.InputChannelBlock == 0 ? I(plan.InputChannelBlock) : $"Math.Min({I(plan.InputChannelBlock)}, {I(shape.Input.Channels)} - k0)";

    /// <summary>
    /// The block's weights for the current input channels in <c>packed</c> (see <c>ConvGen.Kernels.PictureWeights</c>):
    /// one contiguous run in the order the tiles read it, <c>[taps, input channels, block channels]</c>.
    /// In HWIO the rows lie a whole filter row apart (2 KB for 512 filters) and each tap's rows a
    /// multiple of 4 KB further, so every tap of a slice fell in the same L2 sets and the slice did not
    /// stay in L2 while the tiles reused it. The network packs them before the layers (<see cref="PreparedWeights"/>).
    /// </summary>
    private void EmitSlice(IndentedTextWriter w, ChannelBlock block)
    {
        string start = Sum(Times(block.First, (long)shape.Taps * shape.Input.Channels), Blocked ? Times("k0", (long)shape.Taps * block.Width) : "");
        w.WriteLine($"ref float slice = ref {At("packed", start)};");
    }

    /// <summary>
    /// One tile of <paramref name="pixels"/> pixels from the map's pixel <c>p</c>. Slots past the
    /// map's end take its last pixel: computed twice from the same partial sums and stored twice
    /// with the same value, which keeps every store unconditional.
    /// </summary>
    private void EmitTile(IndentedTextWriter w, ChannelBlock block, int pixels)
    {
        int cin = shape.Input.Channels;
        int cout = shape.Output.Channels;
        int outputWidth = shape.Output.Width;
        var width = block.Vector;
        string v = width.Name;
        for (int k = 0; k < pixels; k += 4)
        {
            var slots = new List<string>();
            for (int i = k; i < Math.Min(pixels, k + 4); i++)
            {
                slots.Add($"q{i} = {(i == 0 ? "p" : $"Math.Min(p + {I(i)}, {I(shape.Output.Height * outputWidth - 1)})")}");
            }
            w.WriteLine($"int {string.Join(", ", slots)};");
        }
        for (int i = 0; i < pixels; i++)
        {
            // The window of output pixel (q / width, q % width): its first input pixel's offset.
            string window = Sum(Times($"q{i} / {I(outputWidth)}", (long)shape.StrideHeight * source.Width), Times($"q{i} % {I(outputWidth)}", shape.StrideWidth));
            w.WriteLine($"int d{i} = {Times(window, cin)};");
        }
        EmitAhead(w, block, pixels);
        ChannelBlocks.Declare(w, block, "b",
            lane => $"TEpilogue.HasBias ? {v}.LoadUnsafe(ref bias{VectorOffset(block.Offset(lane))}) : {width.Type}.Zero",
            s => $"TEpilogue.HasBias ? {At("bias", block.Offset(s))} : 0f");
        ChannelBlocks.DeclareTile(w, block, pixels, (_, lane) => $"b{(block.Vectors > 0 ? lane / width.Lanes : lane)}");
        string Output(int i, int lane) => Sum(Times($"q{i}", cout), block.Offset(lane));
        if (Blocked)
        {
            // Input channels after the first block add to the partial sums the blocks before stored.
            using (w.WriteBlock("if (k0 > 0)"))
            {
                for (int j = 0; j < block.Accumulators; j++)
                {
                    int lane = block.Vectors > 0 ? block.Lane(j) : j;
                    for (int i = 0; i < pixels; i++)
                    {
                        w.WriteLine(block.Vectors > 0 ? $"a{i}_{j} = {v}.LoadUnsafe(ref y{VectorOffset(Output(i, lane))});" : $"a{i}_{j} = {At("y", Output(i, lane))};");
                    }
                }
            }
        }
        // The slice is [taps, input channels, block channels] in the order the loops below run it.
        w.WriteLine("// One pointer walks the slice, a block's channels further each step (the taps follow each other).");
        w.WriteLine("ref float wp = ref slice;");
        using (var taps = new ConvForwardKernel.TapLoops(w, shape.KernelHeight, shape.KernelWidth))
        {
            // The input channels of the block start at k0: the slice's rows at 0.
            w.WriteLine($"ref float xt = ref {At("x", Sum(Times(ConvForwardKernel.TapOffset(taps, shape.DilationHeight * source.Width, shape.DilationWidth), cin), Blocked ? "k0" : ""))};");
            for (int i = 0; i < pixels; i++)
            {
                w.WriteLine($"ref float x{i} = ref Unsafe.Add(ref xt, d{i});");
            }
            // A native-sized counter indexes the inputs without a sign extension per load.
            using (w.WriteBlock($"for (nint ci = 0; ci < {BlockRows}; ci++)"))
            {
                EmitPrefetch(w, block, pixels);
                RegisterTile.EmitLoads(w, width, block, "w", "wp", k => I(k), declare: true);
                RegisterTile.EmitMultiplyAdds(w, width, block, pixels, i => ($"x{i}", "ci"), "w", declare: true);
                w.WriteLine($"wp = ref Unsafe.Add(ref wp, {I(block.Width)});");
            }
        }
        if (Blocked)
        {
            using (w.WriteBlock($"if (k0 + {I(plan.InputChannelBlock)} < {I(cin)})"))
            {
                ChannelBlocks.StoreTile(w, block, pixels, "y", a => a, Output);
            }
            using (w.WriteBlock("else"))
            {
                EmitStore(w, block, pixels, Output);
            }
        }
        else
        {
            EmitStore(w, block, pixels, Output);
        }
    }

    /// <summary>
    /// Declares <c>next</c>, where this tile's prefetches of the next weight slice start: the packed
    /// slices lie one after the other in the order the body runs them, so the next one starts where
    /// this one ends (<c>ahead</c>). With <c>g</c> this tile's first step of all the tiles' steps over
    /// the current slice, it starts at <c>g * width / tiles</c> of the next, and each input channel step
    /// prefetches it (<c>Tile.Prefetch</c>) and moves it on by <see cref="PrefetchStride"/>, so the
    /// tiles' steps walk the next slice, evenly, while they compute on the current one. Without it each slice
    /// came cold from DRAM in the network (between two 512-channel layers the other layers' weights
    /// pass through the caches) and its first tile ran at the memory's speed, not the FMAs'. Past the
    /// layer's last slice the lines lie beyond the buffer; a prefetch never faults.
    /// Measured (shared 2-core Zen 5, one thread, Vector512, peak 227.3 GFLOP/s), each call after 64 MB
    /// of other writes: 512 to 512 3x3 on 7x7 1350-1389 us (74-75%) before, 1192-1324 us (77-85%)
    /// after (minima of 4 runs of 100 calls); 256 to 512 3x3 s2 650-696 us (73-78%) before, 581-621 us
    /// (82-88%) after. With the caches warm (the layer alone, repeated) both stay at 93-97%; ResNet-18 at
    /// batch 1 on one thread 18.75 ms before, 17.67 ms after (medians of 3 alternating runs). Larger
    /// tiles for 49 pixels (3 vectors x 7 pixels instead of 4 x 5, no spare slot) were no faster warm
    /// and slower cold: fewer tiles reuse each slice.
    /// </summary>
    private void EmitAhead(IndentedTextWriter w, ChannelBlock block, int pixels)
    {
        string rows = BlockRows;
        bool constantRows = int.TryParse(rows, out int constant);
        string sliceFloats = constantRows ? I((long)shape.Taps * constant * block.Width) : $"{I((long)shape.Taps * block.Width)} * {rows}";
        int tiles = Tiles(pixels);
        if (tiles == 1)
        {
            w.WriteLine($"ref float next = ref {At("slice", sliceFloats)};");
            return;
        }
        w.WriteLine($"ref float ahead = ref {At("slice", sliceFloats)};");
        string steps = constantRows ? I((long)shape.Taps * constant) : $"{I(shape.Taps)} * {rows}";
        w.WriteLine($"int g = p / {I(pixels)} * {steps};");
        w.WriteLine($"ref float next = ref Unsafe.Add(ref ahead, g * {I(block.Width)} / {I(tiles)});");
    }

    /// <summary>
    /// Floats the prefetch moves on per input channel step: the block's width over the tiles, rounded
    /// up so that the tiles' runs meet (each runs a little into the next one's). A pointer moved by a
    /// constant costs an add; the <c>(g + step) * width / tiles</c> it replaces was a division by a
    /// constant in every step, about ten instructions beside the step's 10 FMAs on AVX2.
    /// </summary>
    private int PrefetchStride(ChannelBlock block, int pixels) => (block.Width + Tiles(pixels) - 1) / Tiles(pixels);

    /// <summary>The prefetch of one input channel step (see <see cref="EmitAhead"/>).</summary>
    private void EmitPrefetch(IndentedTextWriter w, ChannelBlock block, int pixels)
    {
        w.WriteLine("Tile.Prefetch(ref next);");
        w.WriteLine($"next = ref Unsafe.Add(ref next, {I(PrefetchStride(block, pixels))});");
    }

    /// <summary>Tiles of <paramref name="pixels"/> over the map.</summary>
    private int Tiles(int pixels) => (shape.Output.Height * shape.Output.Width + pixels - 1) / pixels;

    /// <summary>The tile's final store, through the epilogue (and the folded BatchNorm's scale and shift in a scaled body).</summary>
    private void EmitStore(IndentedTextWriter w, ChannelBlock block, int pixels, Func<int, int, string> output)
    {
        bool scale = scaled;
        if (scale)
        {
            ChannelBlocks.DeclareScaleShift(w, block, shape.Output.Channels);
        }
        if (residual)
        {
            ChannelBlocks.StoreTile(w, block, pixels, "y", (a, j, at) => ChannelBlocks.ResidualEpilogue(a, j, scale, "residual", at), output);
            return;
        }
        ChannelBlocks.StoreTile(w, block, pixels, "y", (a, j) => ChannelBlocks.Epilogue(a, j, scale), output);
    }
}
