using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>The sides of a ZeroPadding2D, as written and as planned.</summary>
internal sealed record ZeroPaddingData(int Top, int Bottom, int Left, int Right) : KindData
{
    public override string ToString() => $"{Top},{Bottom},{Left},{Right}";
}

/// <summary>
/// <c>[ZeroPadding2D(top, bottom, left, right)]</c>, <c>(vertical, horizontal)</c> or <c>(all)</c> /
/// <c>zeropadding2d 1</c>, <c>zeropadding2d 1,2</c>, <c>zeropadding2d 1,0,1,0</c>: frames each channel
/// with zeros, [H,W,C] to [H+top+bottom, W+left+right, C] (Keras). No parameters; its gradient is
/// the middle of the output gradient.
/// </summary>
internal sealed class ZeroPadding2DLayer : BorderLayer
{
    public ZeroPadding2DLayer()
        : base(LayerKind.ZeroPadding2D)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "zeropadding2d", "zeropad", "zero_padding2d" };

    protected override KindData Border(int top, int bottom, int left, int right) => new ZeroPaddingData(top, bottom, left, right);

    protected override string NumberMeaning => "padding";

    public override string TextUsage(string head) =>
        $"{head} ALL, {head} VERTICAL HORIZONTAL or {head} TOP BOTTOM LEFT RIGHT, e.g. '{head} 1' or '{head} 0 1 0 1'";

    // ---- Analysis ----

    public override string DefaultName => "zero_padding2d";

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        var pads = layer.KindOptions as ZeroPaddingData ?? new ZeroPaddingData(0, 0, 0, 0);
        if (!RequireSpatial(context, input, diagnostics))
        {
            return null;
        }
        if (pads.Top < 0 || pads.Bottom < 0 || pads.Left < 0 || pads.Right < 0)
        {
            string written = context.IsTextForm ? $"{pads}" : $"top {pads.Top}, bottom {pads.Bottom}, left {pads.Left}, right {pads.Right}";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExplicitPadding, layer.Location, context.Index, context.Kind, context.Name,
                $"padding ({written}) has a negative side; padding counts rows and columns of zeros, 0 or more (to cut the input, use a valid-padded window instead)"));
            return null;
        }
        long height = (long)input.Height + pads.Top + pads.Bottom;
        long width = (long)input.Width + pads.Left + pads.Right;
        if (!SizeLimits.Fits(height) || !SizeLimits.Fits(width) || !SizeLimits.Fits(height * width * input.Channels))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"padded output [{height},{width},{input.Channels}]", height * width * input.Channels, "values",
                "pad fewer rows and columns"));
            return null;
        }
        return context.Plan(input, Shape.Spatial((int)height, (int)width, input.Channels)) with { Data = pads };
    }

    private static ZeroPaddingData Pads(LayerPlan l) => (ZeroPaddingData)l.Data!;

    public override string Describe(LayerPlan l) => $"pad {Pads(l)}";

    public override long EstimateCodeBytes(LayerPlan plan) => 1_500;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) =>
        New("ZeroPaddingConfig", $"{I(Pads(l).Top)}, {I(Pads(l).Bottom)}, {I(Pads(l).Left)}, {I(Pads(l).Right)}");

    /// <summary>Height, width, channels of the input, then the four sides.</summary>
    private static string Arguments(LayerPlan l) =>
        $"batch, {I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(Pads(l).Top)}, {I(Pads(l).Bottom)}, {I(Pads(l).Left)}, {I(Pads(l).Right)}";

    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}(ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            w.WriteLine($"PaddingKernels.Pad(input, output, {Arguments(l)});");
        }
    }

    public override void WriteTrainingKernels(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        if (l.Source < 0)
        {
            return;
        }
        Separate(w);
        w.WriteLine($"// layer {l.Index}: ZeroPadding2D '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}: its middle");
        using (OpenEntryPoint(w, $"public static void {TrainingMembersEmitter.BackwardName(l)}(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            w.WriteLine($"PaddingKernels.Crop(outputGradient, inputGradient, {Arguments(l)});");
        }
    }

    public override void WriteForwardTraining(TrainingStep step) => step.CallKernel(MethodName(step.Layer), $"{step.Input}, {step.Output}, batch");

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        if (l.Source < 0)
        {
            return;
        }
        step.Writer.WriteLine($"if ({step.NeedsInputGradient}) {{ {step.Kernels}.{TrainingMembersEmitter.BackwardName(l)}(gradient, spare, batch); {SwapGradients} }}");
    }
}
