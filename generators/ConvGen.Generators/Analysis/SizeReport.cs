using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>Builds <see cref="NetworkSizes"/> from the inferred plans.</summary>
internal static class SizeReport
{
    public static NetworkSizes For(NetworkSpec spec, List<LayerPlan> plans, LayerTable<ILayerRules> rules) => new(
        spec.ClassName,
        (long)spec.Input!.Height * spec.Input.Width * spec.Input.Channels,
        plans.Select(p => new LayerSize(
            $"layer {p.Index} {p.Kind} '{p.Name}'",
            rules[p.Kind].FewerParametersAdvice,
            p.ParameterCount,
            rules[p.Kind].ParameterText(p),
            p.Output.Length,
            p.Output.ToText(),
            spec.Layers[p.Index].Location)).ToEquatableArray())
    {
        CodeBytes = CodeBudget.Estimate(plans, rules),
        Location = spec.Location,
    };
}
