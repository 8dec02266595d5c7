using System;
using System.Collections.Generic;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// The weight gradient of a layer whose forward puts output pixels in the lanes (see
/// <see cref="PixelLanes.Applies"/>: few filters, stride 1 along the rows). dW[tap, ci, co] is the
/// sum over output pixels of x[pixel + tap, ci] * dz[pixel, co]; with channels in the lanes it
/// would run on scalars (LeNet's 6 filters), so here the lanes hold consecutive output pixels.
/// Each sample's input is copied per channel (planar) and its output gradient per filter, both
/// with rows rounded up to whole vectors and zeros past the row's end (the input's copy reaches
/// that far, so the extra lanes multiply zero by zero and no pixel counts twice). A register tile
/// holds a few (tap, input channel) rows x every filter as vectors, runs over every output pixel
/// of the sample, and is summed across its lanes once at the end: each dW element takes one
/// horizontal sum per sample, in the same order for any thread count.
/// </summary>
internal sealed record PixelLaneWeightGradientKernel(WindowShape Shape, VectorWidth Width) : KernelKey
{
    /// <summary>Refs to input rows a rolled tile keeps in general-purpose registers through its inner loop.</summary>
    private const int MaxLoopRefs = 6;

    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"convolution weight gradient {Shape}, {Width.Name}, output pixels in the lanes";

    private int Channels => Shape.Input.Channels;

    private int Filters => Shape.Output.Channels;

    private int Lanes => Width.Lanes;

    private int Rows => Shape.Taps * Channels;

    /// <summary>Output pixels per row rounded up to whole vectors: the columns of the gradient's planes.</summary>
    private int PaddedColumns => (Shape.Output.Width + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// (tap, channel) rows per tile: each row holds an accumulator per filter; the filters'
    /// output-gradient vectors and one input vector stay in registers too (32 with AVX-512, 16 with AVX2).
    /// </summary>
    private int TileRows => Math.Max(1, Math.Min(Math.Min(Rows, MaxLoopRefs), (Width.Registers - 1 - Filters) / Filters));

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape;
        var source = new PaddedInput(l, planar: true, outputColumns: PaddedColumns);
        int filters = Filters;
        int columns = PaddedColumns;
        int gradientPlane = l.Output.Height * columns;
        int tileRows = TileRows;
        int full = Rows / tileRows * tileRows;
        bool rolled = full / tileRows > 1;
        using (w.WriteBlock($"private static void {name}(ref float weightGradient, Span<float> biasGradient, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int batch)"))
        {
            w.WriteLine(Channels == 1
                ? "// Row r of dW is tap r: it reads the input at RowOffset(r) from each output pixel's window origin."
                : $"// Row r of dW is tap r / {I(Channels)}, input channel r % {I(Channels)}: it reads the input at RowOffset(r) from each output pixel's window origin.");
            if (rolled)
            {
                w.WriteLine($"static int RowOffset(int r) => {RowOffset("r", source)};");
            }
            source.EmitRent(w);
            w.WriteLine($"// Each sample's dz per filter, rows of {columns} (zeros past pixel {l.Output.Width}): [{filters},{l.Output.Height},{columns}].");
            w.WriteLine($"float[] gradientPlanes = global::System.Buffers.ArrayPool<float>.Shared.Rent({I((long)filters * gradientPlane)});");
            w.WriteLine($"Array.Clear(gradientPlanes, 0, {I((long)filters * gradientPlane)});");
            w.WriteLine("ref float g = ref MemoryMarshal.GetArrayDataReference(gradientPlanes);");
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float dz = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), {Times("n", l.Output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref dz, {Times(Sum(Times("oy", l.Output.Width), "ox"), filters)});");
                    for (int co = 0; co < filters; co++)
                    {
                        w.WriteLine($"Unsafe.Add(ref g, {Sum(Times("oy", columns), "ox", I(co * gradientPlane))}) = {At("pixel", I(co))};");
                    }
                }
                source.EmitSample(w);
                w.WriteLine($"VectorMath.AddRowsInPlace(biasGradient, outputGradient.Slice({Times("n", l.Output.Length)}, {I(l.Output.Length)})); // db += every pixel's dz (none without bias)");
                w.WriteLine($"// {tileRows} row{(tileRows == 1 ? "" : "s")} x {filters} filter{(filters == 1 ? "" : "s")} of {Width.Name} accumulators, summed across the lanes once per sample");
                if (rolled)
                {
                    using (w.WriteBlock($"for (int r = 0; r < {I(full)}; r += {I(tileRows)})"))
                    {
                        EmitTile(w, source, Enumerable(tileRows, k => $"RowOffset({Plus("r", k)})"), "r");
                    }
                }
                for (int start = rolled ? full : 0; start < Rows; start += tileRows)
                {
                    int count = Math.Min(tileRows, Rows - start);
                    using (!rolled && count == Rows ? null : (IDisposable)w.WriteBlock())
                    {
                        EmitTile(w, source, Enumerable(count, k => I(LiteralRowOffset(start + k, source))), I(start));
                    }
                }
            }
            source.EmitReturn(w);
            w.WriteLine("global::System.Buffers.ArrayPool<float>.Shared.Return(gradientPlanes);");
        }
    }

    private static List<string> Enumerable(int count, Func<int, string> item)
    {
        var items = new List<string>();
        for (int k = 0; k < count; k++)
        {
            items.Add(item(k));
        }
        return items;
    }

    /// <summary>The generated <c>RowOffset(r)</c>: the tap's row and column in the copy, then the channel's plane.</summary>
    private string RowOffset(string r, PaddedInput source)
    {
        var l = Shape;
        string tap = Channels == 1 ? r : $"{r} / {I(Channels)}";
        string kernelRow = l.KernelWidth == 1 ? tap : $"{Parenthesised(tap)} / {I(l.KernelWidth)}";
        string kernelColumn = l.KernelWidth == 1 ? "0" : $"{Parenthesised(tap)} % {I(l.KernelWidth)}";
        string channel = Channels == 1 ? "0" : $"{r} % {I(Channels)}";
        return Sum(Times(kernelRow, l.DilationHeight * source.Width), Times(kernelColumn, l.DilationWidth), Times(channel, source.Height * source.Width));
    }

    private static string Parenthesised(string expression) => expression.Contains(" ") ? $"({expression})" : expression;

    private int LiteralRowOffset(int row, PaddedInput source)
    {
        var l = Shape;
        int tap = row / Channels;
        return tap / l.KernelWidth * l.DilationHeight * source.Width + tap % l.KernelWidth * l.DilationWidth + row % Channels * source.Height * source.Width;
    }

    /// <summary>One tile of rows <paramref name="first"/> onwards, row k read at <paramref name="offsets"/>[k] from each window origin.</summary>
    private void EmitTile(IndentedTextWriter w, PaddedInput source, List<string> offsets, string first)
    {
        var l = Shape;
        string v = Width.Name;
        string type = Width.Type;
        int filters = Filters;
        int columns = PaddedColumns;
        int gradientPlane = l.Output.Height * columns;
        for (int k = 0; k < offsets.Count; k++)
        {
            w.WriteLine($"ref float x{k} = ref {At("x", offsets[k])};");
        }
        for (int co = 0; co < filters; co++)
        {
            var declarators = new List<string>();
            for (int k = 0; k < offsets.Count; k++)
            {
                declarators.Add($"a{k}_{co} = {type}.Zero");
            }
            w.WriteLine($"{type} {string.Join(", ", declarators)};");
        }
        using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
        {
            w.WriteLine($"int at = {Times("oy", l.StrideHeight * source.Width)};");
            w.WriteLine($"ref float gy = ref Unsafe.Add(ref g, {Times("oy", columns)});");
            using (w.WriteBlock($"for (int ox = 0; ox < {I(columns)}; ox += {I(Lanes)}, at += {I(Lanes)})"))
            {
                w.WriteLine("ref float gp = ref Unsafe.Add(ref gy, ox);");
                for (int co = 0; co < filters; co++)
                {
                    w.WriteLine($"{type} g{co} = {v}.LoadUnsafe(ref gp{VectorOffset(I(co * gradientPlane))});");
                }
                for (int k = 0; k < offsets.Count; k++)
                {
                    w.WriteLine($"{(k == 0 ? type + " " : "")}s = {v}.LoadUnsafe(ref x{k}, (nuint)at);");
                    for (int co = 0; co < filters; co++)
                    {
                        w.WriteLine($"a{k}_{co} = {v}.MultiplyAddEstimate(s, g{co}, a{k}_{co});");
                    }
                }
            }
        }
        w.WriteLine($"ref float d = ref {At("weightGradient", Times(first, filters))};");
        for (int k = 0; k < offsets.Count; k++)
        {
            var adds = new List<string>();
            for (int co = 0; co < filters; co++)
            {
                adds.Add($"{At("d", I(k * filters + co))} += {v}.Sum(a{k}_{co});");
            }
            w.WriteLine(string.Join(" ", adds));
        }
    }
}
