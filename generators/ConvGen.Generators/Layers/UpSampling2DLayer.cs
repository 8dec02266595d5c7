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

/// <summary>Mirror of the runtime's <c>ConvGen.UpSamplingInterpolation</c> (same numeric values).</summary>
internal enum InterpolationKind
{
    Nearest = 0,
    Bilinear,
}

/// <summary>
/// <c>[UpSampling2D(size)]</c> or <c>(sh, sw)</c> / <c>upsampling2d 2 interpolation=bilinear</c>:
/// <c>[H,W,C]</c> to <c>[H*sh,W*sw,C]</c> (Keras <c>UpSampling2D</c>), nearest (repeat) or bilinear with
/// half-pixel centres (Keras's <c>tf.image.resize</c>; ONNX Resize <c>half_pixel</c>). Both passes are generated
/// gathers with constant shapes and weights: see <see cref="Emit.UpSamplingEmitter"/>.
/// </summary>
internal sealed class UpSampling2DLayer : LayerDescriptor
{
    public UpSampling2DLayer()
        : base(LayerKind.UpSampling2D)
    {
    }

    /// <summary>The factors and the interpolation, as written (spec) and as resolved (plan).</summary>
    internal sealed record Factors(int Height, int Width, InterpolationKind Interpolation) : KindData;

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "upsampling2d", "upsample", "up_sampling2d" };

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count is 1 or 2
        ? blank with { KindOptions = new Factors((int)arguments[0], (int)arguments[arguments.Count - 1], InterpolationKind.Nearest) }
        : null;

    public override string? ArgumentName(int position) => position == 0 ? "size" : null;

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) =>
        name == "Interpolation" && spec.KindOptions is Factors f ? spec with { KindOptions = f with { Interpolation = (InterpolationKind)(int)value } } : null;

    public override int TextNumberCount => 1;

    public override string TextUsage(string head) => $"{head} SIZE, e.g. '{head} 2' or '{head} 2x3 interpolation=bilinear'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryWindow(0, out int height, out int width))
        {
            return false;
        }
        spec = spec with { KindOptions = new Factors(height, width, InterpolationKind.Nearest) };
        return true;
    }

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec)
    {
        if (key != "interpolation" || spec.KindOptions is not Factors f)
        {
            return null;
        }
        switch (value.Text(0).ToLowerInvariant())
        {
            case "nearest":
                spec = spec with { KindOptions = f with { Interpolation = InterpolationKind.Nearest } };
                return true;
            case "bilinear":
                spec = spec with { KindOptions = f with { Interpolation = InterpolationKind.Bilinear } };
                return true;
            default:
                return value.Fail(0, "interpolation; expected nearest or bilinear");
        }
    }

    // ---- Analysis ----

    public override string DefaultName => "up_sampling2d";

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var input = inputs[0];
        var factors = (Factors)context.Layer.KindOptions!;
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositiveWindow(context, "upsampling", factors.Height, factors.Width, diagnostics)
            | !RequireDefined(context, "Interpolation", factors.Interpolation, diagnostics))
        {
            return null;
        }
        long height = (long)input.Height * factors.Height, width = (long)input.Width * factors.Width;
        if (height > int.MaxValue || width > int.MaxValue || !SizeLimits.Fits(height * width * input.Channels))
        {
            diagnostics.Add(SizeLimits.Exceeded(context.Layer.Location, context.Subject, $"its output [{height},{width},{input.Channels}]", height * width * input.Channels,
                "values", "use a smaller factor"));
            return null;
        }
        return context.Plan(input, Shape.Spatial((int)height, (int)width, input.Channels)) with { Data = factors };
    }

    public override string Describe(LayerPlan l)
    {
        var f = (Factors)l.Data!;
        return $"x{(f.Height == f.Width ? $"{f.Height}" : $"{f.Height}x{f.Width}")} {f.Interpolation.ToString().ToLowerInvariant()}";
    }

    /// <summary>Forward and backward bodies: their targets and taps grow with the factors (see <see cref="UpSamplingKernel.EstimateCodeBytes"/>).</summary>
    public override long EstimateCodeBytes(LayerPlan l)
    {
        var f = (Factors)l.Data!;
        return 2 * UpSamplingKernel.EstimateCodeBytes(f.Height, f.Width);
    }

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l)
    {
        var f = (Factors)l.Data!;
        return New("UpSamplingConfig", $"{I(f.Height)}, {I(f.Width)}, global::ConvGen.UpSamplingInterpolation.{f.Interpolation}");
    }

    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        var f = (Factors)l.Data!;
        UpSamplingEmitter.EmitForward(w, l, catalog, f.Height, f.Width, f.Interpolation == InterpolationKind.Bilinear);
    }

    public override void WriteTrainingKernels(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        if (l.Source >= 0)
        {
            var f = (Factors)l.Data!;
            Separate(w);
            UpSamplingEmitter.EmitBackward(w, l, catalog, f.Height, f.Width, f.Interpolation == InterpolationKind.Bilinear);
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
