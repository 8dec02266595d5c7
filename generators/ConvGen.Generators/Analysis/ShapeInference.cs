using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// Infers every layer's shapes and checks every rule. Pure: no Roslyn types, so it is
/// table-tested directly. Output size follows TensorFlow / Keras:
/// valid: <c>floor((in - effective) / stride) + 1</c>; same: <c>ceil(in / stride)</c> with the
/// odd padding cell at the bottom / right; effective kernel <c>(k - 1) * dilation + 1</c>.
/// </summary>
internal static class ShapeInference
{
    public static AnalysedNetwork Analyse(ParsedNetwork parsed, LayerTable<ILayerRules> rules)
    {
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        var spec = parsed.Spec;
        if (spec is null)
        {
            return new AnalysedNetwork(null, diagnostics.ToEquatableArray());
        }

        var plans = Infer(spec, diagnostics, rules);
        if (plans is null || diagnostics.Exists(d => d.IsError))
        {
            return new AnalysedNetwork(null, diagnostics.ToEquatableArray());
        }
        var model = new NetworkModel(spec.Namespace, spec.ClassName, spec.FullName, spec.ContainingTypes, spec.HasParameterlessConstructor,
            Shape.Spatial(spec.Input!.Height, spec.Input.Width, spec.Input.Channels), plans.ToEquatableArray())
        {
            ParameterTensors = ParameterNames.Tensors(plans, rules),
        };

        if (plans.All(p => p.ParameterCount == 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoTrainableParameters, spec.Location,
                spec.ClassName, string.Join(", ", plans.Select(p => p.Kind))));
        }
        diagnostics.AddRange(MemberClashes.Find(spec, model));
        if (diagnostics.Exists(d => d.IsError))
        {
            // Generated code that cannot compile helps nobody; the clash diagnostic says what to rename.
            return new AnalysedNetwork(null, diagnostics.ToEquatableArray());
        }
        return new AnalysedNetwork(model, diagnostics.ToEquatableArray()) { Sizes = SizeReport.For(spec, plans, rules) };
    }

    /// <summary>Returns the plans, or null when the input is missing or a layer is broken; appends every problem to <paramref name="diagnostics"/>.</summary>
    public static List<LayerPlan>? Infer(NetworkSpec spec, List<DiagnosticInfo> diagnostics, LayerTable<ILayerRules> rules)
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

        var names = LayerNames.Assign(spec.Layers, diagnostics, rules);
        ActivationRules.Check(spec.Layers, names, spec.IsTextForm, diagnostics, rules);
        var sources = LayerGraph.ResolveSources(spec.Layers, names, diagnostics, rules);
        if (sources is null)
        {
            return null;
        }
        var plans = new List<LayerPlan>(spec.Layers.Count);
        var parameters = new ParameterAllocator();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            int source = sources[i][0];
            var inputs = sources[i].Select(s => s < 0 ? shape : plans[s].Output).ToList();
            var context = new LayerContext(i, names[i], layer, source >= 0 ? plans[source] : null, spec.IsTextForm);
            var kind = rules[layer.Kind];
            if (!FloatOptions.Check(context, kind, diagnostics))
            {
                return null;
            }
            var plan = LayerInference.Infer(context, kind, inputs, parameters, diagnostics);
            if (plan is null)
            {
                // The rest of the network has no defined input; one precise error beats a cascade.
                return null;
            }
            plan = plan with
            {
                Sources = sources[i].ToEquatableArray(),
                SourceNames = sources[i].Select(s => s < 0 ? "input" : names[s]).ToEquatableArray(),
                Describer = kind,
            };
            if (!SizeLimits.Fits(plan.Output.Length))
            {
                diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"output {plan.Output.ToText()}",
                    plan.Output.Length, "values per sample", "downsample earlier or use fewer filters"));
                return null;
            }
            if (!SizeLimits.Fits(parameters.Next))
            {
                diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, "parameters up to this layer",
                    parameters.Next, "values", "use fewer units or filters, or downsample before Flatten"));
                return null;
            }
            plans.Add(plan);
        }
        if (!LayerGraph.CheckEveryOutputUsed(spec.Layers, names, plans, diagnostics))
        {
            return null;
        }
        LayerGraph.FoldBatchNorms(plans, rules);
        LayerGraph.FoldResidualAdds(plans, rules);
        LayerGraph.MaskReluInMaxPoolBackward(plans);
        LayerGraph.GateDenseInputGradients(plans);
        return plans;
    }
}
