using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[DepthwiseConv2D(kernel)]</c> / <c>depthwiseconv2d 3</c>: each input channel convolved with
/// its own <c>DepthMultiplier</c> filters, weights <c>[kh][kw][channels][multiplier]</c> (Keras),
/// output channel <c>c * multiplier + j</c>; stride, dilation, same / valid / explicit padding, an
/// optional bias and a fused activation, all generated for the layer's constant shapes (Emit/Depthwise). Those weights are rows of output channels per tap, the
/// layout Conv2D's BatchNorm folding scales, so a BatchNorm after a linear one folds in at inference.
/// </summary>
internal sealed class DepthwiseConv2DLayer : WeightedLayer
{
    public DepthwiseConv2DLayer()
        : base(LayerKind.DepthwiseConv2D)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "depthwiseconv2d", "dwconv", "depthwise_conv2d" };

    public override LayerOptions Options => LayerOptions.Window | LayerOptions.Dilation | LayerOptions.Activation | LayerOptions.Bias;

    /// <summary><c>(kernel)</c> or <c>(kernelHeight, kernelWidth)</c>.</summary>
    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count is 1 or 2
        ? blank with { KernelHeight = (int)arguments[0], KernelWidth = (int)arguments[arguments.Count - 1] }
        : null;

    public override int TextNumberCount => 1;

    public override string TextUsage(string head) => $"{head} KERNEL, e.g. '{head} 3' or '{head} 3x5 multiplier=2'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryWindow(0, out int height, out int width))
        {
            return false;
        }
        spec = spec with { KernelHeight = height, KernelWidth = width };
        return true;
    }

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) => DepthwiseWindow.ReadNamedArgument(spec, name, value);

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec) => DepthwiseWindow.ReadTextOption(key, value, ref spec);

    // ---- Analysis ----

    public override string DefaultName => "depthwise_conv2d";

    public override bool AbsorbsFollowingBatchNorm => true;

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        int multiplier = DepthwiseWindow.Multiplier(layer);
        if (DepthwiseWindow.Infer(context, input, multiplier, diagnostics) is not var (window, output)
            || DepthwiseWindow.Weights(context, output, diagnostics) is not long weights)
        {
            return null;
        }
        return Windows.Plan(context, input, output, window) with
        {
            Weights = TakeWeights(parameters, (int)weights, layer.UseBias ? output.Channels : 0),
            Data = new DepthwiseData(multiplier),
        };
    }

    private static int Multiplier(LayerPlan l) => (l.Data as DepthwiseData)?.Multiplier ?? 1;

    public override string Describe(LayerPlan l) =>
        $"{Windows.Describe(l)}{(Multiplier(l) == 1 ? "" : $" x{Multiplier(l)}")}{ActivationSuffix(l)}{BiasSuffix(l)}";

    public override string ParameterText(LayerPlan l) =>
        WeightText(l, $"weights [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{Multiplier(l)}]");

    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem)
    {
        int taps = l.KernelHeight * l.KernelWidth;
        return WeightAndBias(l, stem, new[] { l.KernelHeight, l.KernelWidth, l.Input.Channels, Multiplier(l) }, "HWIM", taps, taps * Multiplier(l));
    }

    public override string FewerParametersAdvice => "use a smaller kernel or depth multiplier";

    /// <summary>The entries and the catalogue's forward and gradient bodies: a few lines per tap and vector block.</summary>
    public override long EstimateCodeBytes(LayerPlan plan) => 6_000 + 600L * plan.KernelHeight * plan.KernelWidth;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) =>
        New("DepthwiseConvolutionConfig", $"{I(Multiplier(l))}, {Window(l)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {Pads(l)}, {Activation(l)}, {Bool(l.UseBias)}");

    public override bool SplitsRows => true;

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog)
    {
        DepthwiseEmitter.Emit(w, layer, Multiplier(layer), catalog);
        if (layer.FoldedOffset >= 0)
        {
            w.WriteLine();
            DepthwiseEmitter.Emit(w, layer.FoldsInStore ? BatchNormFolding.Fused(layer) : BatchNormFolding.OnCopy(layer), Multiplier(layer), catalog,
                BatchNormFolding.KernelName(layer), BatchNormFolding.Comment(layer), layer.FoldsInStore ? layer.FoldedOffset : -1);
        }
    }

    protected override void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? name) => DepthwiseEmitter.Emit(w, l, Multiplier(l), catalog, name);

    protected override void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => DepthwiseBackwardEmitter.EmitWeightGradient(w, l, Multiplier(l), catalog);

    protected override void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => DepthwiseBackwardEmitter.EmitInputGradient(w, l, Multiplier(l), catalog);
}
