using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// CG0216: constant factors of <c>ImageAugmentationOptions</c> outside the bounds
/// ImageAugmentation's constructor enforces (Keras's bounds for the same layers). A factor is a
/// number (<c>0.2</c>, drawn from [-0.2, 0.2] or [0, 0.2] depending on the factor), a pair
/// (<c>(0.1, 0.3)</c>), or <c>AugmentationFactor.Single</c> / <c>Range</c>.
/// </summary>
internal static class AugmentationCheck
{
    private const string OptionsType = "ConvGen.Augmentation.ImageAugmentationOptions";

    private enum Draw { Symmetric, FromZero, AroundOne }

    private sealed record Bound(Draw Draw, double Min, double Max, string KerasLayer);

    private static readonly Dictionary<string, Bound> s_bounds = new()
    {
        ["ShearX"] = new(Draw.Symmetric, -1, 1, "RandomShear"),
        ["ShearY"] = new(Draw.Symmetric, -1, 1, "RandomShear"),
        ["TranslateHeight"] = new(Draw.Symmetric, -1, 1, "RandomTranslation"),
        ["TranslateWidth"] = new(Draw.Symmetric, -1, 1, "RandomTranslation"),
        ["ZoomHeight"] = new(Draw.Symmetric, -0.99, double.MaxValue, "RandomZoom"),
        ["ZoomWidth"] = new(Draw.Symmetric, -0.99, double.MaxValue, "RandomZoom"),
        ["Brightness"] = new(Draw.Symmetric, -1, 1, "RandomBrightness"),
        ["Contrast"] = new(Draw.AroundOne, 0, double.MaxValue, "RandomContrast"),
        ["Saturation"] = new(Draw.FromZero, 0, 1, "RandomSaturation"),
        ["Hue"] = new(Draw.FromZero, 0, 1, "RandomHue"),
    };

    public static bool IsOptions(ITypeSymbol? type) => ValueTrace.FullName(type) == OptionsType;

    public static IEnumerable<Diagnostic> Check(IObjectCreationOperation creation, CancellationToken cancellationToken)
    {
        foreach (var assignment in creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>() ?? Enumerable.Empty<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is not IPropertyReferenceOperation property || !s_bounds.TryGetValue(property.Property.Name, out var bound)
                || Factor(assignment.Value, cancellationToken) is not { } factor)
            {
                continue;
            }
            var (lower, upper) = factor.Single
                ? bound.Draw switch
                {
                    Draw.Symmetric => (-System.Math.Abs(factor.Lower), System.Math.Abs(factor.Lower)),
                    Draw.FromZero => (0d, factor.Lower),
                    _ => (1 - factor.Lower, 1 + factor.Upper),
                }
                : bound.Draw == Draw.AroundOne ? (1 - factor.Lower, 1 + factor.Upper) : (factor.Lower, factor.Upper);
            bool off = factor.Lower == 0 && factor.Upper == 0;
            if (off || (lower >= bound.Min && upper <= bound.Max))
            {
                continue;
            }
            string hint = bound.Draw switch
            {
                Draw.Symmetric when bound.Max == 1 => "the factor is a fraction of the image (or of the value range), so at most 1",
                Draw.Symmetric => "a zoom below -0.99 would shrink the image to nothing",
                Draw.AroundOne => "a contrast factor above 1 would invert the image's contrast",
                _ => "the factor is a fraction of the full range, so at most 1",
            };
            yield return Diagnostic.Create(DiagnosticDescriptors.AugmentationFactorOutOfRange, assignment.Value.Syntax.GetLocation(),
                property.Property.Name, assignment.Value.Syntax.ToString(), Format(lower), Format(upper), Format(bound.Min),
                bound.Max == double.MaxValue ? "inf" : Format(bound.Max), bound.KerasLayer, hint);
        }
    }

    private readonly record struct FactorValue(double Lower, double Upper, bool Single);

    private static FactorValue? Factor(IOperation value, CancellationToken cancellationToken)
    {
        var origin = ValueTrace.Origin(value, cancellationToken);
        if (origin.ConstantValue is { HasValue: true, Value: not null and not string } && ValueTrace.Number(origin, cancellationToken) is { } single)
        {
            return new FactorValue(single, single, true);
        }
        if (origin is ITupleOperation { Elements.Length: 2 } tuple
            && ValueTrace.Number(tuple.Elements[0], cancellationToken) is { } a && ValueTrace.Number(tuple.Elements[1], cancellationToken) is { } b)
        {
            return new FactorValue(a, b, false);
        }
        if (origin is IInvocationOperation call && ValueTrace.FullName(call.TargetMethod.ContainingType) == "ConvGen.Augmentation.AugmentationFactor")
        {
            if (call.TargetMethod.Name == "Single" && call.Arguments.Length == 1 && ValueTrace.Number(call.Arguments[0].Value, cancellationToken) is { } s)
            {
                return new FactorValue(s, s, true);
            }
            if (call.TargetMethod.Name == "Range" && call.Arguments.Length == 2
                && ValueTrace.Number(call.Arguments[0].Value, cancellationToken) is { } lo && ValueTrace.Number(call.Arguments[1].Value, cancellationToken) is { } hi)
            {
                return new FactorValue(lo, hi, false);
            }
        }
        return null;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
