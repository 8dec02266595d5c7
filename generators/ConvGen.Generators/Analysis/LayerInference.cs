using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Analysis.LayerChecks;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// One layer: the checks every kind shares, then its descriptor's own inference; fills in what
/// every plan has (activation, role, parameter count). Returns null after reporting an error,
/// because the rest of the network then has no defined input.
/// </summary>
internal static class LayerInference
{
    public static LayerPlan? Infer(LayerContext context, ILayerRules rules, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (!RequireDefined(context, "Activation", layer.Activation, diagnostics)
            | !RequireDefined(context, "Padding", layer.Padding, diagnostics))
        {
            return null;
        }
        long before = parameters.Next;
        var plan = rules.Infer(context, inputs, parameters, diagnostics);
        return plan is null ? null : plan with
        {
            Activation = layer.Activation,
            Alpha = ResolveAlpha(layer.Activation, layer.Alpha),
            ActivationRole = rules.ActivationRole,
            KindIsIdentityAtInference = rules.IsIdentityAtInference,
            // Beyond int only when the caller's limit check (CG0301) is about to refuse the layer.
            ParameterCount = unchecked((int)(parameters.Next - before)),
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
