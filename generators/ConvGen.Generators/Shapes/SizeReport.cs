using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Shapes;

/// <summary>Builds <see cref="NetworkSizes"/> from the inferred plans.</summary>
internal static class SizeReport
{
    public static NetworkSizes For(NetworkSpec spec, List<LayerPlan> plans) => new(
        spec.ClassName,
        (long)spec.Input!.Height * spec.Input.Width * spec.Input.Channels,
        plans.Select(p => new LayerSize(
            $"layer {p.Index} {p.Kind} '{p.Name}'",
            p.Kind,
            p.ParameterCount,
            ParameterText(p),
            p.Output.Length,
            p.Output.ToText(),
            spec.Layers[p.Index].Location)).ToEquatableArray())
    {
        CodeBytes = CodeBudget.Estimate(plans),
        Location = spec.Location,
    };

    private static string ParameterText(LayerPlan plan)
    {
        string weights = plan.Kind switch
        {
            LayerKind.Conv2D => $"weights [{plan.KernelHeight},{plan.KernelWidth},{plan.Input.Channels},{plan.Output.Channels}]",
            LayerKind.Dense => $"weights [{plan.Input.Length},{plan.Output.Channels}]",
            LayerKind.BatchNorm => $"gamma [{plan.WeightCount}] + beta [{plan.BiasCount}] + running mean and variance [{plan.WeightCount}] each",
            _ => "",
        };
        return plan.BiasCount > 0 && plan.Kind != LayerKind.BatchNorm ? $"{weights} + bias [{plan.BiasCount}]" : weights;
    }
}
