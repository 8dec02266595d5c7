using ConvGen.Generators.Analysis;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;

namespace ConvGen.Generators.Layers;

/// <summary>
/// The one table of layer kinds: one descriptor per <see cref="LayerKind"/>, in its order (the
/// text form's error message lists them so). NetworkGenerator hands each stage its view.
/// Adding a kind: docs/contributing/adding-a-layer.md.
/// </summary>
internal static class LayerCatalog
{
    public static LayerDescriptor[] All { get; } =
    {
        new Conv2DLayer(),
        PoolLayer.Max,
        PoolLayer.Average,
        GlobalPoolLayer.Max,
        GlobalPoolLayer.Average,
        new FlattenLayer(),
        new DenseLayer(),
        new DropoutLayer(),
        new ActivationLayer(),
        new AddLayer(),
        new BatchNormLayer(),
        new Conv2DTransposeLayer(),
        new UpSampling2DLayer(),
        new ConcatenateLayer(),
        new Cropping2DLayer(),
        new DepthwiseConv2DLayer(),
        new SeparableConv2DLayer(),
        new ZeroPadding2DLayer(),
        new MultiplyLayer(),
        new ReshapeLayer(),
        NormalizationLayer.Group,
        NormalizationLayer.Layer,
    };

    public static LayerTable<ILayerSyntax> Syntax { get; } = new(All);

    public static LayerTable<ILayerRules> Rules { get; } = new(All);

    public static LayerTable<ILayerEmitter> Emitters { get; } = new(All);
}
