using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Pooling gradients. Max routes each output gradient to the first input position that holds
/// the window's maximum (the argmax is recomputed from the kept input and output rather than
/// stored: the compare rides on the pass that writes the input gradient anyway, where a stored
/// index would be one more buffer written in the forward pass and read here), eight channels at
/// a time (four for a layer of 4 to 7) with the window unrolled; average spreads it evenly over the window's cells inside the input.
/// </summary>
internal static class PoolBackwardEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        switch (l.Kind)
        {
            case LayerKind.MaxPool2D: EmitMaxWindow(w, l); break;
            case LayerKind.AvgPool2D: EmitAverageWindow(w, l); break;
            case LayerKind.GlobalMaxPool2D: EmitGlobal(w, l, max: true); break;
            case LayerKind.GlobalAvgPool2D: EmitGlobal(w, l, max: false); break;
        }
    }

    /// <summary>Max needs the kept input and output to find each window's argmax; average only spreads the gradient.</summary>
    private const string ArgmaxParameters = "ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch";

    private const string SpreadParameters = "ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch";

    /// <summary>
    /// The backward method's comment and signature, the clearing of the input gradient where the
    /// kernel adds into it (<paramref name="clear"/>), and the loop over samples, left open.
    /// </summary>
    private static IDisposable OpenSamples(IndentedTextWriter w, LayerPlan l, string parameters, bool clear)
    {
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' backward  d{l.Output} -> d{l.Input}");
        var method = OpenEntryPoint(w, $"public static void {TrainingMembersEmitter.BackwardName(l)}({parameters})");
        if (clear)
        {
            w.WriteLine($"inputGradient.Slice(0, {Times("batch", l.Input.Length)}).Clear();");
        }
        return new Nested(method, w.WriteBlock("for (int n = 0; n < batch; n++)"));
    }

    /// <summary>Closes the sample loop, then the method.</summary>
    private sealed class Nested : IDisposable
    {
        private readonly IDisposable _outer;
        private readonly IDisposable _inner;

        public Nested(IDisposable outer, IDisposable inner)
        {
            _outer = outer;
            _inner = inner;
        }

        public void Dispose()
        {
            _inner.Dispose();
            _outer.Dispose();
        }
    }

    /// <summary>
    /// Windows that tile the input (stride = kernel, no padding) cover each cell at most once: the
    /// kernel then writes every covered cell (0 + its share, the bits the clear-and-add gives, -0
    /// included) and clears only the cells no window covers, instead of clearing the whole input
    /// gradient and adding into it.
    /// </summary>
    private static bool Tiles(LayerPlan l) =>
        l.StrideHeight == l.KernelHeight && l.StrideWidth == l.KernelWidth && !WindowShape.Of(l).IsPadded;

    private static void EmitMaxWindow(IndentedTextWriter w, LayerPlan l)
    {
        var input = l.Input;
        var output = l.Output;
        int c = input.Channels;
        int vectorChannels = c / ChannelBlock.Lanes * ChannelBlock.Lanes;
        bool tiles = Tiles(l);
        // A ReLU source's derivative (see LayerPlan.MasksSourceRelu): a routed cell holds the window's
        // maximum, so its ReLU output is above 0 exactly when the maximum is.
        bool relu = l.MasksSourceRelu;
        using (OpenSamples(w, l, ArgmaxParameters, clear: !tiles))
        {
            w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), {Times("n", input.Length)});");
            w.WriteLine($"ref float dx = ref Unsafe.Add(ref MemoryMarshal.GetReference(inputGradient), {Times("n", input.Length)});");
            w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), {Times("n", output.Length)});");
            w.WriteLine($"ref float dy = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), {Times("n", output.Length)});");
            if (relu)
            {
                w.WriteLine("// With the ReLU before the pool: a window whose maximum is not above 0 passes no gradient.");
            }
            using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
            using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
            {
                w.WriteLine($"int cell = {Times(Sum(Times("oy", output.Width), "ox"), c)};");
                WindowLoops.EmitPixelOrigin(w, WindowShape.Of(l));
                if (vectorChannels > 0)
                {
                    // One vector of channels needs no loop: a block with c fixed at 0 reads the same.
                    bool one = vectorChannels == ChannelBlock.Lanes;
                    using (one ? w.WriteBlock() : w.WriteBlock($"for (int c = 0; c < {I(vectorChannels)}; c += {I(ChannelBlock.Lanes)})"))
                    {
                        if (one)
                        {
                            w.WriteLine("const int c = 0;");
                        }
                        EmitRouteVector(w, l, VectorWidth.V256, tiles, relu);
                    }
                }
                var tail = OverlappingTail(c, tiles);
                foreach (var block in tail)
                {
                    using (w.WriteBlock())
                    {
                        w.WriteLine(block.Start == 0
                            ? "const int c = 0;"
                            : $"const int c = {I(block.Start)}; // overlaps the channels before it, which it writes again with the same values");
                        EmitRouteVector(w, l, block.Vector, tiles, relu);
                    }
                }
                if (vectorChannels < c && tail.Count == 0)
                {
                    using (w.WriteBlock($"for (int c = {I(vectorChannels)}; c < {I(c)}; c++)"))
                    {
                        w.WriteLine("float best = Unsafe.Add(ref y, cell + c);");
                        w.WriteLine("float g = " + (relu ? "best > 0f ? Unsafe.Add(ref dy, cell + c) : 0f;" : "Unsafe.Add(ref dy, cell + c);"));
                        w.WriteLine("bool open = true;");
                        WindowLoops.EmitTaps(w, WindowShape.Of(l), _ =>
                        {
                            if (tiles)
                            {
                                w.WriteLine("bool hit = open && Unsafe.Add(ref xp, c) == best;");
                                w.WriteLine("Unsafe.Add(ref dx, Unsafe.ByteOffset(ref x, ref xp) / sizeof(float) + c) = hit ? 0f + g : 0f;");
                                w.WriteLine("open &= !hit;");
                                return;
                            }
                            using (w.WriteBlock("if (open && Unsafe.Add(ref xp, c) == best)"))
                            {
                                w.WriteLine("Unsafe.Add(ref dx, Unsafe.ByteOffset(ref x, ref xp) / sizeof(float) + c) += g;");
                                w.WriteLine("open = false;");
                            }
                        });
                    }
                }
            }
            if (tiles)
            {
                ClearUncovered(w, l);
            }
        }
    }

    /// <summary>Routes the gradient of the vector of channels that starts at <c>c</c>.</summary>
    private static void EmitRouteVector(IndentedTextWriter w, LayerPlan l, VectorWidth width, bool tiles, bool relu)
    {
        string v = width.Name;
        string t = width.Type;
        w.WriteLine("// Lanes still open have not met their maximum yet: only the first tap that holds it gets the gradient.");
        w.WriteLine($"{t} best = {v}.LoadUnsafe(ref y, (nuint)(cell + c));");
        w.WriteLine($"{t} g = {v}.LoadUnsafe(ref dy, (nuint)(cell + c))" + (relu ? $" & {v}.GreaterThan(best, {t}.Zero);" : ";"));
        w.WriteLine($"{t} open = {t}.AllBitsSet;");
        WindowLoops.EmitTaps(w, WindowShape.Of(l), _ =>
        {
            w.WriteLine($"{t} hit = {v}.Equals({v}.LoadUnsafe(ref xp, (nuint)c), best) & open;");
            w.WriteLine("ref float dp = ref Unsafe.Add(ref dx, Unsafe.ByteOffset(ref x, ref xp) / sizeof(float)); // the same cell in the gradient");
            w.WriteLine(tiles
                ? $"{v}.StoreUnsafe({t}.Zero + (g & hit), ref dp, (nuint)c);"
                : $"{v}.StoreUnsafe({v}.LoadUnsafe(ref dp, (nuint)c) + (g & hit), ref dp, (nuint)c);");
            w.WriteLine($"open = {v}.AndNot(open, hit);");
        });
    }

    /// <summary>
    /// Tiling windows store each covered cell once rather than add into it, so the channels the
    /// whole Vector256 vectors leave (or a layer of 4 to 7 channels) can be vectors that overlap
    /// the ones before (<see cref="ChannelBlock.OverlappingTail"/>): scalar channels would each
    /// branch on their compare, which mispredicts as often as the winning tap changes. Adding
    /// windows keep the scalar tail (an overlapped lane would add its share twice).
    /// </summary>
    private static List<ChannelBlock> OverlappingTail(int channels, bool tiles) =>
        tiles ? ChannelBlock.OverlappingTail(channels) : new List<ChannelBlock>();

    /// <summary>With tiling windows, per sample: the cells right of the last window column and below the last window row.</summary>
    private static void ClearUncovered(IndentedTextWriter w, LayerPlan l)
    {
        var input = l.Input;
        int c = input.Channels;
        int rows = l.Output.Height * l.KernelHeight;
        int columns = l.Output.Width * l.KernelWidth;
        if (columns < input.Width)
        {
            w.WriteLine($"for (int iy = 0; iy < {I(rows)}; iy++) inputGradient.Slice({Sum(Times("n", input.Length), Times("iy", (long)input.Width * c), I((long)columns * c))}, {I((long)(input.Width - columns) * c)}).Clear(); // no window covers these columns");
        }
        if (rows < input.Height)
        {
            w.WriteLine($"inputGradient.Slice({Sum(Times("n", input.Length), I((long)rows * input.Width * c))}, {I((long)(input.Height - rows) * input.Width * c)}).Clear(); // nor these rows");
        }
    }

    private static void EmitAverageWindow(IndentedTextWriter w, LayerPlan l)
    {
        var input = l.Input;
        var output = l.Output;
        int c = input.Channels;
        using (OpenSamples(w, l, SpreadParameters, clear: true))
        {
            w.WriteLine($"int inBase = {Times("n", input.Length)};");
            w.WriteLine($"int outBase = {Times("n", output.Length)};");
            using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
            using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
            {
                w.WriteLine($"int iy0 = {Plus(Times("oy", l.StrideHeight), -l.PadTop)};");
                w.WriteLine($"int ix0 = {Plus(Times("ox", l.StrideWidth), -l.PadLeft)};");
                w.WriteLine($"int yStart = Math.Max(iy0, 0), yEnd = Math.Min({Plus("iy0", l.KernelHeight)}, {I(input.Height)});");
                w.WriteLine($"int xStart = Math.Max(ix0, 0), xEnd = Math.Min({Plus("ix0", l.KernelWidth)}, {I(input.Width)});");
                w.WriteLine($"int cell = {Sum("outBase", Times(Sum(Times("oy", output.Width), "ox"), c))};");
                w.WriteLine("float scale = 1f / ((yEnd - yStart) * (xEnd - xStart));");
                using (w.WriteBlock($"for (int ch = 0; ch < {I(c)}; ch++)"))
                {
                    w.WriteLine($"float share = outputGradient[{Sum("cell", c == 1 ? "" : "ch")}] * scale;");
                    using (w.WriteBlock("for (int iy = yStart; iy < yEnd; iy++)"))
                    using (w.WriteBlock("for (int ix = xStart; ix < xEnd; ix++)"))
                    {
                        w.WriteLine($"inputGradient[{Sum("inBase", Times(Sum(Times("iy", input.Width), "ix"), c), c == 1 ? "" : "ch")}] += share;");
                    }
                }
            }
        }
    }

    private static void EmitGlobal(IndentedTextWriter w, LayerPlan l, bool max)
    {
        int positions = l.Input.Height * l.Input.Width;
        int c = l.Input.Channels;
        using (OpenSamples(w, l, max ? ArgmaxParameters : SpreadParameters, clear: max))
        {
            using (w.WriteBlock($"for (int ch = 0; ch < {I(c)}; ch++)"))
            {
                w.WriteLine($"float g = outputGradient[{Sum(Times("n", c), "ch")}];");
                if (max)
                {
                    w.WriteLine($"float best = output[{Sum(Times("n", c), "ch")}];");
                    using (w.WriteBlock($"for (int p = 0; p < {I(positions)}; p++)"))
                    {
                        w.WriteLine($"int index = {Sum(Times(Sum(Times("n", positions), "p"), c), "ch")};");
                        w.WriteLine("if (input[index] == best) { inputGradient[index] = g; break; }");
                    }
                }
                else
                {
                    w.WriteLine($"float share = g * {Literal.Float(1.0 / positions)};");
                    using (w.WriteBlock($"for (int p = 0; p < {I(positions)}; p++)"))
                    {
                        w.WriteLine($"inputGradient[{Sum(Times(Sum(Times("n", positions), "p"), c), "ch")}] = share;");
                    }
                }
            }
        }
    }
}
