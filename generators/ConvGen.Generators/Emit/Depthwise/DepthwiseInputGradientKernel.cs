using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// Depthwise input gradient as a gather: each input pixel sums, over the taps whose window
/// covers it, its channels' weight times the output gradient there. Nothing is scattered, so
/// every input-gradient vector is written once (no clearing pass, no read-modify-write), and
/// the channels are in the vector lanes with the block's weights held in registers along a row,
/// as in the forward body. Whether a tap reaches an output pixel depends on the row for the
/// kernel rows and on the column for the kernel columns (the stride makes only every s-th one
/// land on an output pixel): both are computed once per row / column and tested only where
/// some pixel can fail them.
/// </summary>
internal sealed record DepthwiseInputGradientKernel(DepthwiseShape Shape, VectorWidth Width) : KernelKey
{
    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"depthwise input gradient {Shape}, {Width.Name}";

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape.Window;
        int c = Shape.Channels;
        using (w.WriteBlock($"private static void {name}(ref float weights, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            if (Shape.Repeats)
            {
                w.WriteLine($"// the gradient of each sample's repeated input [{l.Input.Height},{l.Input.Width},{c}] first; each channel then sums its {Shape.Multiplier} copies");
                w.WriteLine($"float[] repeated = ArrayPool<float>.Shared.Rent({I(l.Input.Length)});");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float dy = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), {Times("n", l.Output.Length)});");
                string sample = $"ref Unsafe.Add(ref MemoryMarshal.GetReference(inputGradient), {Times("n", Shape.InputLength)})";
                w.WriteLine(Shape.Repeats ? "ref float dx = ref MemoryMarshal.GetArrayDataReference(repeated);" : $"ref float dx = {sample};");
                if (Correlation is { } correlation)
                {
                    w.WriteLine($"// stride 1: the correlation of the output gradient (padded {correlation.PadTop},{correlation.PadBottom},{correlation.PadLeft},{correlation.PadRight}) with the flipped kernel");
                    new DepthwiseRows(correlation, Width, "dy", "dx", Flip, $"{Width.Type}.Zero", a => a).Emit(w);
                }
                else
                {
                    using (w.WriteBlock($"for (int iy = 0; iy < {I(l.Input.Height)}; iy++)"))
                    {
                        var rows = Enumerable.Range(0, l.KernelHeight).Select(ky => new TapAxis("iy", "Row", ky, l.PadTop - ky * l.DilationHeight, l.StrideHeight, l.Input.Height, l.Output.Height)).ToList();
                        foreach (var row in rows)
                        {
                            row.Declare(w);
                        }
                        w.WriteLine($"ref float row = ref {At("dx", Times("iy", (long)l.Input.Width * c))};");
                        var blocks = DepthwiseBlock.Split(c, l.Taps, Width);
                        foreach (var block in blocks)
                        {
                            w.WriteLine(block.Describe("input channels"));
                            using (ChannelBlocks.Open(w, block.Block, alone: blocks.Count == 1))
                            {
                                EmitBlock(w, block, rows);
                            }
                        }
                    }
                }
                if (Shape.Repeats)
                {
                    w.WriteLine($"ref float target = {sample};");
                    using (w.WriteBlock($"for (int i = 0; i < {I(Shape.InputLength)}; i++)"))
                    {
                        w.WriteLine($"int at = {Times("i", Shape.Multiplier)};");
                        w.WriteLine($"Unsafe.Add(ref target, i) = {string.Join(" + ", Enumerable.Range(0, Shape.Multiplier).Select(j => At("dx", Plus("at", j))))};");
                    }
                }
            }
            if (Shape.Repeats)
            {
                w.WriteLine("ArrayPool<float>.Shared.Return(repeated);");
            }
        }
    }

    /// <summary>
    /// For stride 1, the window whose forward walk is this gradient: input pixel <c>(iy, ix)</c>
    /// sums output-gradient pixel <c>(iy + padTop - ky * dilation, ...)</c> times weight
    /// <c>(ky, kx)</c>, which is tap <c>(KH - 1 - ky, KW - 1 - kx)</c> of a window over the output
    /// gradient padded by <c>(KH - 1) * dilation - padTop</c> (and likewise on each side). Null
    /// when the stride skips output pixels, a padding exceeds the kernel's reach (that side would
    /// need a negative padding), or the channels do not fill a vector.
    /// </summary>
    private WindowShape? Correlation
    {
        get
        {
            var l = Shape.Window;
            if (l.StrideHeight != 1 || l.StrideWidth != 1)
            {
                return null;
            }
            int reachHeight = (l.KernelHeight - 1) * l.DilationHeight;
            int reachWidth = (l.KernelWidth - 1) * l.DilationWidth;
            var window = new WindowShape(l.Output, l.Input, l.KernelHeight, l.KernelWidth, 1, 1, l.DilationHeight, l.DilationWidth,
                reachHeight - l.PadTop, reachHeight - l.PadBottom, reachWidth - l.PadLeft, reachWidth - l.PadRight);
            bool padsValid = window.PadTop >= 0 && window.PadBottom >= 0 && window.PadLeft >= 0 && window.PadRight >= 0;
            return padsValid && DepthwiseRows.Applies(window, Width) ? window : null;
        }
    }

    /// <summary>The weight row of the correlation's tap <paramref name="t"/>: the kernel turned by 180 degrees.</summary>
    private int Flip(int t) => Shape.Taps - 1 - t;

    private void EmitBlock(IndentedTextWriter w, DepthwiseBlock block, List<TapAxis> rows)
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
        using (w.WriteBlock($"for (int ix = 0; ix < {I(l.Input.Width)}; ix++)"))
        {
            var columns = Enumerable.Range(0, l.KernelWidth).Select(kx => new TapAxis("ix", "Column", kx, l.PadLeft - kx * l.DilationWidth, l.StrideWidth, l.Input.Width, l.Output.Width)).ToList();
            foreach (var column in columns)
            {
                column.Declare(w);
            }
            for (int j = 0; j < b.Vectors; j++)
            {
                w.WriteLine($"{Width.Type} a{j} = {Width.Type}.Zero;");
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"float a{s} = 0f;");
            }
            for (int ky = 0; ky < l.KernelHeight; ky++)
            {
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    int t = ky * l.KernelWidth + kx;
                    var row = rows[ky];
                    var column = columns[kx];
                    string[] checks = new[] { row.Check, column.Check }.Where(check => check is not null).ToArray()!;
                    w.WriteLine($"// tap ({ky},{kx}): output pixel ({row.Index}, {column.Index})");
                    using (checks.Length > 0 ? w.WriteBlock($"if ({string.Join(" && ", checks)})") : (System.IDisposable?)null)
                    {
                        string at = Times(Sum(Times(row.Index, l.Output.Width), column.Index), c);
                        for (int j = 0; j < b.Vectors; j++)
                        {
                            string weight = held ? $"w{t}_{j}" : block.Load("weights", I((long)t * c), j);
                            w.WriteLine($"a{j} = {v}.MultiplyAddEstimate({block.Load("dy", at, j)}, {weight}, a{j});");
                        }
                        for (int s = 0; s < b.Scalars; s++)
                        {
                            w.WriteLine($"a{s} += {block.Scalar("dy", at, s)} * {block.Scalar("weights", I((long)t * c), s)};");
                        }
                    }
                }
            }
            w.WriteLine($"ref float pixel = ref {At("row", Times("ix", c))};");
            for (int j = 0; j < b.Vectors; j++)
            {
                w.WriteLine($"a{j}.StoreUnsafe(ref pixel{VectorOffset(block.Offset("", j))});");
            }
            for (int s = 0; s < b.Scalars; s++)
            {
                w.WriteLine($"{block.Scalar("pixel", "", s)} = a{s};");
            }
        }
    }

    /// <summary>
    /// One kernel row (or column) <paramref name="K"/> seen from input row <paramref name="Variable"/>:
    /// it reads output row <c>(iy + Shift) / stride</c>, which exists when that is a whole number
    /// in range. <see cref="Check"/> is null when every input row passes.
    /// </summary>
    private sealed record TapAxis(string Variable, string Axis, int K, int Shift, int Stride, int InputSize, int OutputSize)
    {
        private string Position => Plus(Variable, Shift);

        private bool NeedsRange => Shift < 0 || InputSize - 1 + Shift > (OutputSize - 1) * Stride;

        /// <summary>The output row (column) index: an expression when the stride is 1, else a local declared per row.</summary>
        public string Index => Stride == 1 ? Position : $"o{Variable[1]}{K}";

        public string? Check => NeedsRange || Stride > 1 ? $"in{Axis}{K}" : null;

        public void Declare(IndentedTextWriter w)
        {
            var parts = new List<string>();
            if (NeedsRange)
            {
                parts.Add($"(uint){Wrap(Position)} < {I((long)(OutputSize - 1) * Stride + 1)}u");
            }
            if (Stride > 1)
            {
                parts.Add((Stride & (Stride - 1)) == 0 ? $"({Wrap(Position)} & {I(Stride - 1)}) == 0" : $"{Wrap(Position)} % {I(Stride)} == 0");
                w.WriteLine($"int {Index} = {Wrap(Position)} / {I(Stride)};");
            }
            if (parts.Count > 0)
            {
                w.WriteLine($"bool {Check} = {string.Join(" && ", parts)};");
            }
        }

        private static string Wrap(string expression) => expression.Contains(" ") ? $"({expression})" : expression;
    }
}
