using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Shapes;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Pooling gradients. Max routes each output gradient to the first input position that holds
/// the window's maximum (the argmax is recomputed from the kept input and output rather than
/// stored); average spreads it evenly over the window's cells inside the input.
/// </summary>
internal static class PoolBackwardEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        switch (l.Kind)
        {
            case LayerKind.MaxPool2D: EmitWindow(w, l, max: true); break;
            case LayerKind.AvgPool2D: EmitWindow(w, l, max: false); break;
            case LayerKind.GlobalMaxPool2D: EmitGlobal(w, l, max: true); break;
            case LayerKind.GlobalAvgPool2D: EmitGlobal(w, l, max: false); break;
        }
    }

    private static void EmitWindow(IndentedTextWriter w, LayerPlan l, bool max)
    {
        var input = l.Input;
        var output = l.Output;
        int c = input.Channels;
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' backward  d{output} -> d{input}");
        string signature = max
            ? "ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch"
            : "ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch";
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.BackwardName(l)}({signature})"))
        {
            w.WriteLine($"inputGradient.Slice(0, batch * {I(input.Length)}).Clear();");
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"int inBase = n * {I(input.Length)};");
                w.WriteLine($"int outBase = n * {I(output.Length)};");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
                {
                    w.WriteLine($"int iy0 = oy * {I(l.StrideHeight)} - {I(l.PadTop)};");
                    w.WriteLine($"int ix0 = ox * {I(l.StrideWidth)} - {I(l.PadLeft)};");
                    w.WriteLine($"int yStart = Math.Max(iy0, 0), yEnd = Math.Min(iy0 + {I(l.KernelHeight)}, {I(input.Height)});");
                    w.WriteLine($"int xStart = Math.Max(ix0, 0), xEnd = Math.Min(ix0 + {I(l.KernelWidth)}, {I(input.Width)});");
                    w.WriteLine($"int cell = outBase + (oy * {I(output.Width)} + ox) * {I(c)};");
                    if (!max)
                    {
                        w.WriteLine("float scale = 1f / ((yEnd - yStart) * (xEnd - xStart));");
                    }
                    using (w.WriteBlock($"for (int ch = 0; ch < {I(c)}; ch++)"))
                    {
                        if (max)
                        {
                            w.WriteLine("float best = output[cell + ch];");
                            w.WriteLine("int at = -1;");
                            using (w.WriteBlock("for (int iy = yStart; iy < yEnd && at < 0; iy++)"))
                            using (w.WriteBlock("for (int ix = xStart; ix < xEnd; ix++)"))
                            {
                                w.WriteLine($"int index = inBase + (iy * {I(input.Width)} + ix) * {I(c)} + ch;");
                                w.WriteLine("if (input[index] == best) { at = index; break; }");
                            }
                            w.WriteLine("if (at >= 0) inputGradient[at] += outputGradient[cell + ch];");
                        }
                        else
                        {
                            w.WriteLine("float share = outputGradient[cell + ch] * scale;");
                            using (w.WriteBlock("for (int iy = yStart; iy < yEnd; iy++)"))
                            using (w.WriteBlock("for (int ix = xStart; ix < xEnd; ix++)"))
                            {
                                w.WriteLine($"inputGradient[inBase + (iy * {I(input.Width)} + ix) * {I(c)} + ch] += share;");
                            }
                        }
                    }
                }
            }
        }
    }

    private static void EmitGlobal(IndentedTextWriter w, LayerPlan l, bool max)
    {
        int positions = l.Input.Height * l.Input.Width;
        int c = l.Input.Channels;
        w.WriteLine($"// layer {l.Index}: {l.Kind} '{l.Name}' backward  d{l.Output} -> d{l.Input}");
        string signature = max
            ? "ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch"
            : "ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch";
        using (w.WriteBlock($"public static void {TrainingMembersEmitter.BackwardName(l)}({signature})"))
        {
            if (max)
            {
                w.WriteLine($"inputGradient.Slice(0, batch * {I(l.Input.Length)}).Clear();");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            using (w.WriteBlock($"for (int ch = 0; ch < {I(c)}; ch++)"))
            {
                w.WriteLine($"float g = outputGradient[n * {I(c)} + ch];");
                if (max)
                {
                    w.WriteLine($"float best = output[n * {I(c)} + ch];");
                    using (w.WriteBlock($"for (int p = 0; p < {I(positions)}; p++)"))
                    {
                        w.WriteLine($"int index = (n * {I(positions)} + p) * {I(c)} + ch;");
                        w.WriteLine("if (input[index] == best) { inputGradient[index] = g; break; }");
                    }
                }
                else
                {
                    w.WriteLine($"float share = g * {Literal.Float(1.0 / positions)};");
                    using (w.WriteBlock($"for (int p = 0; p < {I(positions)}; p++)"))
                    {
                        w.WriteLine($"inputGradient[(n * {I(positions)} + p) * {I(c)} + ch] = share;");
                    }
                }
            }
        }
    }
}
