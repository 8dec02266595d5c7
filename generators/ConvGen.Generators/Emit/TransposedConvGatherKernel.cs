using System;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// A transposed convolution's forward body for any geometry, as a gather: each output pixel
/// starts from the bias, adds every tap that reaches it and is stored once through the epilogue,
/// so no output cell is written twice and nothing needs atomics. Output row <c>oy</c> takes kernel
/// row <c>ky</c> from input row <c>(oy + PadTop - ky * dilation) / stride</c> when that divides
/// exactly and lies in the input (columns likewise); all of these are constants but <c>oy</c>, so
/// the checks are compares and a division by a constant. The weights come as HWIO
/// <c>[kh][kw][in][filters]</c>, so each input channel's weights for a block of filters are
/// vectors and the block's accumulators stay in registers through all taps (the register tile
/// of <see cref="RegisterTile"/> with one pixel).
/// </summary>
internal sealed record TransposedConvGatherKernel(WindowShape Shape, VectorWidth Width) : KernelKey
{
    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() => $"transposed convolution {Shape}, {Width.Name}";

    public override void Write(IndentedTextWriter w, string name)
    {
        var l = Shape;
        using (w.WriteBlock($"private static void {name}<TEpilogue>(ref float weights, ref float bias, ReadOnlySpan<float> input, Span<float> output, int batch) where TEpilogue : struct, {EpilogueContract.Name}"))
        {
            w.WriteLine($"// Kernel row ky reaches output row oy from input row {Gap("oy", l.PadTop, "ky", l.DilationHeight)}{(l.StrideHeight > 1 ? $" / {I(l.StrideHeight)}, when that divides exactly and" : ", when it")} lies in the input; columns likewise.");
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), {Times("n", l.Input.Length)});");
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), {Times("n", l.Output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, {Times(Sum(Times("oy", l.Output.Width), "ox"), l.Output.Channels)});");
                    var blocks = ChannelBlock.Split(l.Output.Channels, Width, 4);
                    foreach (var block in blocks)
                    {
                        using (ChannelBlocks.Open(w, block, alone: blocks.Count == 1))
                        {
                            EmitBlock(w, block);
                        }
                    }
                }
            }
        }
    }

    /// <summary><c>(oy + 1 - ky * 2)</c>: the output index plus the top padding minus the tap's reach, parenthesised for a division after it.</summary>
    private static string Gap(string output, int pad, string tap, int dilation) => $"({Plus(output, pad)} - {Times(tap, dilation)})";

    private void EmitBlock(IndentedTextWriter w, ChannelBlock block)
    {
        var l = Shape;
        int channels = l.Input.Channels;
        int filters = l.Output.Channels;
        string v = Width.Name;
        w.WriteLine($"// filters {block.Range()}: {block.Describe()} accumulators, from the bias through every tap that reaches the pixel");
        ChannelBlocks.DeclareTile(w, block, 1, (_, first) => block.Vectors > 0
            ? $"TEpilogue.HasBias ? {v}.LoadUnsafe(ref bias{VectorOffset(block.Offset(first))}) : {Width.Type}.Zero"
            : $"TEpilogue.HasBias ? {At("bias", block.Offset(first))} : 0f");
        using (var rows = TapAxis.Open(w, "ky", "iy", "oy", l.KernelHeight, l.StrideHeight, l.DilationHeight, l.PadTop, l.Input.Height))
        using (var columns = TapAxis.Open(w, "kx", "ix", "ox", l.KernelWidth, l.StrideWidth, l.DilationWidth, l.PadLeft, l.Input.Width))
        {
            w.WriteLine($"ref float xp = ref Unsafe.Add(ref x, {Times(Sum(Times(rows.Input, l.Input.Width), columns.Input), channels)});");
            string tap = Sum(Times(rows.Tap, l.KernelWidth), columns.Tap);
            string offset = Sum(Times(tap, (long)channels * filters), block.First);
            w.WriteLine($"ref float wp = ref {At("weights", offset)};");
            if (channels <= 4)
            {
                for (int ci = 0; ci < channels; ci++)
                {
                    EmitMultiplyAdd(w, block, I(ci), I((long)ci * filters), declare: ci == 0);
                }
            }
            else
            {
                using (w.WriteBlock($"for (int ci = 0; ci < {I(channels)}; ci++)"))
                {
                    EmitMultiplyAdd(w, block, "ci", Times("ci", filters), declare: true);
                }
            }
        }
        ChannelBlocks.Store(w, block, "a0_", "pixel", a => $"TEpilogue.Apply({a})", a => $"TEpilogue.Apply({a})");
    }

    /// <summary>One input channel: the block's weight vectors once, the pixel's input broadcast into them.</summary>
    private void EmitMultiplyAdd(IndentedTextWriter w, ChannelBlock block, string ci, string weightRow, bool declare)
    {
        RegisterTile.EmitLoads(w, Width, block, "w", "wp", k => Plus(weightRow, k), declare);
        RegisterTile.EmitMultiplyAdds(w, Width, block, 1, _ => ("xp", ci), "w", declare);
    }

    /// <summary>
    /// The taps of one axis that reach output index <c>{output}</c>: a loop over the kernel's
    /// taps that skips those falling between input samples or outside the input, or, for a
    /// one-tap axis, an <c>if</c> around the body. Declares the input index (<see cref="Input"/>).
    /// </summary>
    private sealed class TapAxis : IDisposable
    {
        private readonly IDisposable? _loop;
        private readonly IDisposable? _check;

        private TapAxis(IDisposable? loop, IDisposable? check, string tap, string input)
        {
            _loop = loop;
            _check = check;
            Tap = tap;
            Input = input;
        }

        /// <summary>The tap index: the loop variable, or 0.</summary>
        public string Tap { get; }

        /// <summary>The input index the tap reads.</summary>
        public string Input { get; }

        public static TapAxis Open(IndentedTextWriter w, string tap, string input, string output, int taps, int stride, int dilation, int pad, int length)
        {
            IDisposable? loop = taps > 1 ? w.WriteBlock($"for (int {tap} = 0; {tap} < {I(taps)}; {tap}++)") : null;
            string tapIndex = taps > 1 ? tap : "0";
            // The index in the zero-upsampled input: the tap reaches an input sample when it is a multiple of the stride.
            string at = "r" + input.Substring(1);
            string reach = Plus(output, pad);
            if (taps > 1)
            {
                reach = $"{reach} - {Times(tap, dilation)}";
            }
            w.WriteLine($"int {at} = {reach};");
            string outside = $"(uint){at} >= {I((long)length * stride)}";
            string between = stride > 1 ? $" || {at} % {I(stride)} != 0" : "";
            IDisposable? check = null;
            if (taps > 1)
            {
                w.WriteLine($"if ({outside}{between}) continue;");
            }
            else
            {
                check = w.WriteBlock($"if ((uint){at} < {I((long)length * stride)}{(stride > 1 ? $" && {at} % {I(stride)} == 0" : "")})");
            }
            string index = stride > 1 ? $"{at} / {I(stride)}" : at;
            w.WriteLine($"int {input} = {index};");
            return new TapAxis(loop, check, tapIndex, input);
        }

        public void Dispose()
        {
            _check?.Dispose();
            _loop?.Dispose();
        }
    }
}
