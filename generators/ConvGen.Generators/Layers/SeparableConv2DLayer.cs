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

/// <summary>SeparableConv2D's resolved data: the multiplier and where the depthwise weights are (the pointwise ones and the bias are the plan's Weights).</summary>
internal sealed record SeparableData(int Multiplier, int DepthwiseOffset, int DepthwiseCount) : KindData;

/// <summary>
/// <c>[SeparableConv2D(filters, kernel)]</c> / <c>separableconv2d 32 3</c> (Keras): a depthwise
/// convolution without bias (the window, stride, padding and DepthMultiplier), then a pointwise
/// 1x1 convolution to <c>filters</c> channels with the bias and the fused activation. Tensors
/// <c>{name}.depthwise_weight</c> <c>[kh,kw,in,m]</c>, <c>{name}.pointwise_weight</c>
/// <c>[1,1,in*m,filters]</c>, <c>{name}.bias</c>. The pointwise part is a Conv2D plan of its own
/// (<see cref="Pointwise"/>), so it runs on the catalogue's register-tiled 1x1 convolution bodies,
/// forward and backward, and the depthwise part on the generated depthwise bodies. A BatchNorm
/// after a linear SeparableConv2D folds into the pointwise weights and bias at inference.
/// </summary>
internal sealed class SeparableConv2DLayer : WeightedLayer
{
    public SeparableConv2DLayer()
        : base(LayerKind.SeparableConv2D)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "separableconv2d", "sepconv", "separable_conv2d" };

    public override LayerOptions Options => LayerOptions.Window | LayerOptions.Dilation | LayerOptions.Activation | LayerOptions.Bias;

    /// <summary><c>(filters, kernel)</c> or <c>(filters, kernelHeight, kernelWidth)</c>.</summary>
    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count is 2 or 3
        ? blank with { Size = (int)arguments[0], KernelHeight = (int)arguments[1], KernelWidth = (int)arguments[arguments.Count - 1] }
        : null;

    public override string? ArgumentName(int position) => position == 0 ? "filters" : null;

    public override int TextNumberCount => 2;

    public override string TextUsage(string head) => $"{head} FILTERS KERNEL, e.g. '{head} 32 3' or '{head} 32 3x5 multiplier=2'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryInt(0, "filter count", out int filters) || !numbers.TryWindow(1, out int height, out int width))
        {
            return false;
        }
        spec = spec with { Size = filters, KernelHeight = height, KernelWidth = width };
        return true;
    }

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) => DepthwiseWindow.ReadNamedArgument(spec, name, value);

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec) => DepthwiseWindow.ReadTextOption(key, value, ref spec);

    // ---- Analysis ----

    public override string DefaultName => "separable_conv2d";

    /// <summary>The pointwise weights are rows of output channels (HWIO, one row per middle channel) and the bias is the pointwise one: Conv2D's folding applies.</summary>
    public override bool AbsorbsFollowingBatchNorm => true;

    public override bool FoldedKernelReadsParameters => true;

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        int multiplier = DepthwiseWindow.Multiplier(layer);
        bool filtersOk = RequirePositive(context, "filters", layer.Size, diagnostics);
        if (DepthwiseWindow.Infer(context, input, multiplier, diagnostics) is not var (window, depthwise)
            || !filtersOk
            || DepthwiseWindow.Weights(context, depthwise, diagnostics) is not long depthwiseWeights)
        {
            return null;
        }
        long pointwiseWeights = (long)depthwise.Channels * layer.Size;
        if (!SizeLimits.Fits(pointwiseWeights))
        {
            diagnostics.Add(SizeLimits.Exceeded(layer.Location, context.Subject, $"pointwise weights [1,1,{depthwise.Channels},{layer.Size}]", pointwiseWeights, "values",
                "use fewer filters or a smaller depth multiplier"));
            return null;
        }
        // Keras's order: depthwise kernel, pointwise kernel, bias.
        int depthwiseOffset = parameters.Take((int)depthwiseWeights);
        return Windows.Plan(context, input, Shape.Spatial(depthwise.Height, depthwise.Width, layer.Size), window) with
        {
            Weights = TakeWeights(parameters, (int)pointwiseWeights, layer.UseBias ? layer.Size : 0),
            Data = new SeparableData(multiplier, depthwiseOffset, (int)depthwiseWeights),
        };
    }

    private static SeparableData Data(LayerPlan l) => (SeparableData)l.Data!;

    /// <summary>The depthwise part's output, the pointwise part's input: <c>[oh, ow, in x m]</c>.</summary>
    private static Shape Middle(LayerPlan l) => Shape.Spatial(l.Output.Height, l.Output.Width, l.Input.Channels * Data(l).Multiplier);

    /// <summary>The depthwise part as a plan of its own: the window, the depthwise weights, no bias, linear.</summary>
    private static LayerPlan Depthwise(LayerPlan l) => l with
    {
        Output = Middle(l),
        Weights = new WeightTensors(Data(l).DepthwiseOffset, Data(l).DepthwiseCount, 0, 0),
        Activation = ActivationKind.Linear,
    };

    /// <summary>
    /// The pointwise part as a Conv2D plan of the same index: a 1x1 window over the depthwise
    /// output with this layer's pointwise weights, bias and activation. Its entry points are
    /// named as that Conv2D's would be (<c>Layer3Conv2D</c>, <c>Layer3Conv2DWeightGradient</c>, ...),
    /// which no other layer can be, since the index is this layer's.
    /// </summary>
    private static LayerPlan Pointwise(LayerPlan l) => l with
    {
        Kind = LayerKind.Conv2D,
        Name = l.Name + " pointwise",
        Input = Middle(l),
        Window = new Window(1, 1, 1, 1, 1, 1, l.Output.Height, l.Output.Width, 0, 0, 0, 0),
        Padding = PaddingKind.Valid,
        HasExplicitPadding = false,
        Data = null,
    };

    private static string DepthwiseName(LayerPlan l) => MethodName(l) + "Depthwise";

    public override string Describe(LayerPlan l) =>
        $"{l.Output.Channels}@{Windows.Describe(l)}{(Data(l).Multiplier == 1 ? "" : $" x{Data(l).Multiplier}")}{ActivationSuffix(l)}{BiasSuffix(l)}";

    public override string ParameterText(LayerPlan l) =>
        WeightText(l, $"depthwise [{l.KernelHeight},{l.KernelWidth},{l.Input.Channels},{Data(l).Multiplier}] + pointwise [1,1,{Middle(l).Channels},{l.Output.Channels}]");

    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem)
    {
        var data = Data(l);
        int taps = l.KernelHeight * l.KernelWidth;
        yield return Tensor(l, stem, "depthwise_weight", "DepthwiseWeight", new[] { l.KernelHeight, l.KernelWidth, l.Input.Channels, data.Multiplier }, "HWIM",
            data.DepthwiseOffset, data.DepthwiseCount, ParameterNames.WeightInit(ActivationKind.Linear), taps, taps * data.Multiplier);
        yield return Tensor(l, stem, "pointwise_weight", "PointwiseWeight", new[] { 1, 1, Middle(l).Channels, l.Output.Channels }, "HWIO",
            l.WeightOffset, l.WeightCount, ParameterNames.WeightInit(l.Activation), Middle(l).Channels, l.Output.Channels);
        if (l.BiasCount > 0)
        {
            yield return Tensor(l, stem, "bias", "Bias", new[] { l.BiasCount }, "O", l.BiasOffset, l.BiasCount, "Zeros");
        }
    }

    public override string FewerParametersAdvice => "use fewer filters, a smaller kernel or a smaller depth multiplier";

    /// <summary>The depthwise calls and the pointwise 1x1 convolution's entries and bodies (forward, both gradients).</summary>
    public override long EstimateCodeBytes(LayerPlan plan) => 24_000;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) =>
        New("SeparableConvolutionConfig", $"{I(l.Output.Channels)}, {I(Data(l).Multiplier)}, {Window(l)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {Pads(l)}, {Activation(l)}, {Bool(l.UseBias)}");

    /// <summary>The layer's entry (depthwise into a pooled buffer, then pointwise), the depthwise entry and the pointwise Conv2D entry.</summary>
    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        var pointwise = Pointwise(l);
        bool optional = Conv2DEmitter.OptionalActivation(l, null);
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}({Conv2DEmitter.Parameters}{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            w.WriteLine($"// the depthwise output {Middle(l)} per sample, in a pooled buffer: inference keeps no per-layer scratch");
            w.WriteLine($"float[] depthwise = ArrayPool<float>.Shared.Rent({Arithmetic.Times("batch", Middle(l).Length)});");
            using (w.WriteBlock("try"))
            {
                w.WriteLine($"{DepthwiseName(l)}(parameters, input, depthwise, batch);");
                w.WriteLine($"{MethodName(pointwise)}(parameters, depthwise, output, batch{(optional ? ", activate" : "")});");
            }
            using (w.WriteBlock("finally"))
            {
                w.WriteLine("ArrayPool<float>.Shared.Return(depthwise);");
            }
        }
        if (l.FoldedOffset >= 0)
        {
            w.WriteLine();
            WriteFoldedKernel(w, l, catalog);
        }
        w.WriteLine();
        DepthwiseEmitter.Emit(w, Depthwise(l), Data(l).Multiplier, catalog, DepthwiseName(l), $"// layer {l.Index}: SeparableConv2D '{l.Name}' depthwise part  {l.Input} -> {Middle(l)}");
        w.WriteLine();
        Conv2DEmitter.Emit(w, pointwise, catalog, null, $"// layer {l.Index}: SeparableConv2D '{l.Name}' pointwise part, a 1x1 Conv2D  {Middle(l)} -> {l.Output}");
    }

    /// <summary>
    /// Inference with the BatchNorm after the layer folded into the pointwise part: the depthwise
    /// part reads the parameters, the pointwise part the folded weights and bias (a 1x1 Conv2D
    /// entry of its own on the same catalogue body).
    /// </summary>
    private static void WriteFoldedKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        bool inStore = l.FoldsInStore;
        var folded = inStore
            ? Pointwise(l) with { Activation = l.FoldedActivation, Alpha = l.FoldedAlpha }
            : Pointwise(l) with
            {
                Weights = new WeightTensors(l.FoldedOffset, l.WeightCount, l.FoldedOffset + l.WeightCount, l.Output.Channels),
                Activation = l.FoldedActivation,
                Alpha = l.FoldedAlpha,
            };
        string fused = l.FoldedActivation == ActivationKind.Linear ? "" : $" (and the {LayerPlan.ActivationName(l.FoldedActivation)} after it)";
        w.WriteLine($"// layer {l.Index} at inference with the BatchNorm after it{fused} folded into the pointwise part: depthwise from the parameters, pointwise "
            + (inStore ? "scaled and shifted in its store" : "from the folded buffer"));
        using (OpenEntryPoint(w, $"public static void {BatchNormFolding.KernelName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> folded, ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            w.WriteLine($"float[] depthwise = ArrayPool<float>.Shared.Rent({Arithmetic.Times("batch", Middle(l).Length)});");
            using (w.WriteBlock("try"))
            {
                w.WriteLine($"{DepthwiseName(l)}(parameters, input, depthwise, batch);");
                w.WriteLine($"{BatchNormFolding.KernelName(folded)}({(inStore ? "parameters, " : "")}folded, depthwise, output, batch);");
            }
            using (w.WriteBlock("finally"))
            {
                w.WriteLine("ArrayPool<float>.Shared.Return(depthwise);");
            }
        }
        w.WriteLine();
        Conv2DEmitter.Emit(w, folded, catalog, BatchNormFolding.KernelName(folded),
            $"// layer {l.Index}: SeparableConv2D '{l.Name}' pointwise part with the BatchNorm folded in, a 1x1 Conv2D  {Middle(l)} -> {l.Output}", foldedOffset: inStore ? l.FoldedOffset : -1);
    }

    protected override void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? name) => WriteKernel(w, l, catalog);

    protected override void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        ConvBackwardEmitter.EmitWeightGradient(w, Pointwise(l), catalog);
        Separate(w);
        DepthwiseBackwardEmitter.EmitWeightGradient(w, Depthwise(l), Data(l).Multiplier, catalog, DepthwiseName(l) + "WeightGradient");
    }

    protected override void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog) =>
        DepthwiseBackwardEmitter.EmitInputGradient(w, Depthwise(l), Data(l).Multiplier, catalog, DepthwiseName(l) + "InputGradient");

    /// <summary>Both gradients of the pointwise part, whose input gradient the depthwise weight gradient needs whether or not the layer's input gradient is wanted.</summary>
    public override void WriteTrainingKernels(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        base.WriteTrainingKernels(w, l, catalog);
        Separate(w);
        ConvBackwardEmitter.EmitInputGradient(w, Pointwise(l), catalog);
    }

    public override void AddTrainingBuffers(LayerPlan l, TrainingBufferPlan buffers)
    {
        buffers.Fields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}Depthwise", Middle(l).Length, $"{l.Name} depthwise output {Middle(l)}"));
        buffers.Fields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}DepthwiseGradient", Middle(l).Length, $"{l.Name} gradient of the depthwise output {Middle(l)}"));
        buffers.ScratchFields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}KernelTransposed", l.WeightCount,
            $"{l.Name} pointwise kernel as [1][1][filters][in] for its input gradient"));
    }

    public override void WriteForwardTraining(TrainingStep step)
    {
        var l = step.Layer;
        step.CallKernel(DepthwiseName(l), $"_parameters, {step.Input}, workspace.Layer{l.Index}Depthwise, batch");
        step.CallKernel(MethodName(Pointwise(l)), $"_parameters, workspace.Layer{l.Index}Depthwise, {step.PreActivation}, batch{step.KeepPreActivation}");
        step.ApplyActivation();
    }

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        var w = step.Writer;
        var pointwise = Pointwise(l);
        string frozen = $"_frozen[{I(l.Index)}]";
        string middle = $"workspace.Layer{I(l.Index)}Depthwise";
        string middleGradient = $"workspace.Layer{I(l.Index)}DepthwiseGradient";
        string wanted = l.Source >= 0 ? $"!{frozen} || {step.NeedsInputGradient}" : $"!{frozen}";
        using (w.WriteBlock($"if ({wanted})"))
        {
            w.WriteLine($"if (!{frozen}) " + step.ChunkedWeightGradient(TrainingMembersEmitter.WeightGradientName(pointwise), middle, Middle(l).Length,
                "gradient", l.Output.Length, pointwise.WeightOffset, pointwise.WeightCount + pointwise.BiasCount));
            w.WriteLine($"{step.Kernels}.{TrainingMembersEmitter.InputGradientName(pointwise)}(_parameters, workspace.Layer{I(l.Index)}KernelTransposed, gradient, {middleGradient}, batch);");
            w.WriteLine($"if (!{frozen}) " + step.ChunkedWeightGradient($"{DepthwiseName(l)}WeightGradient", step.Input, l.Input.Length,
                middleGradient, Middle(l).Length, Data(l).DepthwiseOffset, Data(l).DepthwiseCount));
        }
        w.WriteLine($"progress?.GradientsFinalFrom({I(Data(l).DepthwiseOffset)});");
        if (l.Source >= 0)
        {
            w.WriteLine($"if ({step.NeedsInputGradient}) {{ {step.Kernels}.{DepthwiseName(l)}InputGradient(_parameters, {middleGradient}, spare, batch); {SwapGradients} }}");
        }
    }
}
