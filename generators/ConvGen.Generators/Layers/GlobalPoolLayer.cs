using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[GlobalMaxPool2D]</c> and <c>[GlobalAvgPool2D]</c>: one value per channel from a whole map,
/// [H,W,C] to [C], or to [1,1,C] with <c>KeepDims = true</c> / <c>keepdims=true</c> (the same
/// values in the same order, so the kernels do not change).
/// </summary>
internal sealed class GlobalPoolLayer : PoolingLayer
{
    private GlobalPoolLayer(LayerKind kind, bool max, string defaultName, params string[] textNames)
        : base(kind, max, defaultName, textNames)
    {
    }

    public static GlobalPoolLayer Max { get; } = new(LayerKind.GlobalMaxPool2D, max: true, "global_max_pooling2d", "globalmaxpool2d", "global_max_pooling2d");

    public static GlobalPoolLayer Average { get; } = new(LayerKind.GlobalAvgPool2D, max: false, "global_average_pooling2d", "globalavgpool2d", "global_average_pooling2d");

    /// <summary>Keras's <c>keepdims</c>, when written.</summary>
    internal sealed record KeepDims(bool Value) : KindData;

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) =>
        name == "KeepDims" && value is bool keep ? spec with { KindOptions = new KeepDims(keep) } : null;

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec)
    {
        if (key != "keepdims")
        {
            return null;
        }
        if (!value.TryBool(0, "keepdims", out bool keep))
        {
            return false;
        }
        spec = spec with { KindOptions = new KeepDims(keep) };
        return true;
    }

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        if (!LayerChecks.RequireSpatial(context, inputs[0], diagnostics))
        {
            return null;
        }
        int channels = inputs[0].Channels;
        bool keep = context.Layer.KindOptions is KeepDims { Value: true };
        return context.Plan(inputs[0], keep ? Shape.Spatial(1, 1, channels) : Shape.Vector(channels));
    }

    public override string Describe(LayerPlan l) => l.Output.IsSpatial ? "keepdims" : "";

    public override long EstimateCodeBytes(LayerPlan plan) => 2_000;

    public override string ConfigExpression(LayerPlan layer) => New("GlobalPoolConfig");

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => PoolEmitter.EmitGlobal(w, layer);
}
