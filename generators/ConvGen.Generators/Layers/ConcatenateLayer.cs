using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Concatenate("a", "b", ...)]</c> / <c>concatenate a b ...</c>: two or more earlier layers
/// joined along the channels, in the order named (Keras <c>axis=-1</c>); U-Net's skip connections.
/// Backward hands each source its own channel slice of the gradient.
/// </summary>
internal sealed class ConcatenateLayer : LayerDescriptor
{
    public ConcatenateLayer()
        : base(LayerKind.Concatenate)
    {
    }

    /// <summary>An <c>Input</c> written on the layer, kept to be refused: Concatenate reads only the layers it names.</summary>
    internal sealed record WrittenInput(string Input) : KindData;

    /// <summary>The channels each source brings, in order.</summary>
    internal sealed record Channels(EquatableArray<int> PerSource) : KindData;

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "concatenate", "concat" };

    public override LayerOptions Options => LayerOptions.NamedSources | LayerOptions.ManySources;

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        arguments.Count >= 2 && arguments.All(a => a is string) ? blank with { Sources = new EquatableArray<string>(arguments.Cast<string>().ToArray()) } : null;

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) =>
        name == "Input" && value is string input ? spec with { KindOptions = new WrittenInput(input) } : null;

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec)
    {
        if (key != "input" || value.Count != 1)
        {
            return null;
        }
        spec = spec with { KindOptions = new WrittenInput(value.Text(0)) };
        return true;
    }

    // ---- Analysis ----

    public override string DefaultName => "concatenate";

    public override int NamedSources => 2;

    public override bool NamesMoreSources => true;

    /// <summary>All maps (or all vectors), of one height and width; the message names every odd one out and what would make it fit.</summary>
    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (layer.KindOptions is WrittenInput { Input: var input })
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownInputLayer, layer.LocationOf("Input"), context.Index, context.Kind, context.Name, input,
                $"Concatenate reads exactly the layers named in its arguments ({string.Join(", ", layer.Sources.Select(n => $"'{n}'"))}) and takes no Input"));
            return null;
        }
        var first = inputs[0];
        var names = layer.Sources;
        var problems = new List<string>();
        string advice = "";
        for (int k = 1; k < inputs.Count; k++)
        {
            var other = inputs[k];
            if (other.Rank != first.Rank)
            {
                problems.Add($"'{names[k]}' is {(other.IsSpatial ? "a map" : "a vector")} ({other.ToText()}) and '{names[0]}' {(first.IsSpatial ? "a map" : "a vector")} ({first.ToText()})");
                advice = "join spatial maps with spatial maps and vectors with vectors (Flatten or global pooling makes a vector)";
                continue;
            }
            if (other.Height == first.Height && other.Width == first.Width)
            {
                continue;
            }
            problems.Add($"'{names[k]}' is {other.ToText()}, {Difference(other, first)} '{names[0]}' ({first.ToText()})");
            if (advice.Length == 0)
            {
                bool firstLarger = first.Height >= other.Height && first.Width >= other.Width;
                bool otherLarger = other.Height >= first.Height && other.Width >= first.Width;
                string same = context.IsTextForm ? "padding=same" : "Padding.Same";
                var (larger, smaller, largerName) = firstLarger ? (first, other, names[0]) : (other, first, names[k]);
                advice = firstLarger || otherLarger
                    ? $"crop '{largerName}' to {smaller.Height}x{smaller.Width} with {Crop(larger, smaller, largerName, context.IsTextForm)} and join that layer instead "
                      + $"(as U-Net does with valid convolutions), or give the convolutions {same} so the sizes stay equal"
                    : $"give the convolutions {same} so the sizes stay equal, or crop each to the smaller height and width with Cropping2D";
            }
        }
        if (problems.Count > 0)
        {
            string joined = string.Join(", ", names.Select((n, k) => $"'{n}' ({inputs[k].ToText()})"));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConcatenateShapeMismatch, layer.Location, context.Index, context.Name, joined,
                string.Join("; ", problems), advice));
            return null;
        }
        long channels = inputs.Sum(s => (long)s.Channels);
        if (!SizeLimits.Fits(channels * first.Height * first.Width))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, "its output", channels * first.Height * first.Width, "values", "join fewer or smaller maps"));
            return null;
        }
        var output = first.IsSpatial ? Shape.Spatial(first.Height, first.Width, (int)channels) : Shape.Vector((int)channels);
        return context.Plan(first, output) with { Data = new Channels(inputs.Select(s => s.Channels).ToEquatableArray()) };
    }

    /// <summary><c>4 rows and 2 columns larger than</c>.</summary>
    private static string Difference(Shape shape, Shape reference)
    {
        var parts = new List<string>();
        void Axis(int a, int b, string what)
        {
            if (a != b)
            {
                parts.Add($"{System.Math.Abs(a - b)} {what}{(System.Math.Abs(a - b) == 1 ? "" : "s")} {(a > b ? "more" : "fewer")}");
            }
        }
        Axis(shape.Height, reference.Height, "row");
        Axis(shape.Width, reference.Width, "column");
        return string.Join(" and ", parts) + " than";
    }

    /// <summary>The Cropping2D that takes <paramref name="larger"/> to <paramref name="smaller"/>'s size, centred (the odd row or column at the bottom / right), written in its shortest form.</summary>
    internal static string Crop(Shape larger, Shape smaller, string source, bool textForm)
    {
        int rows = larger.Height - smaller.Height, columns = larger.Width - smaller.Width;
        int top = rows / 2, bottom = rows - top, left = columns / 2, right = columns - left;
        string arguments = top == bottom && left == right
            ? top == left ? $"{top}" : $"{top}, {left}"
            : $"{top}, {bottom}, {left}, {right}";
        return textForm ? $"'cropping2d {arguments.Replace(", ", " ")} input={source}'" : $"[Cropping2D({arguments}, Input = \"{source}\")]";
    }

    public override string Describe(LayerPlan l) => string.Join(" | ", l.SourceNames);

    public override long EstimateCodeBytes(LayerPlan plan) => 1_000 + 300L * plan.Sources.Count;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) => New("ConcatenateConfig");

    private static EquatableArray<int> SourceChannels(LayerPlan l) => ((Channels)l.Data!).PerSource;

    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        var channels = SourceChannels(l);
        string sources = string.Join(", ", Enumerable.Range(0, channels.Count).Select(k => $"ReadOnlySpan<float> source{k}"));
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}({sources}, Span<float> output, int batch)"))
        {
            int offset = 0;
            for (int k = 0; k < channels.Count; k++)
            {
                w.WriteLine($"SegmentationKernels.CopyChannels(source{k}, output, {Pixels(l)}, {I(channels[k])}, {I(l.Output.Channels)}, {I(offset)}); // '{l.SourceNames[k]}'");
                offset += channels[k];
            }
        }
    }

    /// <summary><c>batch * H * W</c>, or <c>batch</c> for vectors.</summary>
    private static string Pixels(LayerPlan l) => Emit.Arithmetic.Times("batch", (long)l.Output.Height * l.Output.Width);

    /// <summary>Each source's buffer sliced to its own length (<see cref="TrainingStep.SourceSlices"/> assumes equal shapes, as Add has).</summary>
    public override void WriteForwardTraining(TrainingStep step)
    {
        var l = step.Layer;
        var channels = SourceChannels(l);
        long pixels = (long)l.Output.Height * l.Output.Width;
        var sources = step.Buffers.Sources[l.Index];
        string slices = string.Join(", ", Enumerable.Range(0, channels.Count).Select(k => TrainingStep.Batch(sources[k], pixels * channels[k])));
        step.CallKernel(MethodName(l), $"{slices}, {step.Output}, batch");
    }

    public override bool RoutesSourceGradients => true;

    /// <summary>
    /// Each source off the chain gets its channel slice in its stash (copied by the first reader,
    /// added by the rest); the chain operand's slice goes to spare, which then becomes the running gradient.
    /// </summary>
    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        var w = step.Writer;
        var channels = SourceChannels(l);
        int chain = step.Buffers.ChainOperand[l.Index];
        int offset = 0;
        var offsets = new int[channels.Count];
        for (int k = 0; k < channels.Count; k++)
        {
            offsets[k] = offset;
            offset += channels[k];
        }
        string Split(int k, string target, bool accumulate) =>
            $"global::ConvGen.Kernels.SegmentationKernels.SplitChannels(gradient, {target}, {Pixels(l)}, {I(channels[k])}, {I(l.Output.Channels)}, {I(offsets[k])}, {Bool(accumulate)});";
        for (int k = 0; k < channels.Count; k++)
        {
            int source = l.Sources[k];
            if (k == chain || source < 0)
            {
                continue;
            }
            w.WriteLine($"if (lowestTrainable < {I(source + 1)}) {Split(k, TrainingBufferPlan.StashName(source), !step.Buffers.CopiesIntoStash(l, k))} // to '{l.SourceNames[k]}'");
        }
        if (chain >= 0)
        {
            w.WriteLine($"if (lowestTrainable < {I(l.Sources[chain] + 1)}) {{ {Split(chain, "spare", accumulate: false)} {SwapGradients} }} // to '{l.SourceNames[chain]}'");
        }
    }
}
