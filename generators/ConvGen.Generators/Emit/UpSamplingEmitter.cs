using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>UpSampling2D's entry points: the forward kernel and, for training, the input gradient, each on a <see cref="UpSamplingKernel"/> body.</summary>
internal static class UpSamplingEmitter
{
    public static void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, int factorHeight, int factorWidth, bool bilinear)
    {
        string name = MethodName(l);
        w.WriteLine(ShapeComment(l));
        WriteEntry(w, $"public static void {name}(ReadOnlySpan<float> input, Span<float> output, int batch)", l.Input.Channels,
            width => $"{catalog.Require(new UpSamplingKernel(l.Input, factorHeight, factorWidth, bilinear, Backward: false, width), name)}(input, output, batch)");
    }

    public static void EmitBackward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, int factorHeight, int factorWidth, bool bilinear)
    {
        string name = TrainingMembersEmitter.BackwardName(l);
        w.WriteLine($"// layer {l.Index}: UpSampling2D '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}: each input cell gathers the output cells that read it");
        WriteEntry(w, $"public static void {name}(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)", l.Input.Channels,
            width => $"{catalog.Require(new UpSamplingKernel(l.Input, factorHeight, factorWidth, bilinear, Backward: true, width), name)}(outputGradient, inputGradient, batch)");
    }

    /// <summary>The body for the CPU's widest vector; one call when there is only the Vector256 body.</summary>
    private static void WriteEntry(IndentedTextWriter w, string signature, int channels, Func<VectorWidth, string> call)
    {
        if (!VectorWidth.Fits512(channels))
        {
            w.WriteLine($"{signature} => {call(VectorWidth.V256)};");
            return;
        }
        using (OpenEntryPoint(w, signature))
        {
            ChannelBlocks.WriteDispatch(w, channels, call);
        }
    }
}

/// <summary>
/// UpSampling2D's forward or backward body for one input shape, factors, interpolation and vector
/// width. Both directions are gathers, separable by axis: a target row is the weighted sum of its
/// source rows (one contiguous strip of floats, blended into <c>line</c>, or the source row itself when
/// it is one row as it is), then each target cell of the row the weighted sum of its source cells
/// in that line, vectorised over channels. Forward, the targets are output cells and the taps
/// those of <see cref="ResamplingAxis.Forward"/>; backward, the targets are input cells gathering
/// the output cells that read them (<see cref="ResamplingAxis.Backward"/>): no scatter, no
/// atomics. The taps and weights are constants; the interior of each axis is one loop.
/// </summary>
internal sealed record UpSamplingKernel(Shape Input, int FactorHeight, int FactorWidth, bool Bilinear, bool Backward, VectorWidth Width) : KernelKey
{
    public override string NameFor(string user) => user + Width.Name;

    public override string Describe() =>
        $"upsampling {Input} x{FactorHeight}x{FactorWidth} {(Bilinear ? "bilinear" : "nearest")}{(Backward ? " backward" : "")}, {Width.Name}";

    private Shape Output => Shape.Spatial(Input.Height * FactorHeight, Input.Width * FactorWidth, Input.Channels);

    private Shape Source => Backward ? Output : Input;

    private Shape Target => Backward ? Input : Output;

    private int Channels => Input.Channels;

    /// <summary>The groups of one axis and the steps of their targets and sources per input index.</summary>
    private (List<ResamplingGroup> Groups, int TargetStep, int SourceStep) Axis(int length, int factor)
    {
        var groups = new ResamplingAxis(length, factor, Bilinear).Groups(Backward);
        return Backward ? (groups, 1, factor) : (groups, factor, 1);
    }

    /// <summary>
    /// Code size: each axis has at most three groups (two edges, the interior loop) of up to a
    /// factor's targets (forward) or a target of up to two factors' taps (backward), each a few lines.
    /// </summary>
    public static long EstimateCodeBytes(int factorHeight, int factorWidth) => 6_000 + 3L * (factorHeight + factorWidth) * 1_200;

    public override void Write(IndentedTextWriter w, string name)
    {
        var rows = Axis(Input.Height, FactorHeight);
        var columns = Axis(Input.Width, FactorWidth);
        int sourceRow = Source.Width * Channels;
        int targetRow = Target.Width * Channels;
        bool blends = rows.Groups.Any(g => g.Phases.Any(p => !ResamplingAxis.IsCopy(p)));
        string source = Backward ? "outputGradient" : "input";
        string target = Backward ? "inputGradient" : "output";
        using (w.WriteBlock($"private static void {name}(ReadOnlySpan<float> {source}, Span<float> {target}, int batch)"))
        {
            if (blends)
            {
                w.WriteLine($"// A target row's blend of its source rows: [{Source.Width},{Channels}].");
                w.WriteLine($"float[] blended = ArrayPool<float>.Shared.Rent({I(sourceRow)});");
                w.WriteLine("ref float line = ref MemoryMarshal.GetArrayDataReference(blended);");
            }
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference({source}), {Times("n", Source.Length)});");
                w.WriteLine($"ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference({target}), {Times("n", Target.Length)});");
                foreach (var group in rows.Groups)
                {
                    EmitGroup(w, group, "i", (k, phase, taps, shared) =>
                    {
                        string row = Sum(Times(k, (long)rows.TargetStep * targetRow), I((long)phase * targetRow));
                        string Row(ResamplingTap tap) => At("x", Sum(Times(k, (long)rows.SourceStep * sourceRow), I((long)tap.Source * sourceRow)));
                        w.WriteLine($"// {(Backward ? "input" : "output")} row[{Plus(Times(k, rows.TargetStep), phase)}] = {Describe(taps, k, rows.SourceStep, "row")}");
                        if (ResamplingAxis.IsCopy(taps))
                        {
                            w.WriteLine($"Columns(ref {Row(taps[0])}, ref {At("y", row)});");
                            return;
                        }
                        using (shared ? w.WriteBlock() : (IDisposable?)null)
                        {
                            EmitSum(w, taps, "line", sourceRow, Row);
                            w.WriteLine($"Columns(ref line, ref {At("y", row)});");
                        }
                    });
                }
            }
            if (blends)
            {
                w.WriteLine("ArrayPool<float>.Shared.Return(blended);");
            }
            w.WriteLine();
            w.WriteLine($"// One target row [{Target.Width},{Channels}] from a source row [{Source.Width},{Channels}].");
            using (w.WriteBlock("static void Columns(ref float source, ref float target)"))
            {
                foreach (var group in columns.Groups)
                {
                    EmitGroup(w, group, "j", (k, phase, taps, shared) =>
                    {
                        string Cell(ResamplingTap tap) => At("source", Sum(Times(k, (long)columns.SourceStep * Channels), I((long)tap.Source * Channels)));
                        w.WriteLine($"// {(Backward ? "input" : "output")} column[{Plus(Times(k, columns.TargetStep), phase)}] = {Describe(taps, k, columns.SourceStep, "column")}");
                        using (shared ? w.WriteBlock() : (IDisposable?)null)
                        {
                            EmitSum(w, taps, At("target", Sum(Times(k, (long)columns.TargetStep * Channels), I((long)phase * Channels))), Channels, Cell);
                        }
                    });
                }
            }
        }
    }

    /// <summary>
    /// The input indices of <paramref name="group"/>: a loop over <paramref name="index"/>, or one
    /// literal index; <paramref name="phase"/> writes each target, told whether other targets share its scope.
    /// </summary>
    private static void EmitGroup(IndentedTextWriter w, ResamplingGroup group, string index, Action<string, int, IReadOnlyList<ResamplingTap>, bool> phase)
    {
        string k = group.IsLoop ? index : I(group.From);
        using (group.IsLoop ? w.WriteBlock($"for (int {index} = {I(group.From)}; {index} < {I(group.To)}; {index}++)") : (IDisposable?)null)
        {
            // A target that declares refs gets a scope when others share its own: a loop's other phases, or the other literal groups.
            for (int p = 0; p < group.Phases.Count; p++)
            {
                phase(k, p, group.Phases[p], !group.IsLoop || group.Phases.Count > 1);
            }
        }
    }

    /// <summary><c>0.25 * row i - 1 + 0.75 * row i</c>, for the comment over a target row.</summary>
    private static string Describe(IReadOnlyList<ResamplingTap> taps, string k, int sourceStep, string what) =>
        string.Join(" + ", taps.Select(t => $"{(t.Weight == 1 ? "" : Literal.Float(t.Weight).TrimEnd('f') + " * ")}{what}[{Plus(Times(k, sourceStep), t.Source)}]"));

    /// <summary>
    /// <c>target[c] = sum of weight * source[c]</c> over <paramref name="length"/> floats: vectors (unrolled
    /// when few, else a loop), then the floats past the last whole vector. Each tap's source is a ref declared first.
    /// </summary>
    private void EmitSum(IndentedTextWriter w, IReadOnlyList<ResamplingTap> taps, string target, int length, Func<ResamplingTap, string> source)
    {
        string into = target;
        if (target.Contains(" "))
        {
            w.WriteLine($"ref float to = ref {target};");
            into = "to";
        }
        var refs = new List<string>();
        for (int t = 0; t < taps.Count; t++)
        {
            string reference = source(taps[t]);
            if (reference.Contains(" "))
            {
                w.WriteLine($"ref float s{t} = ref {reference};");
                reference = $"s{t}";
            }
            refs.Add(reference);
        }
        string Term(int t, string value) => taps[t].Weight == 1 ? value : $"{value} * {Literal.Float(taps[t].Weight)}";
        string v = Width.Name;
        int lanes = Width.Lanes;
        int full = length / lanes * lanes;
        EmitStrip(w, 0, full, lanes, c =>
        {
            string sum = string.Join(" + ", taps.Select((_, t) => Term(t, $"{v}.LoadUnsafe(ref {refs[t]}{Offset(c)})")));
            return $"{(taps.Count > 1 || taps[0].Weight != 1 ? $"({sum})" : sum)}.StoreUnsafe(ref {into}{Offset(c)});";
        });
        EmitStrip(w, full, length, 1, c =>
            $"{At(into, c)} = {string.Join(" + ", taps.Select((_, t) => Term(t, At(refs[t], c))))};");
    }

    /// <summary><c>, 8</c> or <c>, (nuint)c</c>; nothing at 0.</summary>
    private static string Offset(string c) => c == "0" ? "" : int.TryParse(c, out _) ? ", " + c : $", (nuint){c}";

    /// <summary>Statements for offsets <paramref name="from"/>, <paramref name="from"/> + step, ... below <paramref name="to"/>: up to four written out, more a loop over <c>c</c>.</summary>
    private static void EmitStrip(IndentedTextWriter w, int from, int to, int step, Func<string, string> statement)
    {
        int count = (to - from) / step;
        if (count <= 4)
        {
            for (int c = from; c < to; c += step)
            {
                w.WriteLine(statement(I(c)));
            }
            return;
        }
        using (w.WriteBlock($"for (int c = {I(from)}; c < {I(to)}; c{(step == 1 ? "++" : $" += {I(step)}")})"))
        {
            w.WriteLine(statement("c"));
        }
    }
}
