using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary><c>[GlobalMaxPool2D]</c> and <c>[GlobalAvgPool2D]</c>: one value per channel from a whole map, [H,W,C] to [C].</summary>
internal sealed class GlobalPoolLayer : PoolingLayer
{
    private GlobalPoolLayer(LayerKind kind, bool max, string defaultName, params string[] textNames)
        : base(kind, max, defaultName, textNames)
    {
    }

    public static GlobalPoolLayer Max { get; } = new(LayerKind.GlobalMaxPool2D, max: true, "global_max_pooling2d", "globalmaxpool2d", "global_max_pooling2d");

    public static GlobalPoolLayer Average { get; } = new(LayerKind.GlobalAvgPool2D, max: false, "global_average_pooling2d", "globalavgpool2d", "global_average_pooling2d");

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics) =>
        LayerChecks.RequireSpatial(context, inputs[0], diagnostics) ? context.Plan(inputs[0], Shape.Vector(inputs[0].Channels)) : null;

    public override long EstimateCodeBytes(LayerPlan plan) => 2_000;

    public override string ConfigExpression(LayerPlan layer) => New("GlobalPoolConfig");

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => PoolEmitter.EmitGlobal(w, layer);
}
