using System;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.Arithmetic;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Direct convolution body, NHWC input, HWIO weights, for one shape and vector width. The
/// register tile is a run of output pixels along a row by a block of output channels (up to 4
/// vectors): every weight vector loaded is used for all the tile's pixels, and every input
/// value broadcast for all its vectors. Taps and input channels are loops (input channels
/// unrolled when few); a padded layer reads a zero-bordered copy of each sample, so no tap
/// needs a bounds check. The weights and bias come as refs and the bias / fused activation as
/// the <see cref="Epilogue"/> type argument, so every use of these shapes shares the body.
/// Layers with fewer filters than a vector put output pixels in the lanes instead (the rule:
/// <see cref="PixelLanes.Applies"/>, the rows: <see cref="PixelLaneTiles"/>). Layers whose
/// weights are large next to their map (ResNet's 512 channels on 7x7) run the same tiles in
/// another loop order, channel blocks outermost over the whole map's pixels (the rule and the
/// loops: <see cref="PicturePlan"/>).
/// </summary>
/// <remarks>
/// The inner loop is the same instructions as a tile written with one statement per step: the
/// start value is read once per tile and copied into each pixel's accumulators (register
/// copies instead of repeated loads of the same bias vector), and with one accumulator per
/// pixel the broadcast is written inside the multiply-add, which the JIT compiles to the same
/// broadcast and FMA as a separate <c>s = Create(...)</c>. Only the C# is shorter.
/// <para>
/// <see cref="Rows"/>, when set, spreads the output rows out: row <c>oy</c> of sample <c>n</c> starts at
/// <c>n * Rows.Sample + oy * Rows.Row</c> instead of packed rows. A transposed convolution whose
/// kernel equals its stride writes each kernel row's share of its output this way (see
/// <see cref="TransposedConvEmitter"/>): the rows between belong to the other kernel rows.
/// </para>
/// <para>
/// A <see cref="Scaled"/> body is a convolution with a BatchNorm folded in at inference: its bias
/// ref points at the folded scales (the shifts follow, one channel count further), and each tile's
/// store is <c>TEpilogue.Apply(sum, scale, shift)</c> of an epilogue that implements
/// <see cref="ScaledEpilogueContract"/>. It is a body of its own: the training forward of the same
/// shape keeps the unscaled one.
/// </para>
/// <para>
/// A <see cref="Residual"/> body stores a residual Add's sum at inference (see <see cref="ResidualFolding"/>):
/// it also takes the Add's other summand as <c>skip</c>, laid out as its output, and each store is
/// <c>TEpilogue.Apply(sum, [scale, shift,] ref skip, at)</c> with the store's own offset, of an epilogue
/// that implements <see cref="ResidualEpilogueContract"/>. Only direct and picture-plan bodies (no pixels in the lanes, no spread rows).
/// </para>
/// </remarks>
internal sealed record ConvForwardKernel(WindowShape Shape, VectorWidth Width, OutputRows? Rows = null, bool Scaled = false, bool Residual = false) : KernelKey
{
    /// <summary>
    /// Accumulators per tile: <see cref="TilePixels"/> pixels x the width's block vectors, 24 with
    /// AVX-512 and 12 with AVX2. With the block's weight vectors and the broadcast they take 29 of
    /// the 32 vector registers, or 15 of the 16 (<see cref="VectorWidth.Registers"/>).
    /// </summary>
    private int TileAccumulators => TileAccumulatorsFor(Width);

    /// <summary>See <see cref="TileAccumulators"/>.</summary>
    internal static int TileAccumulatorsFor(VectorWidth width) => TilePixels * BlockVectorsFor(width);

    /// <summary>Output pixels in a full tile of a block of whole vectors.</summary>
    internal const int TilePixels = 6;

    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"convolution {Shape}, {Width.Name}" + (Scaled ? ", the folded BatchNorm's scale and shift in the store" : "") + (Residual ? ", plus a residual summand" : "") + (Plan is PicturePlan plan ? ", " + plan.Describe(Shape.Input.Channels) : "") + (Rows is OutputRows r ? $", output rows {r.Row} and samples {r.Sample} floats apart" : "");

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape;
        var source = new PaddedInput(l, planar: UsesPixelLanes);
        if (Residual && (UsesPixelLanes || Rows is not null))
        {
            throw new InvalidOperationException("A residual store needs a direct or picture-plan body (ResidualFolding.Supports).");
        }
        var pixelLanes = new PixelLaneTiles(l, Width, source, Scaled);
        // A picture body reads the weights packed by channel block (ConvGen.Kernels.PictureWeights), the row plan HWIO.
        string contract = Residual ? ResidualEpilogueContract.NameOf(Scaled) : Scaled ? ScaledEpilogueContract.Name : EpilogueContract.Name;
        using (w.WriteBlock($"private static void {name}<TEpilogue>(ref float {(Plan is null ? "weights" : "packed")}, ref float bias, {(Residual ? "ref float skip, " : "")}ReadOnlySpan<float> input, Span<float> output, {RowShares.Parameter}) where TEpilogue : struct, {contract}"))
        {
            source.EmitRent(w);
            var picture = Plan is PicturePlan plan ? new PictureTiles(l, source, plan, Width, TileAccumulators, Scaled, Residual) : (PictureTiles?)null;
            if (UsesPixelLanes)
            {
                pixelLanes.EmitStage(w);
            }
            // The picture plan splits a picture over threads by its channel blocks: every thread
            // reads every sample's whole input and writes its own blocks' channels.
            using (picture is null ? RowShares.OpenSamples(w, l.Output.Height) : w.WriteBlock("for (int n = 0; n < rows.Batch; n++)"))
            {
                source.EmitSample(w, inShare: picture is null);
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), {Times("n", Rows?.Sample ?? l.Output.Length)});");
                if (Residual)
                {
                    w.WriteLine($"ref float residual = ref {At("skip", Times("n", l.Output.Length))}; // the sample's residual summand, laid out as y");
                }
                if (picture is PictureTiles tiles)
                {
                    tiles.EmitSample(w, Blocks);
                }
                else
                {
                    EmitRows(w, source, pixelLanes);
                }
            }
            source.EmitReturn(w);
        }
    }

    /// <summary>
    /// Vectors in a channel block: 4 x 16 lanes with AVX-512, 2 x 8 lanes with AVX2, each leaving
    /// registers for a tile of <see cref="TilePixels"/> pixels. Four Vector256 vectors made tiles of
    /// 3 pixels whose 12 accumulators, 4 weights and broadcast are 17 registers of 16: the JIT kept
    /// an accumulator on the stack, loaded and stored again at every input channel.
    /// </summary>
    internal static int BlockVectorsFor(VectorWidth width) => width.Lanes == VectorWidth.V512.Lanes ? 4 : 2;

    /// <summary>The row plan: each output row of the share, every channel block's tiles along it (or pixels in the lanes).</summary>
    private void EmitRows(IndentedTextWriter w, PaddedInput source, PixelLaneTiles pixelLanes)
    {
        using (w.WriteBlock(RowShares.RowLoop(Shape.Output.Height)))
        {
            if (UsesPixelLanes)
            {
                pixelLanes.EmitRow(w);
            }
            else
            {
                var blocks = Blocks;
                foreach (var block in blocks)
                {
                    EmitBlock(w, source, block, alone: blocks.Count == 1);
                }
            }
        }
    }

    /// <summary>The channel blocks of the output, a narrow Vector128 tail included (each written in its own width).</summary>
    internal System.Collections.Generic.List<ChannelBlock> Blocks => ChannelBlock.Split(Shape.Output.Channels, Width, BlockVectorsFor(Width), narrowTail: true);

    /// <summary>The loop order for large weights on small maps (the rule: <see cref="PicturePlan.For"/>), or null for rows.</summary>
    internal PicturePlan? Plan => UsesPixelLanes || Rows is not null ? null : PicturePlan.For(Shape, Width, TileAccumulators);

    /// <summary>A body with a Vector128 tail block needs the epilogue's Vector128 member.</summary>
    public override bool UsesVector128 => !UsesPixelLanes && Blocks.Exists(b => b.Vector == VectorWidth.V128);

    /// <summary>Output pixels in the lanes instead of channels: the rule is <see cref="PixelLanes.Applies"/>.</summary>
    private bool UsesPixelLanes => Rows is null && PixelLanes.Applies(Shape, Width);

    /// <summary><c>ky * rowStride + kx * columnStride</c>: a tap's offset in a window, no literal identities.</summary>
    internal static string TapOffset(TapLoops taps, int rowStride, int columnStride) => Sum(Times(taps.Row, rowStride), Times(taps.Column, columnStride));

    /// <summary>
    /// The loops over the kernel's rows and columns; an axis of length 1 (1x1, 1xK, Kx1 kernels)
    /// gets no loop and indexes with 0, so the code says what it does.
    /// </summary>
    internal sealed class TapLoops : IDisposable
    {
        private readonly IDisposable? _rows;
        private readonly IDisposable? _columns;

        public TapLoops(IndentedTextWriter w, int height, int width)
        {
            _rows = height > 1 ? w.WriteBlock($"for (int ky = 0; ky < {I(height)}; ky++)") : null;
            _columns = width > 1 ? w.WriteBlock($"for (int kx = 0; kx < {I(width)}; kx++)") : null;
            Row = height > 1 ? "ky" : "0";
            Column = width > 1 ? "kx" : "0";
        }

        public string Row { get; }

        public string Column { get; }

        public void Dispose()
        {
            _columns?.Dispose();
            _rows?.Dispose();
        }
    }

    private void EmitBlock(IndentedTextWriter w, PaddedInput source, ChannelBlock block, bool alone)
    {
        int outputWidth = Shape.Output.Width;
        int pixels = Math.Min(outputWidth, RegisterTile.Rows(Width, block, TileAccumulators));
        int full = outputWidth / pixels * pixels;
        using (ChannelBlocks.Open(w, block, alone))
        {
            w.WriteLine($"// output channels {block.Range()}: {pixels} pixels x {block.Describe()} accumulators");
            bool remainder = full < outputWidth;
            if (full > pixels)
            {
                using (w.WriteBlock($"for (int ox = 0; ox < {I(full)}; ox += {I(pixels)})"))
                {
                    EmitTile(w, source, block, pixels, "ox");
                }
            }
            else
            {
                // One tile spans the row: no loop over ox. Its own scope only if a remainder tile follows.
                using (remainder ? w.WriteBlock() : (IDisposable?)null)
                {
                    EmitTile(w, source, block, pixels, "0");
                }
            }
            if (remainder)
            {
                using (w.WriteBlock())
                {
                    EmitTile(w, source, block, outputWidth - full, I(full));
                }
            }
        }
    }

    /// <summary>One register tile of <paramref name="pixels"/> pixels from output column <paramref name="ox"/> (a name or a literal).</summary>
    private void EmitTile(IndentedTextWriter w, PaddedInput source, ChannelBlock block, int pixels, string ox)
    {
        var l = Shape;
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        var width = block.Vector;
        string v = width.Name;
        int pixelStride = l.StrideWidth * cin;
        w.WriteLine($"ref float window = ref Unsafe.Add(ref x, {Times(Sum(Times("oy", l.StrideHeight * source.Width), Times(ox, l.StrideWidth)), cin)});");
        string pixelOffset = Rows is OutputRows rows ? Sum(Times("oy", rows.Row), Times(ox, cout)) : Times(Sum(Times("oy", l.Output.Width), ox), cout);
        w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {Sum(pixelOffset, block.First)});");
        // The start value once (the bias or zero); every pixel's accumulators copy it.
        ChannelBlocks.Declare(w, block, "b",
            lane => $"TEpilogue.HasBias ? {v}.LoadUnsafe(ref bias{VectorOffset(block.Offset(lane))}) : {width.Type}.Zero",
            s => $"TEpilogue.HasBias ? {At("bias", block.Offset(s))} : 0f");
        ChannelBlocks.DeclareTile(w, block, pixels, (_, lane) => $"b{(block.Vectors > 0 ? lane / width.Lanes : lane)}");
        using (var taps = new TapLoops(w, l.KernelHeight, l.KernelWidth))
        {
            w.WriteLine($"ref float xp = ref {At("window", Times(TapOffset(taps, l.DilationHeight * source.Width, l.DilationWidth), cin))};");
            w.WriteLine($"ref float wp = ref {At("weights", Sum(Times(TapOffset(taps, l.KernelWidth, 1), cin * cout), block.First))};");
            if (cin <= 4)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    EmitMultiplyAdd(w, block, pixels, pixelStride, I(ci), I(ci * cout), declare: ci == 0);
                }
            }
            else
            {
                // A native-sized counter indexes the inputs without a sign extension per load, and the
                // weights' pointer moves on a filter row a step instead of multiplying the counter.
                using (w.WriteBlock($"for (nint ci = 0; ci < {I(cin)}; ci++)"))
                {
                    EmitMultiplyAdd(w, block, pixels, pixelStride, "ci", "0", declare: true);
                    w.WriteLine($"wp = ref Unsafe.Add(ref wp, {I(cout)});");
                }
            }
        }
        if (Scaled)
        {
            ChannelBlocks.DeclareScaleShift(w, block, cout);
        }
        if (Residual)
        {
            w.WriteLine($"ref float skipPixel = ref Unsafe.Add(ref residual, {Sum(pixelOffset, block.First)});");
            ChannelBlocks.StoreTile(w, block, pixels, "pixel", (a, j, at) => ChannelBlocks.ResidualEpilogue(a, j, Scaled, "skipPixel", at), (p, lane) => I(p * cout + lane));
            return;
        }
        ChannelBlocks.StoreTile(w, block, pixels, "pixel", (a, j) => ChannelBlocks.Epilogue(a, j, Scaled), (p, lane) => I(p * cout + lane));
    }

    /// <summary>One input channel: the block's weight vectors once, each pixel's input broadcast once.</summary>
    private void EmitMultiplyAdd(IndentedTextWriter w, ChannelBlock block, int pixels, int pixelStride, string ci, string weightRow, bool declare)
    {
        RegisterTile.EmitLoads(w, block.Vector, block, "w", "wp", k => Plus(weightRow, k), declare);
        RegisterTile.EmitMultiplyAdds(w, block.Vector, block, pixels, p => ("xp", Plus(ci, p * pixelStride)), "w", declare);
    }
}

/// <summary>Floats between consecutive output rows and samples, when a body's output rows are not packed (see <see cref="ConvForwardKernel.Rows"/>).</summary>
internal readonly record struct OutputRows(int Row, int Sample);
