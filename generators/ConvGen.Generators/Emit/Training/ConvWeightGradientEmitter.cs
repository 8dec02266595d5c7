using System;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// A convolution's weight-gradient entry point: its gradient offsets, then the shared body (<see cref="ConvWeightGradientKernel"/>),
/// or the runtime's Winograd F(2x2, 5x5) weight gradient when <see cref="Winograd5x5WeightGradientPlan"/> applies.
/// </summary>
internal static class ConvWeightGradientEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        string name = TrainingMembersEmitter.WeightGradientName(l);
        var shape = WindowShape.Of(l);
        w.WriteLine($"// layer {l.Index}: Conv2D '{l.Name}' weight gradient  x {l.Input}, dz {l.Output} -> dW [{l.KernelHeight},{l.KernelWidth},{cin},{cout}]{(l.UseBias ? $", db [{cout}]" : "")}");
        using (OpenEntryPoint(w, $"public static void {name}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch)"))
        {
            if (Winograd5x5WeightGradientPlan.Applies(l))
            {
                w.WriteLine("// Winograd F(2x2, 5x5): see Winograd5x5WeightGradientPlan");
                Winograd5x5WeightGradientPlan.WriteCall(w, l);
                return;
            }
            w.WriteLine($"ref float weightGradient = ref {(l.WeightOffset == 0 ? "MemoryMarshal.GetReference(gradients)" : $"Unsafe.Add(ref MemoryMarshal.GetReference(gradients), {I(l.WeightOffset)})")};");
            w.WriteLine($"Span<float> biasGradient = {(l.UseBias ? $"gradients.Slice({I(l.BiasOffset)}, {I(cout)})" : "default")};");
            // Pixels in the lanes for fewer than 8 filters, as in the forward (see PixelLanes.Applies).
            PixelLanes.WriteWeightGradientDispatch(w, shape, width =>
                $"{catalog.Require(PixelLanes.AppliesToEveryWidth(shape) ? new PixelLaneWeightGradientKernel(shape, width) : new ConvWeightGradientKernel(shape, width), name)}(ref weightGradient, biasGradient, input, outputGradient, batch)");
        }
    }
}

/// <summary>
/// Convolution weight gradient with the accumulators in registers. A row of the HWIO gradient is
/// one (tap, input channel) pair; a register tile holds several rows x a block of output channels
/// and runs over every output pixel of a sample before it is stored, so each dW element is loaded
/// and stored once per sample instead of once per output pixel. A row reads the input at a fixed
/// offset from each pixel's window origin: its tap's offset plus its channel. Padded layers copy
/// each sample into a zero border first, so no tap needs a bounds check.
/// </summary>
/// <remarks>
/// Tiles start every T rows; the tiles of one period (lcm(T, channels) rows) differ from those
/// of the next only by whole taps, so the body is a loop over periods whose tiles take a ref to
/// each tap they span (<c>TapOffset</c>, once per tile) and read each row as that ref plus its
/// channel, a literal: the same register tile and the same inner-loop instructions (a broadcast
/// from base + index + displacement, the multiply-adds) as a tile written out with literal
/// offsets from <c>x</c>, without writing every tile. Rows past the last whole period, and layers
/// whose tiles would span more taps than there are spare registers for refs (a first layer with
/// few channels, few rows), are written out with literal offsets. Each tile keeps one ref to its
/// first dW row and reaches row k at the literal k * channels from it (the same loads and stores
/// at base + displacement, one register instead of a ref per row); the inner loop over output
/// pixels is unchanged, its broadcast written inside the multiply-add when a row has one
/// accumulator (the JIT emits the same broadcast and FMA).
/// <para>
/// A Vector256 body of a layer with channels a multiple of 128 (a pixel stride of a multiple of
/// 512 bytes) reads the input and the output gradient through copies with a 64-byte gap after each
/// pixel (<see cref="SpreadStride"/>). At those strides a block's output gradient over every pixel,
/// and a tile's input, fall into a few of the 64 L1 sets: with 16 registers a tile has 6 rows, and
/// the next tile, which reads the same output-gradient lines (and mostly the same input lines),
/// found them evicted and read every one from L2 (ResNet-18's 7x7x512 weight gradient ran at 40% of
/// the FMA peak on Zen 3). Spread over the sets, a block's 7x7 output gradient stays in L1 for all
/// its tiles. The multiply-adds are the same, in the same order: the same bits. Vector512 bodies
/// keep the strides they were measured with.
/// </para>
/// </remarks>
internal sealed record ConvWeightGradientKernel(WindowShape Shape, VectorWidth Width) : KernelKey
{
    /// <summary>
    /// Accumulators per tile, leaving room for the loaded output-gradient vectors and a broadcast:
    /// 4 rows x 4 Vector512 (21 of 32 registers), 6 rows x 2 Vector256 (15 of 16). Tiles of 4 rows x
    /// 4 Vector256 were 21 of 16: the JIT spilled accumulators inside the loop over output pixels.
    /// </summary>
    private int TileAccumulators => Width.Lanes == VectorWidth.V512.Lanes ? 16 : 12;

    /// <summary>Vectors in a channel block: as the forward's (<see cref="ConvForwardKernel.BlockVectorsFor"/>).</summary>
    private System.Collections.Generic.List<ChannelBlock> Blocks => ChannelBlock.Split(Shape.Output.Channels, Width, ConvForwardKernel.BlockVectorsFor(Width), narrowTail: true);

    /// <summary>Layers with at most this many (tap, input channel) rows keep tiles of <see cref="TileAccumulators"/> accumulators even when written out.</summary>
    private const int LiteralRowBudget = 128;

    /// <summary>Refs a tile keeps in general-purpose registers through its inner loop: more would spill.</summary>
    private const int MaxLoopRefs = 6;

    /// <summary>Tiles a period of a few-channel layer with more than <see cref="LiteralRowBudget"/> rows may write out; more take the per-row loop.</summary>
    private const int MaxTilesPerPeriod = 2;

    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"convolution weight gradient {Shape}, {Width.Name}";

    private int Channels => Shape.Input.Channels;

    private int Rows => Shape.Taps * Channels;

    /// <summary>
    /// Floats from one pixel to the next in the copy of a tensor of <paramref name="channels"/>
    /// channels that the kernel reads: the channels, and in a Vector256 body 16 more (one cache
    /// line) when they are a multiple of 128 (see the remarks).
    /// </summary>
    private int SpreadStride(int channels) => Width != VectorWidth.V512 && channels % 128 == 0 ? channels + 16 : channels;

    /// <summary>Floats from one output-gradient pixel to the next as the kernel reads them (more than the channels: a spread copy).</summary>
    private int GradientStride => SpreadStride(Shape.Output.Channels);

    /// <summary>The input offset of tap <paramref name="tap"/> from a window origin (the generated TapOffset).</summary>
    private int TapOffset(PaddedInput geometry, int tap) =>
        (tap / Shape.KernelWidth * Shape.DilationHeight * geometry.Width + tap % Shape.KernelWidth * Shape.DilationWidth) * geometry.PixelStride;

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape;
        var geometry = new PaddedInput(l, pixelStride: SpreadStride(Channels));
        int cin = Channels;
        int cout = l.Output.Channels;
        int gradientStride = GradientStride;
        using (w.WriteBlock($"private static void {name}(ref float weightGradient, Span<float> biasGradient, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int batch)"))
        {
            w.WriteLine($"// Row r of dW is tap r / {I(cin)}, input channel r % {I(cin)}: it reads the input at TapOffset(tap) + channel from each window origin.");
            var blocks = Blocks;
            if (blocks.Exists(b => Tiling(b).Rolled))
            {
                string kernelRow = l.KernelWidth == 1 ? "tap" : $"tap / {I(l.KernelWidth)}";
                string kernelColumn = l.KernelWidth == 1 ? "0" : $"tap % {I(l.KernelWidth)}";
                w.WriteLine($"static int TapOffset(int tap) => {Times(Sum(Times(kernelRow, l.DilationHeight * geometry.Width), Times(kernelColumn, l.DilationWidth)), geometry.PixelStride)};");
            }
            geometry.EmitRent(w);
            long gradientLength = (long)l.Output.Height * l.Output.Width * gradientStride;
            if (gradientStride > cout)
            {
                w.WriteLine($"// Each sample's output gradient with {gradientStride} floats a pixel (its {cout} channels, then a gap that spreads the pixels over the L1 sets).");
                w.WriteLine($"float[] spread = ArrayPool<float>.Shared.Rent({I(gradientLength)});");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                if (gradientStride > cout)
                {
                    using (w.WriteBlock($"for (int p = 0; p < {I(l.Output.Height * l.Output.Width)}; p++)"))
                    {
                        w.WriteLine($"outputGradient.Slice({Sum(Times("n", l.Output.Length), Times("p", cout))}, {I(cout)}).CopyTo(spread.AsSpan({Times("p", gradientStride)}));");
                    }
                    w.WriteLine("ref float dz = ref MemoryMarshal.GetArrayDataReference(spread);");
                }
                else
                {
                    w.WriteLine($"ref float dz = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), {Times("n", l.Output.Length)});");
                }
                geometry.EmitSample(w);
                w.WriteLine($"VectorMath.AddRowsInPlace(biasGradient, outputGradient.Slice({Times("n", l.Output.Length)}, {I(l.Output.Length)})); // db += every pixel's dz (none without bias)");
                int rowBlock = RowBlock(blocks, geometry);
                if (rowBlock > 0)
                {
                    w.WriteLine($"// {I(rowBlock)} rows at a time: their input stays in L1 while every block of output channels runs over them.");
                }
                using (rowBlock > 0 ? w.WriteBlock($"for (int r0 = 0; r0 < {I(Rows)}; r0 += {I(rowBlock)})") : (IDisposable?)null)
                {
                    foreach (var block in blocks)
                    {
                        EmitBlock(w, geometry, block, alone: blocks.Count == 1, rowBlock);
                    }
                }
            }
            geometry.EmitReturn(w);
            if (gradientStride > cout)
            {
                w.WriteLine("ArrayPool<float>.Shared.Return(spread);");
            }
        }
    }

    /// <summary>Tiles of the per-row loop in a row block (<see cref="RowBlock"/>).</summary>
    private const int TilesPerRowBlock = 16;

    /// <summary>
    /// Rows that every block of output channels runs over before the next rows, or 0 for all of them:
    /// when a sample's input is larger than L1 and every block takes the per-row loop over whole tiles,
    /// <see cref="TilesPerRowBlock"/> tiles. A block's tiles read each row's input at every output pixel;
    /// run over all the rows, they took the whole sample through L1 once per block, and read most of it
    /// from further away (ResNet-18's 3x3x512 weight gradient, one thread, Zen 3, 8 samples, medians of
    /// 15 calls in three rounds: 32.2-43.3 ms over every row, 29.7-34.6 ms in blocks of 96 rows, whose
    /// input, about 20 KB, stays in L1). Each dW element is still loaded, added to over the pixels in
    /// order and stored once per sample: the same bits.
    /// </summary>
    private int RowBlock(System.Collections.Generic.List<ChannelBlock> blocks, PaddedInput geometry)
    {
        if ((long)geometry.Height * geometry.Width * geometry.PixelStride * sizeof(float) <= PicturePlan.L1Budget)
        {
            return 0;
        }
        int rowBlock = 0;
        foreach (var block in blocks)
        {
            var (tileRows, period, full, rolled) = Tiling(block);
            if (!rolled || period != 0 || full != Rows || (rowBlock != 0 && rowBlock != tileRows * TilesPerRowBlock))
            {
                return 0;
            }
            rowBlock = tileRows * TilesPerRowBlock;
        }
        return rowBlock > 0 && Rows % rowBlock == 0 && Rows > rowBlock ? rowBlock : 0;
    }

    private void EmitBlock(IndentedTextWriter w, PaddedInput geometry, ChannelBlock block, bool alone, int rowBlock)
    {
        int rows = Rows;
        int cin = Channels;
        var (tileRows, period, full, rolled) = Tiling(block);
        using (ChannelBlocks.Open(w, block, alone))
        {
            w.WriteLine($"// output channels {block.Range()}: {tileRows} rows x {block.Describe()} accumulators");
            int literalFrom = 0;
            if (rolled && period == 0)
            {
                string rowLoop = rowBlock > 0 ? $"for (int r = r0; r < r0 + {I(rowBlock)}; r += {I(tileRows)})" : $"for (int r = 0; r < {I(full)}; r += {I(tileRows)})";
                using (w.WriteBlock(rowLoop))
                {
                    EmitTile(w, geometry, block, 0, tileRows, rolled: true, perRow: true);
                }
                if (rows > full)
                {
                    using (w.WriteBlock())
                    {
                        w.WriteLine($"const int r = {I(full)};");
                        EmitTile(w, geometry, block, 0, rows - full, rolled: true, perRow: true);
                    }
                }
                return;
            }
            if (rolled)
            {
                using (w.WriteBlock($"for (int r = 0; r < {I(full)}; r += {I(period)})"))
                {
                    w.WriteLine($"int tap = r / {I(cin)};");
                    for (int start = 0; start < period; start += tileRows)
                    {
                        // A period of one tile needs no scope of its own.
                        using (period == tileRows ? null : (IDisposable)w.WriteBlock())
                        {
                            w.WriteLine($"// rows r + [{start}, {start + tileRows})");
                            EmitTile(w, geometry, block, start, tileRows, rolled: true);
                        }
                    }
                }
                literalFrom = full;
            }
            for (int start = literalFrom; start < rows; start += tileRows)
            {
                // Tiles that stand alone in their block need no scope of their own.
                using (literalFrom == 0 && rows <= tileRows && alone ? null : (IDisposable)w.WriteBlock())
                {
                    w.WriteLine($"// rows [{start}, {Math.Min(rows, start + tileRows)})");
                    EmitTile(w, geometry, block, start, Math.Min(tileRows, rows - start), rolled: false);
                }
            }
        }
    }

    /// <summary>
    /// Multiply-add lines the kernel writes (its rows written out, times the accumulators per row):
    /// what its size grows with, for the code-size estimate (Layers/Conv2DLayer).
    /// </summary>
    public long WrittenMultiplyAdds()
    {
        long lines = 0;
        foreach (var block in Blocks)
        {
            lines += Written(Tiling(block)) * block.Accumulators;
        }
        return lines;
    }

    /// <summary>
    /// The tiling of a block: the tile of the most rows the registers hold (<see cref="RegisterTile.Rows"/>),
    /// or in a Vector256 body a shorter one, down to <see cref="PicturePlan.LatencyAccumulators"/>
    /// accumulators, when it writes fewer rows out. An 8-channel layer's tiles of 6 rows x 2 Vector256 repeat every 24 rows
    /// (four tiles written per period), tiles of 4 rows every 8 (two). Loops over tiles with a ref per row write one
    /// tile whatever its rows, so a shorter one never replaces the tallest there.
    /// </summary>
    private (int TileRows, int Period, int Full, bool Rolled) Tiling(ChannelBlock block)
    {
        int most = RegisterTile.Rows(Width, block, TileAccumulators);
        if (Rows > LiteralRowBudget)
        {
            most = Math.Min(most, MaxLoopRefs);
        }
        // Vector512 bodies keep the tiles they were measured with (their 32 registers never cut them short).
        int least = Width == VectorWidth.V512 ? most : Math.Min(most, (PicturePlan.LatencyAccumulators + block.Accumulators - 1) / block.Accumulators);
        var best = Tiling(most);
        for (int tileRows = most - 1; tileRows >= least; tileRows--)
        {
            var tiling = Tiling(tileRows);
            if (PerRow(tiling) && PerRow(best))
            {
                // A loop over tiles with a ref per row writes one tile whatever its rows: the tallest
                // reads each output-gradient vector for more rows (ResNet-18's 3x3x512 layers took 4 rows
                // x 2 Vector256, 8 accumulators, where 6 rows, 12, fit).
                continue;
            }
            if (Written(tiling) < Written(best))
            {
                best = tiling;
            }
        }
        return best;
    }

    /// <summary>Whether a tiling is the loop over tiles with a ref per row (no period).</summary>
    private static bool PerRow((int TileRows, int Period, int Full, bool Rolled) tiling) => tiling.Rolled && tiling.Period == 0;

    /// <summary>Rows a tiling writes out: a period (or one tile of the per-row loop) and the rows after the whole periods, or all of them.</summary>
    private long Written((int TileRows, int Period, int Full, bool Rolled) tiling) =>
        !tiling.Rolled ? Rows : (tiling.Period == 0 ? tiling.TileRows : tiling.Period) + (Rows - tiling.Full);

    /// <summary>Rows per tile; rows per period and in the whole periods; whether the periods are a loop.</summary>
    private (int TileRows, int Period, int Full, bool Rolled) Tiling(int tileRows)
    {
        int period = tileRows / Gcd(tileRows, Channels) * Channels;
        int full = Rows / period * period;
        bool rolled = full >= 2 * period && MaxSpan(tileRows, period) <= MaxLoopRefs;
        bool manyTiles = period / tileRows > MaxTilesPerPeriod && (Channels < ChannelBlock.Lanes || period > LiteralRowBudget);
        if (Rows > LiteralRowBudget && (!rolled || manyTiles))
        {
            // Too many rows to write out and no short period, or a period of many small tiles (a
            // 5-channel first layer with 20 filters: tiles of 2 rows, repeating every 5 tiles; a
            // period longer than the rows ever written out), each written out: a loop over tiles
            // with a ref per row, the same tile and inner loop written once.
            return (tileRows, 0, Rows / tileRows * tileRows, true);
        }
        return (tileRows, period, full, rolled);
    }

    /// <summary>The most taps one tile of a period spans (the refs it keeps).</summary>
    private int MaxSpan(int tileRows, int period)
    {
        int most = 0;
        for (int start = 0; start < period; start += tileRows)
        {
            most = Math.Max(most, (start + tileRows - 1) / Channels - start / Channels + 1);
        }
        return most;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>
    /// One tile of rows from <paramref name="first"/>: relative to the period's <c>r</c> (reading
    /// through a ref per tap) when <paramref name="rolled"/>, else absolute with literal offsets from <c>x</c>.
    /// </summary>
    private void EmitTile(IndentedTextWriter w, PaddedInput geometry, ChannelBlock block, int first, int tileRows, bool rolled, bool perRow = false)
    {
        var l = Shape;
        int cin = Channels;
        int cout = l.Output.Channels;
        string v = block.Vector.Name;
        int firstTap = first / cin;
        (string, string) Input(int k) => perRow ? ($"x{k}", "at") : rolled
            ? ($"x{(first + k) / cin - firstTap}", Plus("at", (first + k) % cin))
            : ("x", Plus("at", TapOffset(geometry, (first + k) / cin) + (first + k) % cin));
        if (perRow)
        {
            for (int k = 0; k < tileRows; k++)
            {
                // Row r + k: parenthesised, since / and % bind tighter than +.
                string r = k == 0 ? "r" : $"({Plus("r", k)})";
                w.WriteLine($"ref float x{k} = ref Unsafe.Add(ref x, {Sum($"TapOffset({r} / {I(cin)})", $"{r} % {I(cin)}")});");
            }
        }
        else if (rolled)
        {
            for (int t = firstTap; t <= (first + tileRows - 1) / cin; t++)
            {
                w.WriteLine($"ref float x{t - firstTap} = ref Unsafe.Add(ref x, TapOffset({Plus("tap", t)}));");
            }
        }
        // One ref to the tile's first dW row: row k is at k * {cout} from it.
        string firstRow = rolled ? Plus("r", first) : I(first);
        w.WriteLine($"ref float d = ref {At("weightGradient", Sum(Times(firstRow, cout), block.First))};");
        ChannelBlocks.DeclareTile(w, block, tileRows, (k, lane) => block.Vectors > 0 ? $"{v}.LoadUnsafe(ref d{VectorOffset(I(k * cout + lane))})" : At("d", I(k * cout + lane)));
        using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
        {
            w.WriteLine($"int at = {Times("oy", l.StrideHeight * geometry.Width * geometry.PixelStride)};");
            w.WriteLine($"ref float g = ref Unsafe.Add(ref dz, {Sum(Times("oy", l.Output.Width * GradientStride), block.First)});");
            using (w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++, at += {I(l.StrideWidth * geometry.PixelStride)}, g = ref Unsafe.Add(ref g, {I(GradientStride)}))"))
            {
                RegisterTile.EmitLoads(w, block.Vector, block, "g", "g", j => I(j), declare: true);
                RegisterTile.EmitMultiplyAdds(w, block.Vector, block, tileRows, Input, "g", declare: true);
            }
        }
        ChannelBlocks.StoreTile(w, block, tileRows, "d", a => a, (k, lane) => I(k * cout + lane));
    }
}
