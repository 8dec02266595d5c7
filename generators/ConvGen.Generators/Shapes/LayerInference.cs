using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Shapes.LayerChecks;

namespace ConvGen.Generators.Shapes;

/// <summary>
/// One layer: checks its arguments against its input, computes its output and where its
/// parameters go. Returns null after reporting an error, because the rest of the network then
/// has no defined input.
/// </summary>
internal static class LayerInference
{
    public static LayerPlan? Infer(LayerContext context, Shape input, ref long parameterOffset, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (!RequireDefined(context, "Activation", layer.Activation, diagnostics)
            | !RequireDefined(context, "Padding", layer.Padding, diagnostics))
        {
            return null;
        }
        switch (layer.Kind)
        {
            case LayerKind.Conv2D:
                return Conv2D(context, input, ref parameterOffset, diagnostics);
            case LayerKind.MaxPool2D:
            case LayerKind.AvgPool2D:
                return Pool(context, input, ref parameterOffset, diagnostics);
            case LayerKind.GlobalMaxPool2D:
            case LayerKind.GlobalAvgPool2D:
                return RequireSpatial(context, input, diagnostics)
                    ? Plan(context, input, Shape.Vector(input.Channels), Window.None, 0, 0, ref parameterOffset)
                    : null;
            case LayerKind.Flatten:
                if (!input.IsSpatial && context.Previous is { } previous)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FlattenOfFlatInput, layer.Location,
                        context.Index, context.Name, input.ToString(), $"{previous.Index} {previous.Kind} '{previous.Name}'"));
                }
                // Every output is checked against SizeLimits, so a flattened input always fits an int.
                return Plan(context, input, Shape.Vector((int)input.Length), Window.None, 0, 0, ref parameterOffset);
            case LayerKind.Dense:
                return Dense(context, input, ref parameterOffset, diagnostics);
            case LayerKind.Dropout:
                // As float32, the type of the generated code: 0.99999999 rounds to 1, which would scale the kept values by 1/0.
                if (!(layer.Rate >= 0 && (float)layer.Rate < 1))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateOutOfRange, layer.LocationOf("rate"),
                        context.Index, context.Name, Number(layer.Rate)));
                    return null;
                }
                return Plan(context, input, input, Window.None, 0, 0, ref parameterOffset);
            case LayerKind.Activation:
                return Plan(context, input, input, Window.None, 0, 0, ref parameterOffset);
            case LayerKind.BatchNorm:
                return BatchNorm(context, input, ref parameterOffset, diagnostics);
            default:
                return null;
        }
    }

    private static LayerPlan? Conv2D(LayerContext context, Shape input, ref long parameterOffset, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositive(context, "filters", layer.Size, diagnostics)
            | !RequirePositiveWindow(context, "kernel", layer.KernelHeight, layer.KernelWidth, diagnostics)
            | !RequirePositive(context, "stride", layer.Stride, diagnostics)
            | !RequirePositive(context, "dilation", layer.Dilation, diagnostics))
        {
            return null;
        }
        if (!WindowFits(context, layer.Dilation, diagnostics) || !PaddingIsValid(context, layer.Dilation, diagnostics))
        {
            return null;
        }
        var window = Compute(input, layer, layer.Stride, layer.Stride, layer.Dilation, layer.Padding);
        var output = Shape.Spatial(window.OutHeight, window.OutWidth, layer.Size);
        var same = Compute(input, layer, layer.Stride, layer.Stride, layer.Dilation, PaddingKind.Same);
        if (!window.Fits)
        {
            string smaller = layer.Dilation > 1 ? "a smaller kernel or dilation" : "a smaller kernel";
            // With explicit pads, same padding is not an option (CG0016), so it is neither advised nor offered as a fix.
            bool sameHelps = same.Fits && layer.Pads is null;
            diagnostics.Add(WindowTooLarge(context, input, output, sameHelps,
                sameHelps ? $"use {context.SamePadding} or {smaller}" : "use " + smaller));
            return null;
        }
        AddCoverage(context, input, window, output, Shape.Spatial(same.OutHeight, same.OutWidth, layer.Size), diagnostics);
        long weights = (long)layer.KernelHeight * layer.KernelWidth * input.Channels * layer.Size;
        if (!SizeLimits.Fits(weights))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject,
                $"weights [{layer.KernelHeight},{layer.KernelWidth},{input.Channels},{layer.Size}]", weights, "values", "use a smaller kernel or fewer filters"));
            return null;
        }
        int bias = layer.UseBias ? layer.Size : 0;
        return Plan(context, input, output, window, (int)weights, bias, ref parameterOffset);
    }

    private static LayerPlan? Pool(LayerContext context, Shape input, ref long parameterOffset, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositiveWindow(context, "pool", layer.KernelHeight, layer.KernelWidth, diagnostics)
            | !RequireNonNegative(context, "stride", layer.Stride, diagnostics))
        {
            return null;
        }
        if (!WindowFits(context, 1, diagnostics) || !PaddingIsValid(context, 1, diagnostics))
        {
            return null;
        }
        // Stride 0 means "the window size", per axis, as in Keras.
        int strideH = layer.Stride == 0 ? layer.KernelHeight : layer.Stride;
        int strideW = layer.Stride == 0 ? layer.KernelWidth : layer.Stride;
        var window = Compute(input, layer, strideH, strideW, 1, layer.Padding);
        var output = Shape.Spatial(window.OutHeight, window.OutWidth, input.Channels);
        var same = Compute(input, layer, strideH, strideW, 1, PaddingKind.Same);
        if (!window.Fits)
        {
            bool sameHelps = same.Fits && layer.Pads is null;
            diagnostics.Add(WindowTooLarge(context, input, output, sameHelps,
                (sameHelps ? $"use {context.SamePadding}, a" : "use a") + " smaller pool size, or remove an earlier downsampling layer"));
            return null;
        }
        AddCoverage(context, input, window, output, Shape.Spatial(same.OutHeight, same.OutWidth, input.Channels), diagnostics);
        return Plan(context, input, output, window, 0, 0, ref parameterOffset);
    }

    private static LayerPlan? Dense(LayerContext context, Shape input, ref long parameterOffset, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (!RequirePositive(context, "units", layer.Size, diagnostics))
        {
            return null;
        }
        if (input.IsSpatial)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DenseNeedsFlatInput, layer.Location,
                context.Index, context.Name, input.ToText(), context.IsTextForm ? "a 'flatten' line" : "[Flatten]", input.Length));
            return null;
        }
        long weights = input.Length * layer.Size;
        if (!SizeLimits.Fits(weights))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"weights [{input.Length},{layer.Size}]", weights, "values",
                "use fewer units, or downsample (pooling, strides) before Flatten"));
            return null;
        }
        return Plan(context, input, Shape.Vector(layer.Size), Window.None, (int)weights, layer.UseBias ? layer.Size : 0, ref parameterOffset);
    }

    // Explicit pads replace the padding rule; the same-padding variant is still computed for advice.
    private static Window Compute(Shape input, LayerSpec layer, int strideH, int strideW, int dilation, PaddingKind padding) =>
        layer.Pads is { } pads && padding == PaddingKind.Valid
            ? Window.Explicit(input, layer.KernelHeight, layer.KernelWidth, strideH, strideW, dilation, dilation, pads)
            : Window.Compute(input, layer.KernelHeight, layer.KernelWidth, strideH, strideW, dilation, dilation, padding);

    /// <summary>
    /// CG0016: explicit pads are not combined with same padding, are not negative, and stay below
    /// the window's extent (a window over nothing but padding has no maximum and no average).
    /// </summary>
    private static bool PaddingIsValid(LayerContext context, int dilation, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (layer.Pads is not { } pads)
        {
            return true;
        }
        string? problem = null;
        long extentH = (long)(layer.KernelHeight - 1) * dilation + 1;
        long extentW = (long)(layer.KernelWidth - 1) * dilation + 1;
        string written = context.IsTextForm
            ? $"pads={pads.Top},{pads.Bottom},{pads.Left},{pads.Right}"
            : $"PadTop = {pads.Top}, PadBottom = {pads.Bottom}, PadLeft = {pads.Left}, PadRight = {pads.Right}";
        if (layer.Padding == PaddingKind.Same)
        {
            problem = $"explicit padding ({written}) cannot be combined with {context.SamePadding}; keep one of them";
        }
        else if (pads.Top < 0 || pads.Bottom < 0 || pads.Left < 0 || pads.Right < 0)
        {
            problem = $"explicit padding ({written}) has a negative side; padding counts rows and columns of zeros, 0 or more";
        }
        else if (pads.Top >= extentH || pads.Bottom >= extentH || pads.Left >= extentW || pads.Right >= extentW)
        {
            problem = $"explicit padding ({written}) is not smaller than the {extentH}x{extentW} window on every side, so some windows would cover only padding; use at most {extentH - 1} rows and {extentW - 1} columns";
        }
        if (problem is null)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExplicitPadding, layer.Location, context.Index, context.Kind, context.Name, problem));
        return false;
    }

    private static LayerPlan? BatchNorm(LayerContext context, Shape input, ref long parameterOffset, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        bool ok = true;
        // As float32: 1e-50 is positive as a double but 0 in the generated code.
        if (!((float)layer.Epsilon > 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BatchNormOptionOutOfRange, layer.Location, context.Index, context.Name,
                "Epsilon", Number(layer.Epsilon), "a small positive number that keeps the division defined, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)"));
            ok = false;
        }
        if (!(layer.Momentum >= 0 && layer.Momentum <= 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BatchNormOptionOutOfRange, layer.Location, context.Index, context.Name,
                "Momentum", Number(layer.Momentum), "in [0, 1]: the weight of the old running statistics in each update, e.g. 0.99 (Keras) or 0.9 (PyTorch's 0.1 counted the other way)"));
            ok = false;
        }
        if (!ok)
        {
            return null;
        }
        int channels = input.Channels;
        var plan = Plan(context, input, input, Window.None, channels, channels, ref parameterOffset);
        int stateOffset = (int)parameterOffset;
        parameterOffset += 2L * channels;
        return plan with { StateOffset = stateOffset, StateCount = 2 * channels };
    }

    private static string Number(double value) => FloatOptions.Text(value);

    private static void AddCoverage(LayerContext context, Shape input, Window window, Shape output, Shape sameOutput, List<DiagnosticInfo> diagnostics)
    {
        int taps = window.KernelHeight * window.KernelWidth;
        if (taps > Emit.WindowLoops.UnrollTapBudget)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowNotUnrolled, context.Layer.Location, context.Index, context.Layer.Kind, context.Name,
                window.KernelHeight, window.KernelWidth, taps, Emit.WindowLoops.UnrollTapBudget));
        }
        if (context.Layer.Pads is null && StrideCoverage.Check(context, input, window, output, sameOutput) is { } diagnostic)
        {
            diagnostics.Add(diagnostic);
        }
    }

    internal static LayerPlan Plan(LayerContext context, Shape input, Shape output, Window window, int weights, int bias, ref long parameterOffset)
    {
        var layer = context.Layer;
        // Offsets beyond int are caught by the caller's limit check before this plan is used.
        int weightOffset = (int)parameterOffset;
        int biasOffset = unchecked(weightOffset + weights);
        parameterOffset += (long)weights + bias;
        return new LayerPlan(context.Index, context.Name, layer.Kind, input, output,
            window.KernelHeight, window.KernelWidth, window.StrideHeight, window.StrideWidth, window.DilationHeight, window.DilationWidth,
            window.PadTop, window.PadBottom, window.PadLeft, window.PadRight, layer.Padding,
            layer.Activation, ResolveAlpha(layer.Activation, layer.Alpha), layer.UseBias && bias > 0, layer.Rate,
            weightOffset, weights, biasOffset, bias)
        {
            HasExplicitPadding = layer.Pads is not null,
            Epsilon = layer.Epsilon,
            Momentum = layer.Momentum,
        };
    }

    /// <summary>Fills in the activation's default when the user left Alpha unset (NaN).</summary>
    private static double ResolveAlpha(ActivationKind activation, double alpha) => activation switch
    {
        ActivationKind.LeakyRelu => double.IsNaN(alpha) ? 0.01 : alpha,
        ActivationKind.Elu => double.IsNaN(alpha) ? 1.0 : alpha,
        _ => 0.0,
    };
}
