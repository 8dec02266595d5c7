using System;
using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// Argument checks shared by the layers. Each returns whether the check passed and, if not,
/// adds one diagnostic; callers combine them with <c>|</c> so that every broken argument of a
/// layer is reported at once.
/// </summary>
internal static class LayerChecks
{
    public static bool RequireSpatial(LayerContext context, Shape input, List<DiagnosticInfo> diagnostics)
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

    public static bool RequirePositive(LayerContext context, string what, int value, List<DiagnosticInfo> diagnostics)
    {
        if (value > 0)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveArgument, context.Layer.Location,
            context.Index, context.Kind, context.Name, what, value));
        return false;
    }

    public static bool RequireNonNegative(LayerContext context, string what, int value, List<DiagnosticInfo> diagnostics) =>
        value >= 0 || RequirePositive(context, what, value, diagnostics);

    /// <summary>
    /// A square window written as one number (<c>Conv2D(8, -1)</c>) gets one "size" error, not
    /// the same error twice for height and width.
    /// </summary>
    public static bool RequirePositiveWindow(LayerContext context, string what, int height, int width, List<DiagnosticInfo> diagnostics)
    {
        if (height == width)
        {
            return RequirePositive(context, what + " size", height, diagnostics);
        }
        return RequirePositive(context, what + " height", height, diagnostics)
            & RequirePositive(context, what + " width", width, diagnostics);
    }

    /// <summary>Casts such as <c>(Activation)99</c> compile, but the emitter can only name defined members.</summary>
    public static bool RequireDefined<TEnum>(LayerContext context, string option, TEnum value, List<DiagnosticInfo> diagnostics)
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
    public static bool WindowFits(LayerContext context, int dilation, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        long taps = (long)layer.KernelHeight * layer.KernelWidth;
        long extent = ((long)Math.Max(layer.KernelHeight, layer.KernelWidth) - 1) * dilation + 1;
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
    /// CG0101. Same padding always fits (the output is ceil(input / stride)), so with valid
    /// padding the code fix may offer it; the property says so explicitly.
    /// </summary>
    public static DiagnosticInfo WindowTooLarge(LayerContext context, Shape input, Shape output, bool sameFits, string advice)
    {
        string outputText = $"{Math.Max(0, output.Height)}x{Math.Max(0, output.Width)}x{output.Channels}";
        var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.WindowLargerThanInput, context.Layer.Location,
            context.Index, context.Kind, context.Name, context.WindowText(0, 0, withStride: false), input.ToText(), outputText, advice);
        return sameFits ? diagnostic.WithProperty(DiagnosticProperties.SamePaddingFixes, "true") : diagnostic;
    }
}
