using System;
using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Shapes;

/// <summary>
/// Infers every layer's shapes and checks every rule. Pure: no Roslyn types, so it is
/// table-tested directly. Output size follows TensorFlow / Keras:
/// valid: <c>floor((in - effective) / stride) + 1</c>; same: <c>ceil(in / stride)</c> with the
/// odd padding cell at the bottom / right; effective kernel <c>(k - 1) * dilation + 1</c>.
/// </summary>
internal static class ShapeInference
{
    public static AnalysedNetwork Analyse(ParsedNetwork parsed)
    {
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        var spec = parsed.Spec;
        if (spec is null)
        {
            return new AnalysedNetwork(null, diagnostics.ToEquatableArray());
        }

        var plans = Infer(spec, diagnostics);
        bool failed = plans is null || diagnostics.Exists(d => d.IsError);
        var model = failed
            ? null
            : new NetworkModel(spec.Namespace, spec.ClassName, spec.FullName, spec.ContainingTypes, spec.HasParameterlessConstructor,
                Shape.Spatial(spec.Input!.Height, spec.Input.Width, spec.Input.Channels), plans!.ToEquatableArray());
        return new AnalysedNetwork(model, diagnostics.ToEquatableArray());
    }

    /// <summary>Returns the plans, or null when the input is missing; appends every problem to <paramref name="diagnostics"/>.</summary>
    public static List<LayerPlan>? Infer(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        if (spec.Input is null)
        {
            return null;
        }
        if (spec.Layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, spec.Location, spec.ClassName));
            return null;
        }

        var shape = Shape.Spatial(spec.Input.Height, spec.Input.Width, spec.Input.Channels);
        if (!SizeLimits.Fits(shape.Length))
        {
            diagnostics.Add(SizeLimits.Exceeded(spec.InputLocation ?? spec.Location, $"Network '{spec.ClassName}'", $"input {shape.ToText()}",
                shape.Length, "values per sample", "use a smaller input"));
            return null;
        }

        var names = LayerNames.Assign(spec.Layers, diagnostics);
        var plans = new List<LayerPlan>(spec.Layers.Count);
        long parameterOffset = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var context = new LayerContext(i, names[i], layer, plans.Count > 0 ? plans[plans.Count - 1] : null);
            var plan = InferLayer(context, shape, ref parameterOffset, diagnostics);
            if (plan is null)
            {
                // The rest of the network has no defined input; one precise error beats a cascade.
                return null;
            }
            if (!SizeLimits.Fits(plan.Output.Length))
            {
                diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"output {plan.Output.ToText()}",
                    plan.Output.Length, "values per sample", "downsample earlier or use fewer filters"));
                return null;
            }
            if (!SizeLimits.Fits(parameterOffset))
            {
                diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, "parameters up to this layer",
                    parameterOffset, "values", "use fewer units or filters, or downsample before Flatten"));
                return null;
            }
            plans.Add(plan);
            shape = plan.Output;
        }
        return plans;
    }

    private readonly record struct LayerContext(int Index, string Name, LayerSpec Layer, LayerPlan? Previous)
    {
        public string Kind => Layer.Kind.ToString();

        /// <summary><c>layer 2 Dense 'dense'</c>, as messages name a layer.</summary>
        public string Subject => $"layer {Index} {Kind} '{Name}'";
    }

    private static LayerPlan? InferLayer(LayerContext context, Shape input, ref long parameterOffset, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        // Casts such as (Activation)99 compile, but the emitter can only name defined members.
        if (!RequireDefined(context, "Activation", layer.Activation, diagnostics)
            | !RequireDefined(context, "Padding", layer.Padding, diagnostics))
        {
            return null;
        }
        switch (layer.Kind)
        {
            case LayerKind.Conv2D:
            {
                if (!RequireSpatial(context, input, diagnostics)
                    | !RequirePositive(context, "filters", layer.Size, diagnostics)
                    | !RequirePositiveWindow(context, "kernel", layer.KernelHeight, layer.KernelWidth, diagnostics)
                    | !RequirePositive(context, "stride", layer.Stride, diagnostics)
                    | !RequirePositive(context, "dilation", layer.Dilation, diagnostics))
                {
                    return null;
                }
                if (!WindowFits(context, layer.Dilation, diagnostics))
                {
                    return null;
                }
                var window = Window.Compute(input, layer.KernelHeight, layer.KernelWidth, layer.Stride, layer.Stride, layer.Dilation, layer.Dilation, layer.Padding);
                var output = Shape.Spatial(window.OutHeight, window.OutWidth, layer.Size);
                if (!window.Fits)
                {
                    diagnostics.Add(WindowTooLarge(context, input, output, "use Padding.Same or a smaller kernel" + (layer.Dilation > 1 ? " or dilation" : "")));
                    return null;
                }
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
            case LayerKind.MaxPool2D:
            case LayerKind.AvgPool2D:
            {
                if (!RequireSpatial(context, input, diagnostics)
                    | !RequirePositiveWindow(context, "pool", layer.KernelHeight, layer.KernelWidth, diagnostics)
                    | !RequireNonNegative(context, "stride", layer.Stride, diagnostics))
                {
                    return null;
                }
                if (!WindowFits(context, 1, diagnostics))
                {
                    return null;
                }
                int strideH = layer.Stride == 0 ? layer.KernelHeight : layer.Stride;
                int strideW = layer.Stride == 0 ? layer.KernelWidth : layer.Stride;
                var window = Window.Compute(input, layer.KernelHeight, layer.KernelWidth, strideH, strideW, 1, 1, layer.Padding);
                var output = Shape.Spatial(window.OutHeight, window.OutWidth, input.Channels);
                if (!window.Fits)
                {
                    diagnostics.Add(WindowTooLarge(context, input, output, "use Padding.Same, a smaller pool size, or remove an earlier downsampling layer"));
                    return null;
                }
                return Plan(context, input, output, window, 0, 0, ref parameterOffset);
            }
            case LayerKind.GlobalMaxPool2D:
            case LayerKind.GlobalAvgPool2D:
                return RequireSpatial(context, input, diagnostics)
                    ? Plan(context, input, Shape.Vector(input.Channels), Window.None, 0, 0, ref parameterOffset)
                    : null;
            case LayerKind.Flatten:
                // Every output is checked against SizeLimits, so a flattened input always fits an int.
                return Plan(context, input, Shape.Vector((int)input.Length), Window.None, 0, 0, ref parameterOffset);
            case LayerKind.Dense:
            {
                if (!RequirePositive(context, "units", layer.Size, diagnostics))
                {
                    return null;
                }
                if (input.IsSpatial)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DenseNeedsFlatInput, layer.Location,
                        context.Index, context.Name, input.ToText(), input.Length));
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
            case LayerKind.Dropout:
                if (!(layer.Rate >= 0 && layer.Rate < 1))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateOutOfRange, layer.Location,
                        context.Index, context.Name, layer.Rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                    return null;
                }
                return Plan(context, input, input, Window.None, 0, 0, ref parameterOffset);
            case LayerKind.Activation:
                return Plan(context, input, input, Window.None, 0, 0, ref parameterOffset);
            default:
                return null;
        }
    }

    private static LayerPlan Plan(LayerContext context, Shape input, Shape output, Window window, int weights, int bias, ref long parameterOffset)
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
            weightOffset, weights, biasOffset, bias);
    }

    /// <summary>Fills in the activation's default when the user left Alpha unset (NaN).</summary>
    private static double ResolveAlpha(ActivationKind activation, double alpha) => activation switch
    {
        ActivationKind.LeakyRelu => double.IsNaN(alpha) ? 0.01 : alpha,
        ActivationKind.Elu => double.IsNaN(alpha) ? 1.0 : alpha,
        _ => 0.0,
    };

    private static DiagnosticInfo WindowTooLarge(LayerContext context, Shape input, Shape output, string advice)
    {
        var layer = context.Layer;
        string window = $"{layer.KernelHeight}x{layer.KernelWidth}"
            + (layer.Dilation > 1 && layer.Kind == LayerKind.Conv2D ? $" dilated {layer.Dilation}" : "")
            + ", " + (layer.Padding == PaddingKind.Same ? "same" : "valid");
        string outputText = $"{Math.Max(0, output.Height)}x{Math.Max(0, output.Width)}x{output.Channels}";
        return DiagnosticInfo.Create(DiagnosticDescriptors.WindowLargerThanInput, layer.Location,
            context.Index, context.Kind, context.Name, window, input.ToText(), outputText, advice);
    }

    private static bool RequireSpatial(LayerContext context, Shape input, List<DiagnosticInfo> diagnostics)
    {
        if (input.IsSpatial)
        {
            return true;
        }
        var previous = context.Previous;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpatialLayerOnFlatInput, context.Layer.Location,
            context.Index, context.Kind, context.Name, input.ToString(), previous?.Index ?? -1, previous is null ? "" : $"{previous.Kind} '{previous.Name}'"));
        return false;
    }

    private static bool RequirePositive(LayerContext context, string what, int value, List<DiagnosticInfo> diagnostics)
    {
        if (value > 0)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveArgument, context.Layer.Location,
            context.Index, context.Kind, context.Name, what, value));
        return false;
    }

    private static bool RequireDefined<TEnum>(LayerContext context, string option, TEnum value, List<DiagnosticInfo> diagnostics)
        where TEnum : struct, Enum
    {
        if (Enum.IsDefined(typeof(TEnum), value))
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedOptionValue, context.Layer.Location,
            context.Index, context.Kind, context.Name, option, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            string.Join(", ", Enum.GetNames(typeof(TEnum)))));
        return false;
    }

    /// <summary>
    /// The window's tap count and its dilated extent must fit an int: emitters multiply them,
    /// and same padding is derived from the extent.
    /// </summary>
    private static bool WindowFits(LayerContext context, int dilation, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        long taps = (long)layer.KernelHeight * layer.KernelWidth;
        long extent = ((long)System.Math.Max(layer.KernelHeight, layer.KernelWidth) - 1) * dilation + 1;
        if (SizeLimits.Fits(taps) && SizeLimits.Fits(extent))
        {
            return true;
        }
        bool tapsTooMany = !SizeLimits.Fits(taps);
        diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject,
            $"window {layer.KernelHeight}x{layer.KernelWidth}" + (dilation > 1 ? $" dilated {dilation}" : ""),
            tapsTooMany ? taps : extent, tapsTooMany ? "taps" : "pixels across", "use a smaller window"));
        return false;
    }

    /// <summary>
    /// A square window written as one number (<c>Conv2D(8, -1)</c>) gets one "size" error, not
    /// the same error twice for height and width.
    /// </summary>
    private static bool RequirePositiveWindow(LayerContext context, string what, int height, int width, List<DiagnosticInfo> diagnostics)
    {
        if (height == width)
        {
            return RequirePositive(context, what + " size", height, diagnostics);
        }
        return RequirePositive(context, what + " height", height, diagnostics)
            & RequirePositive(context, what + " width", width, diagnostics);
    }

    private static bool RequireNonNegative(LayerContext context, string what, int value, List<DiagnosticInfo> diagnostics) =>
        value >= 0 || RequirePositive(context, what, value, diagnostics);
}
