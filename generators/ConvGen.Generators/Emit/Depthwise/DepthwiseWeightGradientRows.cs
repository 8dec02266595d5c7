using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// The depthwise weight gradient of one sample in single channel vectors, with the taps' sums
/// <c>g{t}</c> in registers: the interior pixels of each row (see <see cref="DepthwiseRows"/>)
/// are tiles of <see cref="DepthwiseTile.Pixels"/> neighbours whose output-gradient vectors are
/// loaded once, and each input vector a kernel row loads is multiplied with every tile pixel
/// whose window covers it (one load feeds up to kernel-width sums). The sums accumulate, so the
/// tiles must not overlap: the interior columns a whole tile does not cover join the border
/// pixels, which test their taps. The last channel vector ends at the last channel; its lanes the
/// vector before already summed are masked out when the sums are added to the gradient.
/// </summary>
internal sealed record DepthwiseWeightGradientRows(WindowShape Window, VectorWidth Width, bool Bias)
{
    /// <summary>Whether the body can be written this way: the window unrolls, its sums and a tile of two pixels fit the registers, the channels fill a vector.</summary>
    public static bool Applies(WindowShape window, VectorWidth width, bool bias) =>
        DepthwiseRows.Applies(window, width) && window.Taps + (bias ? 1 : 0) + 2 <= DepthwiseBlock.Registers(width) - Reserved;

    /// <summary>The loaded input vector and one spare.</summary>
    private const int Reserved = 2;

    private int C => Window.Output.Channels;

    private string V => Width.Name;

    private int Pixels(int interiorColumns)
    {
        int room = DepthwiseBlock.Registers(Width) - Reserved - Window.Taps - (Bias ? 1 : 0);
        int pixels = Math.Max(1, Math.Min(8, room));
        if (interiorColumns == 0)
        {
            return pixels;
        }
        int tiles = (interiorColumns + pixels - 1) / pixels;
        return (interiorColumns + tiles - 1) / tiles;
    }

    public void Emit(IndentedTextWriter w)
    {
        var l = Window;
        int lanes = Width.Lanes;
        var rows = DepthwiseRows.Interior.Of(l.PadTop, l.StrideHeight, l.DilationHeight, l.KernelHeight, l.Input.Height, l.Output.Height);
        var columns = DepthwiseRows.Interior.Of(l.PadLeft, l.StrideWidth, l.DilationWidth, l.KernelWidth, l.Input.Width, l.Output.Width);
        int p = Pixels(columns.Count);
        int tiles = rows.Count > 0 ? columns.Count / p : 0;
        int tiled = tiles * p;
        IDisposable channels;
        if (C == lanes)
        {
            w.WriteLine($"// channels [0, {I(lanes)}): one {V}");
            channels = w.WriteBlock();
            w.WriteLine("const int cb = 0;");
        }
        else if (C % lanes == 0)
        {
            w.WriteLine($"// channels [cb, cb + {I(lanes)}): one {V} each");
            channels = w.WriteBlock($"for (int cb = 0; cb < {I(C)}; cb += {I(lanes)})");
        }
        else
        {
            w.WriteLine($"// channels [cb, cb + {I(lanes)}): one {V} each, the last one [{I(C - lanes)}, {I(C)}) overlapping the one before (its first {I(lanes - C % lanes)} lanes are masked out of the sums)");
            channels = w.WriteBlock($"for (int first = 0; first < {I(C)}; first += {I(lanes)})");
            w.WriteLine($"int cb = Math.Min(first, {I(C - lanes)});");
        }
        using (channels)
        {
            for (int t = 0; t < l.Taps; t++)
            {
                w.WriteLine($"{Width.Type} g{t} = {Width.Type}.Zero;");
            }
            if (Bias)
            {
                w.WriteLine($"{Width.Type} gb = {Width.Type}.Zero;");
            }
            using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
            {
                string interior = I(tiled);
                if (tiled > 0 && rows.Count < l.Output.Height)
                {
                    w.WriteLine($"// rows [{rows.First}, {rows.End}) have every kernel row inside the input: their columns [{columns.First}, {columns.First + tiled}) are tiles without bounds tests");
                    w.WriteLine($"int interior = (uint){Atom(Plus("oy", -rows.First))} < {I(rows.Count)}u ? {I(tiled)} : 0;");
                    interior = "interior";
                }
                if (tiled > 0)
                {
                    using (interior == "interior" ? w.WriteBlock("if (interior != 0)") : (IDisposable?)null)
                    {
                        w.WriteLine($"// interior columns [{columns.First}, {columns.First + tiled}): {tiles} tile{(tiles == 1 ? "" : "s")} of {p} pixels");
                        using (w.WriteBlock(tiles == 1 ? "" : $"for (int ox = {I(columns.First)}; ox < {I(columns.First + tiled)}; ox += {I(p)})"))
                        {
                            if (tiles == 1)
                            {
                                w.WriteLine($"const int ox = {I(columns.First)};");
                            }
                            EmitTile(w, p);
                        }
                    }
                }
                if (interior != I(l.Output.Width))
                {
                    EmitBorder(w, columns, interior);
                }
            }
            w.WriteLine("// add the sample's sums to the gradient");
            string keep = "";
            if (C % lanes != 0)
            {
                w.WriteLine($"{Width.Type} keep = {V}.GreaterThanOrEqual({Width.Type}.Indices, {V}.Create((float)(first - cb)));");
                keep = " & keep";
            }
            for (int t = 0; t < l.Taps; t++)
            {
                string at = VectorOffset(Plus("cb", (long)t * C));
                w.WriteLine($"({V}.LoadUnsafe(ref weightGradient{at}) + {(keep.Length > 0 ? $"(g{t}{keep})" : $"g{t}")}).StoreUnsafe(ref weightGradient{at});");
            }
            if (Bias)
            {
                w.WriteLine($"({V}.LoadUnsafe(ref biasGradient, (nuint)(cb)) + {(keep.Length > 0 ? $"(gb{keep})" : "gb")}).StoreUnsafe(ref biasGradient, (nuint)(cb));");
            }
        }
    }

    /// <summary>Pixels <c>[ox, ox + P)</c>: their output-gradient vectors <c>d{i}</c>, then per kernel row each input column once, into the sums of the taps that read it.</summary>
    private void EmitTile(IndentedTextWriter w, int p)
    {
        var l = Window;
        int c = C;
        w.WriteLine($"ref float pixel = ref Unsafe.Add(ref dy, {Sum(Times(Sum(Times("oy", l.Output.Width), "ox"), c), "cb")});");
        for (int i = 0; i < p; i++)
        {
            w.WriteLine($"{Width.Type} d{i} = {V}.LoadUnsafe(ref pixel{VectorOffset(I((long)i * c))});");
        }
        if (Bias)
        {
            w.WriteLine($"gb += {string.Join(" + ", Range(p, i => $"d{i}"))};");
        }
        w.WriteLine($"{Width.Type} v;");
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            string inputRow = Plus(Times("oy", l.StrideHeight), ky * l.DilationHeight - l.PadTop);
            string inputColumn = Plus(Times("ox", l.StrideWidth), -l.PadLeft);
            w.WriteLine($"// kernel row {ky}: input row {inputRow}, columns from {inputColumn}");
            w.WriteLine($"ref float line{ky} = ref Unsafe.Add(ref x, {Sum(Times(Sum(Times(inputRow, l.Input.Width), inputColumn), c), "cb")});");
            var uses = DepthwiseTile.ColumnUses(l, p);
            foreach (var use in uses)
            {
                w.WriteLine($"v = {V}.LoadUnsafe(ref line{ky}{VectorOffset(I((long)use.Key * c))});");
                foreach (var (i, kx) in use.Value)
                {
                    int t = ky * l.KernelWidth + kx;
                    w.WriteLine($"g{t} = {V}.MultiplyAddEstimate(v, d{i}, g{t});");
                }
            }
        }
    }

    /// <summary>The pixels outside the tiles, each with the bounds tests of the taps padding can put outside.</summary>
    private void EmitBorder(IndentedTextWriter w, DepthwiseRows.Interior columns, string interior)
    {
        var l = Window;
        int c = C;
        IDisposable loop;
        if (interior == "0")
        {
            w.WriteLine("// every pixel of the row is a border pixel");
            loop = w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++)");
        }
        else
        {
            w.WriteLine($"// the pixels outside the tiles: columns [0, {columns.First}) and [{columns.First} + {interior}, {l.Output.Width})");
            string count = interior == "interior" ? $"{I(l.Output.Width)} - interior" : I(l.Output.Width - int.Parse(interior, System.Globalization.CultureInfo.InvariantCulture));
            loop = w.WriteBlock($"for (int i = 0; i < {count}; i++)");
            w.WriteLine($"int ox = i < {I(columns.First)} ? i : i + {interior};");
        }
        using (loop)
        {
            w.WriteLine($"{Width.Type} d = {V}.LoadUnsafe(ref dy, (nuint)({Sum(Times(Sum(Times("oy", l.Output.Width), "ox"), c), "cb")}));");
            if (Bias)
            {
                w.WriteLine("gb += d;");
            }
            DepthwiseTaps.Emit(w, l, (tap, source, at) =>
                new[] { $"g{tap} = {V}.MultiplyAddEstimate({V}.LoadUnsafe(ref {source}{VectorOffset(Sum(at, "cb"))}), d, g{tap});" });
        }
    }

    private static string Atom(string expression) => expression.Contains(" ") ? $"({expression})" : expression;

    private static IEnumerable<string> Range(int count, Func<int, string> item)
    {
        for (int i = 0; i < count; i++)
        {
            yield return item(i);
        }
    }
}
