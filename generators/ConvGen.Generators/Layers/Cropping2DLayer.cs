using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Cropping2D(top, bottom, left, right)]</c>, <c>(rows, columns)</c> or <c>(crop)</c> /
/// <c>cropping2d 1 1 2 2</c>: removes rows and columns at the border (Keras <c>Cropping2D</c>),
/// as U-Net crops its skip connections when its convolutions are valid.
/// </summary>
internal sealed class Cropping2DLayer : BorderLayer
{
    public Cropping2DLayer()
        : base(LayerKind.Cropping2D)
    {
    }

    /// <summary>Rows and columns removed at each side.</summary>
    internal sealed record Sides(int Top, int Bottom, int Left, int Right) : KindData;

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "cropping2d", "crop" };

    protected override KindData Border(int top, int bottom, int left, int right) => new Sides(top, bottom, left, right);

    protected override string NumberMeaning => "rows or columns to crop";

    public override string TextUsage(string head) => $"{head} CROP, {head} ROWS COLUMNS or {head} TOP BOTTOM LEFT RIGHT, e.g. '{head} 4' or '{head} 0 1 0 1'";

    // ---- Analysis ----

    public override string DefaultName => "cropping2d";

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var input = inputs[0];
        var sides = (Sides)context.Layer.KindOptions!;
        if (!RequireSpatial(context, input, diagnostics)
            | !RequireNonNegative(context, "top crop", sides.Top, diagnostics)
            | !RequireNonNegative(context, "bottom crop", sides.Bottom, diagnostics)
            | !RequireNonNegative(context, "left crop", sides.Left, diagnostics)
            | !RequireNonNegative(context, "right crop", sides.Right, diagnostics))
        {
            return null;
        }
        bool ok = true;
        void Axis(long removed, int length, string what)
        {
            if (removed >= length)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CroppingRemovesEverything, context.Layer.Location, context.Index, context.Name,
                    $"{removed} {what}s", input.ToText(), $"{length}", $"{length - 1} {what}{(length - 1 == 1 ? "" : "s")}"));
                ok = false;
            }
        }
        Axis((long)sides.Top + sides.Bottom, input.Height, "row");
        Axis((long)sides.Left + sides.Right, input.Width, "column");
        if (!ok)
        {
            return null;
        }
        var output = Shape.Spatial(input.Height - sides.Top - sides.Bottom, input.Width - sides.Left - sides.Right, input.Channels);
        return context.Plan(input, output) with { Data = sides };
    }

    public override string Describe(LayerPlan l)
    {
        var s = (Sides)l.Data!;
        return $"crop {s.Top},{s.Bottom},{s.Left},{s.Right}";
    }

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l)
    {
        var s = (Sides)l.Data!;
        return New("CroppingConfig", $"{I(s.Top)}, {I(s.Bottom)}, {I(s.Left)}, {I(s.Right)}");
    }

    /// <summary>The shapes after <c>batch</c>: input height, width, channels, top, left, output height, width.</summary>
    private static string Geometry(LayerPlan l)
    {
        var s = (Sides)l.Data!;
        return $"{I(l.Input.Height)}, {I(l.Input.Width)}, {I(l.Input.Channels)}, {I(s.Top)}, {I(s.Left)}, {I(l.Output.Height)}, {I(l.Output.Width)}";
    }

    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        w.WriteLine(ShapeComment(l));
        w.WriteLine($"public static void {MethodName(l)}(ReadOnlySpan<float> input, Span<float> output, int batch) => SegmentationKernels.Crop(input, output, batch, {Geometry(l)});");
    }

    public override void WriteForwardTraining(TrainingStep step) => step.CallKernel(MethodName(step.Layer), $"{step.Input}, {step.Output}, batch");

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        if (l.Source < 0)
        {
            return;
        }
        step.Writer.WriteLine($"if ({step.NeedsInputGradient}) {{ global::ConvGen.Kernels.SegmentationKernels.CropBackward(gradient, spare, batch, {Geometry(l)}); {SwapGradients} }}");
    }
}
