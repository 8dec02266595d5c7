using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Conv2DTranspose(filters, kernel)]</c> / <c>conv2dtranspose 16 3 stride=2 same</c>: the
/// transposed convolution of Keras, weights <c>[kh][kw][filters][in]</c>, with Keras's output
/// sizes (valid <c>in*s + max(k-s, 0)</c>, same <c>in*s</c>, or <c>(in-1)*s + k - 2*pad + OutputPadding</c>).
/// The geometry is kept in the plan's <see cref="Window"/>: the stride upsamples, PadTop / PadLeft
/// are the rows and columns of the full result cut at the top / left, and PadBottom / PadRight
/// those cut at the bottom / right (negative: rows added by the output padding). Forward and both
/// gradients are generated gathers with every shape a constant: see <see cref="TransposedConvEmitter"/>.
/// </summary>
internal sealed class Conv2DTransposeLayer : WeightedLayer
{
    public Conv2DTransposeLayer()
        : base(LayerKind.Conv2DTranspose)
    {
    }

    /// <summary>OutputPadding as written; -1 is Keras's None.</summary>
    internal sealed record Transposition(int OutputPadding) : KindData;

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "conv2dtranspose", "conv2d_transpose", "deconv" };

    public override LayerOptions Options => LayerOptions.Window | LayerOptions.Dilation | LayerOptions.Activation | LayerOptions.Bias;

    /// <summary><c>(filters, kernel)</c> or <c>(filters, kernelHeight, kernelWidth)</c>.</summary>
    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count is 2 or 3
        ? blank with { Size = (int)arguments[0], KernelHeight = (int)arguments[1], KernelWidth = (int)arguments[arguments.Count - 1] }
        : null;

    public override string? ArgumentName(int position) => position == 0 ? "filters" : null;

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) =>
        name == "OutputPadding" ? spec with { KindOptions = new Transposition((int)value) } : null;

    public override int TextNumberCount => 2;

    public override string TextUsage(string head) => $"{head} FILTERS KERNEL, e.g. '{head} 16 3 stride=2 same' or '{head} 16 2x2 stride=2'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryInt(0, "filter count", out int filters) || !numbers.TryWindow(1, out int height, out int width))
        {
            return false;
        }
        spec = spec with { Size = filters, KernelHeight = height, KernelWidth = width };
        return true;
    }

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec)
    {
        if (key is not ("output_padding" or "outputpadding"))
        {
            return null;
        }
        if (!value.TryInt(0, "output padding", out int padding))
        {
            return false;
        }
        spec = spec with { KindOptions = new Transposition(padding) };
        return true;
    }

    // ---- Analysis ----

    public override string DefaultName => "conv2d_transpose";

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        int outputPadding = layer.KindOptions is Transposition o ? o.OutputPadding : -1;
        if (!RequireSpatial(context, input, diagnostics)
            | !RequirePositive(context, "filters", layer.Size, diagnostics)
            | !RequirePositiveWindow(context, "kernel", layer.KernelHeight, layer.KernelWidth, diagnostics)
            | !RequirePositive(context, "stride", layer.Stride, diagnostics)
            | !RequirePositive(context, "dilation", layer.Dilation, diagnostics)
            | !RequireDefined(context, "Padding", layer.Padding, diagnostics))
        {
            return null;
        }
        if (!WindowFits(context, layer.Dilation, diagnostics))
        {
            return null;
        }
        if (layer.Pads is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExplicitPadding, layer.Location, context.Index, context.Kind, context.Name,
                "a transposed convolution takes no explicit pads; its output size follows the padding rule (valid or same) and OutputPadding"));
            return null;
        }
        if (outputPadding < -1 || outputPadding >= layer.Stride)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TransposedOutputPaddingInvalid, layer.LocationOf("OutputPadding"), context.Index, context.Name,
                outputPadding, layer.Stride));
            return null;
        }
        var rows = Axis(input.Height, layer.KernelHeight, layer.Stride, layer.Dilation, layer.Padding, outputPadding);
        var columns = Axis(input.Width, layer.KernelWidth, layer.Stride, layer.Dilation, layer.Padding, outputPadding);
        if (rows.Output < 1 || columns.Output < 1 || rows.Output > int.MaxValue || columns.Output > int.MaxValue)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExplicitPadding, layer.Location, context.Index, context.Kind, context.Name,
                $"its output would be {rows.Output}x{columns.Output}; use valid padding or an OutputPadding of 1"));
            return null;
        }
        long weights = (long)layer.KernelHeight * layer.KernelWidth * input.Channels * layer.Size;
        long outputs = rows.Output * columns.Output * layer.Size;
        if (!SizeLimits.Fits(weights) || !SizeLimits.Fits(outputs))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject,
                SizeLimits.Fits(weights) ? $"its output [{rows.Output},{columns.Output},{layer.Size}]" : $"weights [{layer.KernelHeight},{layer.KernelWidth},{layer.Size},{input.Channels}]",
                System.Math.Max(weights, outputs), "values", "use a smaller kernel, stride or fewer filters"));
            return null;
        }
        var window = new Window(layer.KernelHeight, layer.KernelWidth, layer.Stride, layer.Stride, layer.Dilation, layer.Dilation,
            (int)rows.Output, (int)columns.Output, rows.Before, rows.After, columns.Before, columns.After);
        var output = Shape.Spatial((int)rows.Output, (int)columns.Output, layer.Size);
        return Windows.Plan(context, input, output, window) with
        {
            Weights = TakeWeights(parameters, (int)weights, layer.UseBias ? layer.Size : 0),
            Data = new Transposition(outputPadding),
        };
    }

    /// <summary>
    /// One axis as Keras sizes it (<c>deconv_output_length</c>) and as TensorFlow places it
    /// (the same padding of the convolution it transposes): output length, rows cut before, rows cut after (negative: added).
    /// </summary>
    internal static (long Output, int Before, int After) Axis(int input, int kernel, int stride, int dilation, PaddingKind padding, int outputPadding)
    {
        long extent = (long)(kernel - 1) * dilation + 1;
        long full = (long)(input - 1) * stride + extent;
        long output = outputPadding < 0
            ? padding == PaddingKind.Valid ? (long)input * stride + System.Math.Max(extent - stride, 0) : (long)input * stride
            : full - 2 * (padding == PaddingKind.Same ? extent / 2 : 0) + outputPadding;
        long before = padding == PaddingKind.Valid ? 0 : System.Math.Max(full - output, 0) / 2;
        return (output, (int)before, (int)(full - output - before));
    }

    /// <summary><c>16@3x3 s2 same -> 32x32</c>: the output size is the point of the layer.</summary>
    public override string Describe(LayerPlan l) =>
        $"{l.Output.Channels}@{l.KernelHeight}x{l.KernelWidth} s{l.StrideHeight}{(l.DilationHeight > 1 ? $" d{l.DilationHeight}" : "")} {(l.Padding == PaddingKind.Same ? "same" : "valid")}"
        + $"{(OutputPadding(l) >= 0 ? $" op{OutputPadding(l)}" : "")} -> {l.Output.Height}x{l.Output.Width}{ActivationSuffix(l)}{BiasSuffix(l)}";

    private static int OutputPadding(LayerPlan l) => ((Transposition)l.Data!).OutputPadding;

    public override string ParameterText(LayerPlan l) =>
        WeightText(l, $"weights [{l.KernelHeight},{l.KernelWidth},{l.Output.Channels},{l.Input.Channels}]");

    /// <summary>Keras's fans for a <c>[kh,kw,filters,in]</c> kernel: taps times filters in, taps times inputs out.</summary>
    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem)
    {
        int taps = l.KernelHeight * l.KernelWidth;
        return WeightAndBias(l, stem, new[] { l.KernelHeight, l.KernelWidth, l.Output.Channels, l.Input.Channels }, "HWOI",
            taps * l.Output.Channels, taps * l.Input.Channels);
    }

    public override long EstimateCodeBytes(LayerPlan l) => TransposedConvEmitter.EstimateCodeBytes(l);

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) =>
        New("TransposedConvolutionConfig", $"{I(l.Output.Channels)}, {Window(l)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, "
            + $"{I(l.PadTop)}, {I(l.PadBottom)}, {I(l.PadLeft)}, {I(l.PadRight)}, global::ConvGen.Padding.{l.Padding}, {I(OutputPadding(l))}, {Activation(l)}, {Bool(l.UseBias)}");

    protected override void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? name) => TransposedConvEmitter.EmitForward(w, l, catalog, name);

    protected override void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => TransposedConvEmitter.EmitWeightGradient(w, l, catalog);

    protected override void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) => TransposedConvEmitter.EmitInputGradient(w, l, catalog);
}
