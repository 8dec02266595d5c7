using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// CG0020: every floating-point option is written into the generated code as a float32 literal,
/// so it must stay a finite number as float32. <c>Alpha = 1e300</c> or <c>Epsilon = 1e308</c> is a
/// fine double but infinity as float32, which C# has no literal for; NaN and infinity are never
/// meaningful. Checked before the range rules (CG0005, CG0017), which then see finite values only.
/// </summary>
internal static class FloatOptions
{
    public static bool Check(LayerContext context, ILayerRules rules, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        bool ok = true;
        if (layer.HasAlpha)
        {
            ok &= Require(context, "Alpha", "alpha", layer.Alpha, "it is the slope of leaky_relu below zero or the scale of elu, e.g. 0.01 or 1.0", diagnostics);
        }
        foreach (var option in rules.FloatOptions(layer))
        {
            ok &= Require(context, option.Option, option.TextOption, option.Value, option.Advice, diagnostics);
        }
        return ok;
    }

    private static bool Require(LayerContext context, string option, string textOption, double value, string advice, List<DiagnosticInfo> diagnostics)
    {
        if (Literal.IsFiniteFloat(value))
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FloatOptionNotFinite, context.Layer.LocationOf(option),
            context.Index, context.Kind, context.Name, context.IsTextForm ? textOption : option, Text(value), advice));
        return false;
    }

    /// <summary><c>1E+300</c>, <c>NaN</c>, <c>Infinity</c>: round-trip text, never the culture's ∞ sign.</summary>
    internal static string Text(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
