using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// One sample's walk over a depthwise window's output rows, in vectors of one width: the output
/// pixels whose whole window is inside the input (a rectangle whose bounds are constants of the
/// shape) are tiles of <see cref="DepthwiseTile.Pixels"/> neighbours of a row, and only the
/// border pixels around it test their taps. Within a tile each kernel row's input vectors are
/// loaded once and feed every pixel of the tile whose window covers them (with stride 1 and a
/// 3-wide kernel one load serves three multiply-adds), the tile's weights and start value are held
/// in registers along the row, and the last tile of a row starts early enough to end at the
/// interior's last column (it overlaps the one before and stores the same values again). The
/// channels are a loop of single vectors whose last one ends at the last channel (overlapping
/// likewise), so every channel count of at least one vector runs in the widest vectors.
/// <para>
/// The forward body (<see cref="DepthwiseForwardKernel"/>) uses it as is; the stride-1 input
/// gradient (<see cref="DepthwiseInputGradientKernel"/>) with the output gradient as the input,
/// the flipped kernel (<see cref="WeightTap"/>) and the padding that flip implies.
/// </para>
/// </summary>
/// <param name="Window">The window as the body sees it: <c>Input</c> is what <paramref name="Source"/> holds, <c>Output</c> what <paramref name="Target"/> receives.</param>
/// <param name="WeightTap">The weight row (tap of the layer's kernel) that window tap <c>t</c> multiplies.</param>
/// <param name="Start">The accumulators' start value for the channels at <c>cb</c>, as an expression.</param>
/// <param name="Stored">The value stored for accumulator <c>a</c> (the epilogue, or the sum itself).</param>
internal sealed record DepthwiseRows(WindowShape Window, VectorWidth Width, string Source, string Target, Func<int, int> WeightTap, string Start, Func<string, string> Stored)
{
    /// <summary>
    /// Whether the channels' <c>scale</c> and <c>shift</c> of a folded BatchNorm are held next to the
    /// start value, for <see cref="Stored"/> (the scales at <c>bias + cb</c>, the shifts one channel count further).
    /// </summary>
    public bool ScaleShift { get; init; }

    /// <summary>Whether the body can be written this way: the window unrolls and the channels fill at least one vector.</summary>
    public static bool Applies(WindowShape window, VectorWidth width) =>
        window.Taps <= WindowLoops.UnrollTapBudget && window.Output.Channels >= width.Lanes;

    private int C => Window.Output.Channels;

    private string V => Width.Name;

    /// <summary>The loop over the output rows, when not all of them (a forward body of <see cref="RowShares"/>).</summary>
    public string? RowLoop { get; init; }

    public void Emit(IndentedTextWriter w)
    {
        var l = Window;
        var rows = Interior.Of(l.PadTop, l.StrideHeight, l.DilationHeight, l.KernelHeight, l.Input.Height, l.Output.Height);
        var columns = Interior.Of(l.PadLeft, l.StrideWidth, l.DilationWidth, l.KernelWidth, l.Input.Width, l.Output.Width);
        var tile = DepthwiseTile.For(l, Width, columns.Count);
        bool borderRows = rows.Count < l.Output.Height;
        using (w.WriteBlock(RowLoop ?? $"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
        {
            w.WriteLine($"ref float row = ref {At(Target, Times("oy", (long)l.Output.Width * C))};");
            string interior = I(columns.Count);
            if (borderRows && rows.Count > 0 && columns.Count > 0)
            {
                w.WriteLine($"// rows [{rows.First}, {rows.End}) have every kernel row inside the input: their columns [{columns.First}, {columns.End}) are tiles without bounds tests");
                w.WriteLine($"int interior = (uint){Atom(Plus("oy", -rows.First))} < {I(rows.Count)}u ? {I(columns.Count)} : 0;");
                interior = "interior";
            }
            else if (rows.Count == 0 || columns.Count == 0)
            {
                interior = "0";
            }
            using (OpenChannels(w))
            {
                EmitWeights(w, tile);
                w.WriteLine($"{Width.Type} start = {Start};");
                if (ScaleShift)
                {
                    w.WriteLine($"{Width.Type} scale = {V}.LoadUnsafe(ref bias, (nuint)(cb)), shift = {V}.LoadUnsafe(ref bias, (nuint)({Plus("cb", C)}));");
                }
                if (interior != "0")
                {
                    using (interior == "interior" ? w.WriteBlock("if (interior != 0)") : (IDisposable?)null)
                    {
                        EmitTiles(w, tile, columns);
                    }
                }
                if (interior != I(l.Output.Width))
                {
                    EmitBorder(w, tile, columns, interior);
                }
            }
        }
    }

    /// <summary>
    /// The loop over the channel vectors, declaring <c>cb</c>: a plain loop when the channels are
    /// whole vectors, else one whose last vector starts at <c>channels - lanes</c>.
    /// </summary>
    private IDisposable OpenChannels(IndentedTextWriter w)
    {
        int lanes = Width.Lanes;
        if (C == lanes)
        {
            w.WriteLine($"// output channels [0, {I(lanes)}): one {V}");
            var scope = w.WriteBlock();
            w.WriteLine("const int cb = 0;");
            return scope;
        }
        if (C % lanes == 0)
        {
            w.WriteLine($"// output channels [cb, cb + {I(lanes)}): one {V} each");
            return w.WriteBlock($"for (int cb = 0; cb < {I(C)}; cb += {I(lanes)})");
        }
        w.WriteLine($"// output channels [cb, cb + {I(lanes)}): one {V} each, the last one [{I(C - lanes)}, {I(C)}) overlapping the one before (its first {I(lanes - C % lanes)} lanes are computed and stored again)");
        var block = w.WriteBlock($"for (int first = 0; first < {I(C)}; first += {I(lanes)})");
        w.WriteLine($"int cb = Math.Min(first, {I(C - lanes)});");
        return block;
    }

    private string Weight(int t) => $"{V}.LoadUnsafe(ref weights, (nuint)({Plus("cb", (long)WeightTap(t) * C)}))";

    private void EmitWeights(IndentedTextWriter w, DepthwiseTile tile)
    {
        if (!tile.HoldsWeights)
        {
            return;
        }
        for (int t = 0; t < Window.Taps; t++)
        {
            w.WriteLine($"{Width.Type} w{t} = {Weight(t)};{(WeightTap(t) != t ? $" // tap ({t / Window.KernelWidth},{t % Window.KernelWidth}) multiplies weight row {WeightTap(t)}" : "")}");
        }
    }

    /// <summary>The tiles of the interior columns of a row; the last one ends at the interior's end.</summary>
    private void EmitTiles(IndentedTextWriter w, DepthwiseTile tile, Interior columns)
    {
        int p = tile.Pixels;
        int tiles = (columns.Count + p - 1) / p;
        if (tiles == 1)
        {
            w.WriteLine($"// interior columns [{columns.First}, {columns.End}): one tile of {p} pixels");
            using (w.WriteBlock())
            {
                w.WriteLine($"const int ox = {I(columns.First)};");
                EmitTile(w, tile);
            }
            return;
        }
        if (tiles * p == columns.Count)
        {
            w.WriteLine($"// interior columns [{columns.First}, {columns.End}): {tiles} tiles of {p} pixels");
            using (w.WriteBlock($"for (int ox = {I(columns.First)}; ox < {I(columns.End)}; ox += {I(p)})"))
            {
                EmitTile(w, tile);
            }
            return;
        }
        int last = columns.End - p;
        w.WriteLine($"// interior columns [{columns.First}, {columns.End}): {tiles} tiles of {p} pixels, the last one starting at {last} (it overlaps the one before)");
        using (w.WriteBlock($"for (int next = {I(columns.First)}; next < {I(columns.End)}; next += {I(p)})"))
        {
            w.WriteLine($"int ox = Math.Min(next, {I(last)});");
            EmitTile(w, tile);
        }
    }

    /// <summary>
    /// Pixels <c>[ox, ox + P)</c>: per kernel row, each input column under some pixel's window is
    /// loaded once into <c>v</c> and multiplied into every pixel whose tap lands on it; the taps of
    /// each pixel are added in the order of the border pixels' walk (kernel rows, then columns).
    /// </summary>
    private void EmitTile(IndentedTextWriter w, DepthwiseTile tile)
    {
        var l = Window;
        int c = C;
        int p = tile.Pixels;
        var block = new ChannelBlock(0, 1, 0, 1, Width);
        ChannelBlocks.DeclareTile(w, block, p, (_, _) => "start");
        w.WriteLine($"{Width.Type} v;");
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            string inputRow = Plus(Times("oy", l.StrideHeight), ky * l.DilationHeight - l.PadTop);
            string inputColumn = Plus(Times("ox", l.StrideWidth), -l.PadLeft);
            w.WriteLine($"// kernel row {ky}: input row {inputRow}, columns from {inputColumn}");
            w.WriteLine($"ref float line{ky} = ref Unsafe.Add(ref {Source}, {Sum(Times(Sum(Times(inputRow, l.Input.Width), inputColumn), c), "cb")});");
            if (!tile.HoldsWeights)
            {
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    int t = ky * l.KernelWidth + kx;
                    w.WriteLine($"{Width.Type} w{t} = {Weight(t)};");
                }
            }
            var uses = DepthwiseTile.ColumnUses(l, p);
            foreach (var use in uses)
            {
                w.WriteLine($"v = {V}.LoadUnsafe(ref line{ky}{VectorOffset(I((long)use.Key * c))});");
                foreach (var (i, kx) in use.Value)
                {
                    w.WriteLine($"a{i}_0 = {V}.MultiplyAddEstimate(v, w{ky * l.KernelWidth + kx}, a{i}_0);");
                }
            }
        }
        w.WriteLine($"ref float pixel = ref Unsafe.Add(ref row, {Sum(Times("ox", c), "cb")});");
        ChannelBlocks.StoreTile(w, block, p, "pixel", Stored, (i, _) => I((long)i * c));
    }

    /// <summary>
    /// The pixels outside the interior, each with the bounds tests of the taps padding can put
    /// outside: columns <c>[0, first)</c> and <c>[first + interior, width)</c> of the row (all of
    /// them in a border row, whose <c>interior</c> is 0).
    /// </summary>
    private void EmitBorder(IndentedTextWriter w, DepthwiseTile tile, Interior columns, string interior)
    {
        var l = Window;
        int c = C;
        if (interior == "0")
        {
            w.WriteLine("// every pixel of the row is a border pixel");
        }
        else
        {
            w.WriteLine($"// the border pixels: columns [0, {columns.First}) and [{columns.First} + {(interior == "interior" ? "interior" : interior)}, {l.Output.Width})");
        }
        IDisposable loop;
        if (interior == "0")
        {
            loop = w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++)");
        }
        else
        {
            string count = interior == "interior" ? $"{I(l.Output.Width)} - interior" : I(l.Output.Width - columns.Count);
            loop = w.WriteBlock($"for (int i = 0; i < {count}; i++)");
            w.WriteLine($"int ox = i < {I(columns.First)} ? i : i + {interior};");
        }
        using (loop)
        {
            w.WriteLine($"{Width.Type} a = start;");
            DepthwiseTaps.Emit(w, l, (tap, source, at) =>
            {
                int t = int.Parse(tap, System.Globalization.CultureInfo.InvariantCulture);
                string weight = tile.HoldsWeights ? $"w{t}" : Weight(t);
                return new[] { $"a = {V}.MultiplyAddEstimate({V}.LoadUnsafe(ref {source}{VectorOffset(Sum(at, "cb"))}), {weight}, a);" };
            }, Source);
            string stored = Stored("a");
            w.WriteLine($"{(stored.Contains(" ") && !ChannelBlocks.IsCall(stored) ? $"({stored})" : stored)}.StoreUnsafe(ref row, (nuint)({Sum(Times("ox", c), "cb")}));");
        }
    }

    private static string Atom(string expression) => expression.Contains(" ") ? $"({expression})" : expression;

    /// <summary>
    /// The output positions <c>[First, End)</c> along one axis whose every tap is inside the input
    /// (constants of the shape; empty when the kernel is wider than the padded input allows).
    /// </summary>
    internal readonly record struct Interior(int First, int End)
    {
        public int Count => End - First;

        public static Interior Of(int pad, int stride, int dilation, int kernel, int inputSize, int outputSize)
        {
            int first = Math.Min(outputSize, Math.Max(0, (pad + stride - 1) / stride));
            long last = (long)inputSize - 1 + pad - (long)(kernel - 1) * dilation;
            int end = last < 0 ? first : (int)Math.Min(outputSize, last / stride + 1);
            return new Interior(first, Math.Max(first, end));
        }
    }
}

/// <summary>
/// The register tile of <see cref="DepthwiseRows"/>: how many neighbouring pixels of a row share
/// their input loads, and whether the window's weights stay in registers along the row (else each
/// kernel row loads its own). Pixels, weights, the start value, the loaded input and a spare
/// register fit the machine's vector registers; at most 8 pixels (past that a load serves no
/// more taps and the tile's code only grows), and the interior's columns are split into equal
/// tiles (18 columns with room for 8 are 3 tiles of 6, not 8 + 8 + 2).
/// </summary>
internal readonly record struct DepthwiseTile(int Pixels, bool HoldsWeights)
{
    private const int MaxPixels = 8;

    /// <summary>The start value, the loaded input vector and one spare.</summary>
    private const int Reserved = 3;

    /// <summary>
    /// For a tile of <paramref name="pixels"/> neighbouring outputs, the pixels and kernel columns
    /// that read each input column of a kernel row, by column from the tile's first (column u is
    /// tap kx of pixel i where u = i * stride + kx * dilation): each column is loaded once and
    /// serves every use.
    /// </summary>
    public static SortedDictionary<int, List<(int Pixel, int Kx)>> ColumnUses(WindowShape l, int pixels)
    {
        var uses = new SortedDictionary<int, List<(int Pixel, int Kx)>>();
        for (int i = 0; i < pixels; i++)
        {
            for (int kx = 0; kx < l.KernelWidth; kx++)
            {
                int u = i * l.StrideWidth + kx * l.DilationWidth;
                if (!uses.TryGetValue(u, out var list))
                {
                    uses[u] = list = new List<(int, int)>();
                }
                list.Add((i, kx));
            }
        }
        return uses;
    }

    public static DepthwiseTile For(WindowShape l, VectorWidth width, int interiorColumns)
    {
        int registers = DepthwiseBlock.Registers(width) - Reserved;
        // Weights held when at least two pixels still fit beside them.
        bool held = l.Taps + 2 <= registers;
        int room = registers - (held ? l.Taps : l.KernelWidth);
        int pixels = Math.Max(1, Math.Min(MaxPixels, room));
        if (interiorColumns > 0)
        {
            int tiles = (interiorColumns + pixels - 1) / pixels;
            pixels = (interiorColumns + tiles - 1) / tiles;
        }
        return new DepthwiseTile(pixels, held);
    }
}
