using System;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Convolution weight gradient with the accumulators in registers. A row of the HWIO gradient is
/// one (tap, input channel) pair; a register tile holds several rows x a block of output channels
/// and runs over every output pixel of a sample before it is stored, so each dW element is loaded
/// and stored once per sample instead of once per output pixel. A row reads the input at a fixed
/// offset from each pixel's window origin, so a first layer with one input channel tiles over
/// taps, and wide layers tile over input channels, with the same code. Padded layers copy each
/// sample into a zero border first, so no tap needs a bounds check.
/// </summary>
internal static class ConvWeightGradientEmitter
{
    /// <summary>Accumulators per tile: leaves room for the loaded output-gradient vectors and a broadcast.</summary>
    private const int TileAccumulators = 16;

    /// <summary>Layers with at most this many (tap, input channel) rows get every tile written out with literal offsets.</summary>
    private const int LiteralRowBudget = 128;

    /// <summary>In the row loop each row keeps a ref in a general-purpose register: more than this would spill.</summary>
    private const int MaxLoopTileRows = 6;

    /// <summary>The input offset of dW row <paramref name="r"/> from a window origin (the generated RowOffset).</summary>
    private static int RowOffset(LayerPlan l, PaddedInput geometry, int r)
    {
        int cin = l.Input.Channels;
        int tap = r / cin;
        return (tap / l.KernelWidth * l.DilationHeight * geometry.Width + tap % l.KernelWidth * l.DilationWidth) * cin + r % cin;
    }

    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        string name = TrainingMembersEmitter.WeightGradientName(l);
        const string parameters = "ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch";
        w.WriteLine($"// layer {l.Index}: Conv2D '{l.Name}' weight gradient  x {l.Input}, dz {l.Output} -> dW [{l.KernelHeight},{l.KernelWidth},{cin},{cout}]{(l.UseBias ? $", db [{cout}]" : "")}");
        using (w.WriteBlock($"public static void {name}({parameters})"))
        {
            if (VectorWidth.Fits512(cout))
            {
                w.WriteLine($"if (Vector512.IsHardwareAccelerated) {name}{VectorWidth.V512.Name}(input, outputGradient, gradients, batch);");
                w.WriteLine($"else {name}{VectorWidth.V256.Name}(input, outputGradient, gradients, batch);");
            }
            else
            {
                w.WriteLine($"{name}{VectorWidth.V256.Name}(input, outputGradient, gradients, batch);");
            }
        }
        if (VectorWidth.Fits512(cout))
        {
            w.WriteLine();
            EmitVariant(w, l, name, parameters, VectorWidth.V512);
        }
        w.WriteLine();
        EmitVariant(w, l, name, parameters, VectorWidth.V256);
    }

    private static void EmitVariant(IndentedTextWriter w, LayerPlan l, string name, string parameters, VectorWidth width)
    {
        var geometry = new PaddedInput(l);
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        int rows = l.KernelHeight * l.KernelWidth * cin;
        using (w.WriteBlock($"private static void {name}{width.Name}({parameters})"))
        {
            w.WriteLine($"// Row r of dW is tap r / {I(cin)}, input channel r % {I(cin)}: it reads the input at RowOffset(r) from each window origin.");
            if (rows > LiteralRowBudget) w.WriteLine($"static int RowOffset(int r) => (r / {I(cin)} / {I(l.KernelWidth)} * {I(l.DilationHeight * geometry.Width)} + r / {I(cin)} % {I(l.KernelWidth)} * {I(l.DilationWidth)}) * {I(cin)} + r % {I(cin)};");
            w.WriteLine($"ref float weightGradient = ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), {I(l.WeightOffset)});");
            if (l.UseBias)
            {
                w.WriteLine($"Span<float> biasGradient = gradients.Slice({I(l.BiasOffset)}, {I(cout)});");
            }
            var rent = geometry.EmitRent(w);
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float dz = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), n * {I(l.Output.Length)});");
                geometry.EmitSample(w);
                if (l.UseBias)
                {
                    using (w.WriteBlock($"for (int p = 0; p < {I(l.Output.Height * l.Output.Width)}; p++)"))
                    {
                        w.WriteLine($"VectorMath.AddInPlace(biasGradient, outputGradient.Slice(n * {I(l.Output.Length)} + p * {I(cout)}, {I(cout)}));");
                    }
                }
                foreach (var block in ChannelBlock.Split(cout, width.Lanes, 4))
                {
                    int blockWidth = block.Vectors * width.Lanes + block.Scalars;
                    int tileRows = Math.Max(1, TileAccumulators / (block.Vectors > 0 ? block.Vectors : block.Scalars));
                    bool literal = rows <= LiteralRowBudget;
                    if (!literal)
                    {
                        tileRows = Math.Min(tileRows, MaxLoopTileRows);
                    }
                    string cg = block.Repeat > 1 ? "cb" : I(block.Start);
                    using (w.WriteBlock(block.Repeat > 1
                        ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * blockWidth)}; cb += {I(blockWidth)})"
                        : ""))
                    {
                        w.WriteLine($"// output channels {(block.Repeat > 1 ? $"[cb, cb + {blockWidth})" : $"[{block.Start}, {block.Start + blockWidth})")}: "
                            + $"{tileRows} rows x {(block.Vectors > 0 ? $"{block.Vectors} {width.Name}" : $"{block.Scalars} scalar")} accumulators");
                        if (literal)
                        {
                            // Few rows (a first layer): every tile written out, each row's input offset a literal.
                            for (int start = 0; start < rows; start += tileRows)
                            {
                                using (w.WriteBlock())
                                {
                                    EmitTile(w, l, geometry, width, block, cg, start, Math.Min(tileRows, rows - start));
                                }
                            }
                            continue;
                        }
                        int full = rows / tileRows * tileRows;
                        using (w.WriteBlock($"for (int r = 0; r < {I(full)}; r += {I(tileRows)})"))
                        {
                            EmitTile(w, l, geometry, width, block, cg, null, tileRows);
                        }
                        if (rows > full)
                        {
                            using (w.WriteBlock())
                            {
                                w.WriteLine($"const int r = {I(full)};");
                                EmitTile(w, l, geometry, width, block, cg, null, rows - full);
                            }
                        }
                    }
                }
            }
            geometry.EmitReturn(w, rent);
        }
    }

    /// <summary>
    /// One tile of rows: from the literal row <paramref name="firstRow"/>, or from the loop's
    /// <c>r</c> when null (then each row's input is a ref computed once per tile).
    /// </summary>
    private static void EmitTile(IndentedTextWriter w, LayerPlan l, PaddedInput geometry, VectorWidth width, ChannelBlock block, string cg, int? firstRow, int tileRows)
    {
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        string v = width.Name;
        string Input(int k) => firstRow is int first ? $"Unsafe.Add(ref x, at + {I(RowOffset(l, geometry, first + k))})" : $"Unsafe.Add(ref x{k}, at)";
        for (int k = 0; k < tileRows; k++)
        {
            if (firstRow is int first)
            {
                w.WriteLine($"ref float d{k} = ref Unsafe.Add(ref weightGradient, {I((first + k) * cout)}{(cg == "0" ? "" : $" + {cg}")}); // tap {(first + k) / cin}, input channel {(first + k) % cin}");
            }
            else
            {
                string r = k == 0 ? "r" : $"r + {k}";
                w.WriteLine($"ref float x{k} = ref Unsafe.Add(ref x, RowOffset({r}));");
                w.WriteLine($"ref float d{k} = ref Unsafe.Add(ref weightGradient, ({r}) * {I(cout)} + {cg});");
            }
        }
        for (int k = 0; k < tileRows; k++)
        {
            for (int j = 0; j < block.Vectors; j++)
            {
                w.WriteLine($"{width.Type} a{k}_{j} = {v}.LoadUnsafe(ref d{k}, {I(j * width.Lanes)});");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"float a{k}_{s} = Unsafe.Add(ref d{k}, {I(s)});");
            }
        }
        using (w.WriteBlock($"for (int oy = 0; oy < {I(l.Output.Height)}; oy++)"))
        {
            w.WriteLine($"int at = oy * {I(l.StrideHeight * geometry.Width * cin)};");
            w.WriteLine($"ref float g = ref Unsafe.Add(ref dz, oy * {I(l.Output.Width * cout)} + {cg});");
            using (w.WriteBlock($"for (int ox = 0; ox < {I(l.Output.Width)}; ox++, at += {I(l.StrideWidth * cin)}, g = ref Unsafe.Add(ref g, {I(cout)}))"))
            {
                RegisterTile.EmitLoads(w, width, block, "g", "g", j => I(j), declare: true);
                RegisterTile.EmitMultiplyAdds(w, width, block, tileRows, Input, "g", declare: true);
            }
        }
        for (int k = 0; k < tileRows; k++)
        {
            for (int j = 0; j < block.Vectors; j++)
            {
                w.WriteLine($"{v}.StoreUnsafe(a{k}_{j}, ref d{k}, {I(j * width.Lanes)});");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"Unsafe.Add(ref d{k}, {I(s)}) = a{k}_{s};");
            }
        }
    }
}
