using System;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Direct convolution, NHWC input, HWIO weights. The register tile is a run of output pixels
/// along a row by a block of output channels (up to 4 vectors): every weight vector loaded is
/// used for all the tile's pixels, and every input value broadcast for all its vectors. Taps
/// and input channels are loops (input channels unrolled when few); a padded layer reads a
/// zero-bordered copy of each sample, so no tap needs a bounds check. Bias and ReLU-family
/// activations are applied in registers before the single store. Layers whose channels fill
/// 512-bit vectors get a Vector512 variant, chosen at run time.
/// </summary>
internal static class Conv2DEmitter
{
    /// <summary>Accumulators per tile for each width: 32 vector registers with AVX-512, 16 with AVX2.</summary>
    private static int TileAccumulators(VectorWidth width) => width.Lanes == 16 ? 24 : 12;

    public static void Emit(IndentedTextWriter w, LayerPlan l, string? methodName = null)
    {
        var input = l.Input;
        var output = l.Output;
        string name = methodName ?? MethodName(l);
        const string parameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch";
        w.WriteLine(ShapeComment(l));
        using (w.WriteBlock($"public static void {name}({parameters})"))
        {
            using (w.WriteBlock("if (!Vector256.IsHardwareAccelerated)"))
            {
                w.WriteLine($"ScalarKernels.Conv2D(input.Slice(0, batch * {I(input.Length)}), parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), "
                    + $"parameters.Slice({I(l.BiasOffset)}, {I(l.BiasCount)}), output.Slice(0, batch * {I(output.Length)}), batch, "
                    + $"{I(input.Height)}, {I(input.Width)}, {I(input.Channels)}, {I(output.Height)}, {I(output.Width)}, {I(output.Channels)}, "
                    + $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {I(l.PadTop)}, {I(l.PadLeft)});");
                EmitActivationPass(w, l, all: true);
                w.WriteLine("return;");
            }
            if (VectorWidth.Fits512(output.Channels))
            {
                w.WriteLine($"if (Vector512.IsHardwareAccelerated) {name}{VectorWidth.V512.Name}(parameters, input, output, batch);");
                w.WriteLine($"else {name}{VectorWidth.V256.Name}(parameters, input, output, batch);");
            }
            else
            {
                w.WriteLine($"{name}{VectorWidth.V256.Name}(parameters, input, output, batch);");
            }
            EmitActivationPass(w, l, all: false);
        }
        if (VectorWidth.Fits512(output.Channels))
        {
            w.WriteLine();
            EmitVariant(w, l, name, parameters, VectorWidth.V512);
        }
        w.WriteLine();
        EmitVariant(w, l, name, parameters, VectorWidth.V256);
    }

    private static void EmitVariant(IndentedTextWriter w, LayerPlan l, string name, string parameters, VectorWidth width)
    {
        var output = l.Output;
        var source = new PaddedInput(l);
        using (w.WriteBlock($"private static void {name}{width.Name}({parameters})"))
        {
            w.WriteLine($"ref float weights = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.WeightOffset)}); // HWIO [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{output.Channels}]");
            if (l.UseBias)
            {
                w.WriteLine($"ref float bias = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.BiasOffset)}); // [{output.Channels}]");
            }
            var rent = source.EmitRent(w);
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                source.EmitSample(w);
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), n * {I(output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                {
                    if (UsesPixelLanes(l))
                    {
                        EmitPixelLanes(w, l, source, width);
                    }
                    else
                    {
                        foreach (var block in ChannelBlock.Split(output.Channels, width.Lanes, 4))
                        {
                            EmitBlock(w, l, source, width, block);
                        }
                    }
                }
            }
            source.EmitReturn(w, rent);
        }
    }

    /// <summary>
    /// A first layer with one input channel and fewer filters than a vector (LeNet's 6) would
    /// leave the vector lanes idle. Then the lanes hold consecutive output pixels of a row,
    /// whose inputs are consecutive floats, and each filter is one accumulator.
    /// </summary>
    private static bool UsesPixelLanes(LayerPlan l) =>
        l.Input.Channels == 1 && l.Output.Channels < ChannelBlock.Lanes && l.StrideWidth == 1 && l.Output.Width >= ChannelBlock.Lanes;

    private static void EmitPixelLanes(IndentedTextWriter w, LayerPlan l, PaddedInput source, VectorWidth width)
    {
        int cout = l.Output.Channels;
        int lanes = width.Lanes;
        int full = l.Output.Width / lanes * lanes;
        string v = width.Name;
        w.WriteLine($"// {lanes} output pixels in the lanes x {cout} filters, one accumulator each");
        using (w.WriteBlock($"for (int ox = 0; ox < {I(full)}; ox += {I(lanes)})"))
        {
            w.WriteLine($"ref float window = ref Unsafe.Add(ref x, oy * {I(l.StrideHeight * source.Width)} + ox);");
            for (int co = 0; co < cout; co++)
            {
                w.WriteLine($"{width.Type} a{co} = {(l.UseBias ? $"{v}.Create(Unsafe.Add(ref bias, {I(co)}))" : $"{width.Type}.Zero")};");
            }
            using (w.WriteBlock($"for (int ky = 0; ky < {I(l.KernelHeight)}; ky++)"))
            using (w.WriteBlock($"for (int kx = 0; kx < {I(l.KernelWidth)}; kx++)"))
            {
                w.WriteLine($"{width.Type} xv = {v}.LoadUnsafe(ref window, (nuint)(ky * {I(l.DilationHeight * source.Width)} + kx * {I(l.DilationWidth)}));");
                w.WriteLine($"ref float wp = ref Unsafe.Add(ref weights, (ky * {I(l.KernelWidth)} + kx) * {I(cout)});");
                for (int co = 0; co < cout; co++)
                {
                    w.WriteLine($"a{co} = {v}.MultiplyAddEstimate(xv, {v}.Create(Unsafe.Add(ref wp, {I(co)})), a{co});");
                }
            }
            w.WriteLine("// Lane j is pixel ox + j: back to NHWC.");
            w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, (oy * {I(l.Output.Width)} + ox) * {I(cout)});");
            for (int co = 0; co < cout && IsFused(l.Activation) && l.Activation != Model.ActivationKind.Linear; co++)
            {
                w.WriteLine($"a{co} = {VectorActivation(l.Activation, l.Alpha, $"a{co}", v)};");
            }
            using (w.WriteBlock($"for (int j = 0; j < {I(lanes)}; j++)"))
            {
                for (int co = 0; co < cout; co++)
                {
                    w.WriteLine($"Unsafe.Add(ref pixel, j * {I(cout)} + {I(co)}) = a{co}.GetElement(j);");
                }
            }
        }
        if (full < l.Output.Width)
        {
            using (w.WriteBlock($"for (int ox = {I(full)}; ox < {I(l.Output.Width)}; ox++)"))
            {
                w.WriteLine($"ref float window = ref Unsafe.Add(ref x, oy * {I(l.StrideHeight * source.Width)} + ox);");
                w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, (oy * {I(l.Output.Width)} + ox) * {I(cout)});");
                using (w.WriteBlock($"for (int co = 0; co < {I(cout)}; co++)"))
                {
                    w.WriteLine($"float a = {(l.UseBias ? "Unsafe.Add(ref bias, co)" : "0f")};");
                    using (w.WriteBlock($"for (int ky = 0; ky < {I(l.KernelHeight)}; ky++)"))
                    using (w.WriteBlock($"for (int kx = 0; kx < {I(l.KernelWidth)}; kx++)"))
                    {
                        w.WriteLine($"a += Unsafe.Add(ref window, ky * {I(l.DilationHeight * source.Width)} + kx * {I(l.DilationWidth)}) * Unsafe.Add(ref weights, (ky * {I(l.KernelWidth)} + kx) * {I(cout)} + co);");
                    }
                    w.WriteLine($"Unsafe.Add(ref pixel, co) = {ScalarActivation(l.Activation, l.Alpha, "a")};");
                }
            }
        }
    }

    private static void EmitBlock(IndentedTextWriter w, LayerPlan l, PaddedInput source, VectorWidth width, ChannelBlock block)
    {
        int blockWidth = block.Vectors * width.Lanes + block.Scalars;
        int pixels = Math.Min(l.Output.Width, Math.Max(1, TileAccumulators(width) / (block.Vectors > 0 ? block.Vectors : block.Scalars)));
        int full = l.Output.Width / pixels * pixels;
        string cg = block.Repeat > 1 ? "cb" : I(block.Start);
        using (w.WriteBlock(block.Repeat > 1
            ? $"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * blockWidth)}; cb += {I(blockWidth)})"
            : ""))
        {
            w.WriteLine($"// output channels {(block.Repeat > 1 ? $"[cb, cb + {blockWidth})" : $"[{block.Start}, {block.Start + blockWidth})")}: "
                + $"{pixels} pixels x {(block.Vectors > 0 ? $"{block.Vectors} {width.Name}" : $"{block.Scalars} scalar")} accumulators");
            using (w.WriteBlock($"for (int ox = 0; ox < {I(full)}; ox += {I(pixels)})"))
            {
                EmitTile(w, l, source, width, block, cg, pixels);
            }
            if (full < l.Output.Width)
            {
                using (w.WriteBlock())
                {
                    w.WriteLine($"const int ox = {I(full)};");
                    EmitTile(w, l, source, width, block, cg, l.Output.Width - full);
                }
            }
        }
    }

    private static void EmitTile(IndentedTextWriter w, LayerPlan l, PaddedInput source, VectorWidth width, ChannelBlock block, string cg, int pixels)
    {
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        string v = width.Name;
        int pixelStride = l.StrideWidth * cin;
        w.WriteLine($"ref float window = ref Unsafe.Add(ref x, (oy * {I(l.StrideHeight * source.Width)} + ox * {I(l.StrideWidth)}) * {I(cin)});");
        w.WriteLine($"ref float pixel = ref Unsafe.Add(ref y, (oy * {I(l.Output.Width)} + ox) * {I(cout)} + {cg});");
        for (int p = 0; p < pixels; p++)
        {
            for (int j = 0; j < block.Vectors; j++)
            {
                w.WriteLine($"{width.Type} a{p}_{j} = {(l.UseBias ? $"{v}.LoadUnsafe(ref bias, {NUInt(Plus(cg, j * width.Lanes))})" : $"{width.Type}.Zero")};");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"float a{p}_{s} = {(l.UseBias ? $"Unsafe.Add(ref bias, {Plus(cg, s)})" : "0f")};");
            }
        }
        using (w.WriteBlock($"for (int ky = 0; ky < {I(l.KernelHeight)}; ky++)"))
        using (w.WriteBlock($"for (int kx = 0; kx < {I(l.KernelWidth)}; kx++)"))
        {
            w.WriteLine($"ref float xp = ref Unsafe.Add(ref window, (ky * {I(l.DilationHeight * source.Width)} + kx * {I(l.DilationWidth)}) * {I(cin)});");
            w.WriteLine($"ref float wp = ref Unsafe.Add(ref weights, (ky * {I(l.KernelWidth)} + kx) * {I(cin * cout)} + {cg});");
            if (cin <= 4)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    EmitMultiplyAdd(w, width, block, pixels, pixelStride, I(ci), I(ci * cout), declare: ci == 0);
                }
            }
            else
            {
                using (w.WriteBlock($"for (int ci = 0; ci < {I(cin)}; ci++)"))
                {
                    EmitMultiplyAdd(w, width, block, pixels, pixelStride, "ci", $"ci * {I(cout)}", declare: true);
                }
            }
        }
        for (int p = 0; p < pixels; p++)
        {
            for (int j = 0; j < block.Vectors; j++)
            {
                w.WriteLine($"{v}.StoreUnsafe({VectorActivation(l.Activation, l.Alpha, $"a{p}_{j}", v)}, ref pixel, {I(p * cout + j * width.Lanes)});");
            }
            for (int s = 0; s < block.Scalars; s++)
            {
                w.WriteLine($"Unsafe.Add(ref pixel, {I(p * cout + s)}) = {ScalarActivation(l.Activation, l.Alpha, $"a{p}_{s}")};");
            }
        }
    }

    /// <summary>One input channel: the block's weight vectors once, each pixel's input broadcast once.</summary>
    private static void EmitMultiplyAdd(IndentedTextWriter w, VectorWidth width, ChannelBlock block, int pixels, int pixelStride, string ci, string weightRow, bool declare)
    {
        string Row(int k) => int.TryParse(weightRow, out int row) ? I(row + k) : (k == 0 ? weightRow : $"{weightRow} + {I(k)}");
        string At(int p) => int.TryParse(ci, out int c) ? I(c + p * pixelStride) : (p == 0 ? ci : $"{ci} + {I(p * pixelStride)}");
        RegisterTile.EmitLoads(w, width, block, "w", "wp", Row, declare);
        RegisterTile.EmitMultiplyAdds(w, width, block, pixels, p => $"Unsafe.Add(ref xp, {At(p)})", "w", declare);
    }

    private static string Plus(string expression, int k) => int.TryParse(expression, out int value) ? I(value + k) : (k == 0 ? expression : $"{expression} + {I(k)}");

    /// <summary>Runs the activations that are not fused (all of them on the scalar fallback path).</summary>
    public static void EmitActivationPass(IndentedTextWriter w, LayerPlan l, bool all)
    {
        if (l.Activation == Model.ActivationKind.Linear || (!all && IsFused(l.Activation)))
        {
            return;
        }
        w.WriteLine($"ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, output.Slice(0, batch * {I(l.Output.Length)}), {I(l.Output.Channels)});");
    }
}
