using System.Collections.Generic;
using System.Linq;
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
/// <c>[GroupNormalization(groups)]</c> / <c>groupnorm 8</c> and <c>[LayerNormalization]</c> /
/// <c>layernorm</c> (Keras 3: Epsilon 1e-3, Center, Scale): per-sample statistics, so training
/// and inference compute the same thing and there are no running statistics. GroupNorm takes a
/// group's statistics over every position and its channels; LayerNorm over each position's
/// channels, which is GroupNorm with one group on rows of one position. Both run the runtime's
/// GroupNormKernels; gamma and beta are <c>{name}.gamma</c> / <c>{name}.beta</c> like BatchNorm's.
/// </summary>
internal sealed class NormalizationLayer : LayerDescriptor
{
    private readonly bool _grouped;

    private NormalizationLayer(LayerKind kind, bool grouped, string defaultName, params string[] textNames)
        : base(kind)
    {
        _grouped = grouped;
        DefaultName = defaultName;
        TextNames = textNames;
    }

    public static NormalizationLayer Group { get; } = new(LayerKind.GroupNormalization, grouped: true, "group_normalization", "groupnorm", "group_normalization");

    public static NormalizationLayer Layer { get; } = new(LayerKind.LayerNormalization, grouped: false, "layer_normalization", "layernorm", "layer_normalization");

    /// <summary>Center and Scale as written (Keras: both true).</summary>
    internal sealed record Affine(bool Center, bool Scale) : KindData;

    /// <summary>The resolved layer: groups (1 for LayerNorm), epsilon, and where gamma and beta are (-1: not learned).</summary>
    internal sealed record Normalization(int Groups, double Epsilon, int GammaOffset, int BetaOffset) : KindData
    {
        public bool Scale => GammaOffset >= 0;

        public bool Center => BetaOffset >= 0;
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; }

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        _grouped ? arguments.Count == 1 ? blank with { Size = (int)arguments[0] } : null
            : arguments.Count == 0 ? blank : null;

    public override string? ArgumentName(int position) => _grouped && position == 0 ? "groups" : null;

    public override int TextNumberCount => _grouped ? 1 : 0;

    public override string TextUsage(string head) => _grouped ? "groupnorm GROUPS, e.g. 'groupnorm 8 eps=1e-5'" : "layernorm (no sizes), e.g. 'layernorm eps=1e-6'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!_grouped)
        {
            return true;
        }
        if (!numbers.TryInt(0, "group count", out int groups))
        {
            return false;
        }
        spec = spec with { Size = groups };
        return true;
    }

    public override LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value)
    {
        var affine = spec.KindOptions as Affine ?? new Affine(true, true);
        return (name, value) switch
        {
            ("Center", bool center) => spec with { KindOptions = affine with { Center = center } },
            ("Scale", bool scale) => spec with { KindOptions = affine with { Scale = scale } },
            _ => null,
        };
    }

    public override bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec)
    {
        var affine = spec.KindOptions as Affine ?? new Affine(true, true);
        switch (key)
        {
            case "eps" or "epsilon":
                if (!value.TryDouble(0, "epsilon", out double epsilon)) return false;
                spec = spec with { Epsilon = epsilon };
                return true;
            case "center" or "scale":
                if (!value.TryBool(0, key, out bool flag)) return false;
                spec = spec with { KindOptions = key == "center" ? affine with { Center = flag } : affine with { Scale = flag } };
                return true;
            default:
                return null;
        }
    }

    // ---- Analysis ----

    public override string DefaultName { get; }

    public override IEnumerable<FloatOption> FloatOptions(LayerSpec layer)
    {
        yield return new FloatOption("Epsilon", "eps", layer.Epsilon, "use a small positive number, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)");
    }

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        var input = inputs[0];
        int channels = input.Channels;
        int groups = _grouped ? layer.Size : 1;
        if (_grouped && !RequirePositive(context, "groups", groups, diagnostics))
        {
            return null;
        }
        if (channels % groups != 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GroupsDoNotDivideChannels, layer.Location,
                context.Index, context.Name, channels, groups, NearestDivisor(channels, groups)));
            return null;
        }
        // As float32: 1e-50 is positive as a double but 0 in the generated code.
        if (!((float)layer.Epsilon > 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NormalizationEpsilonNotPositive, layer.Location,
                context.Index, context.Kind, context.Name, Analysis.FloatOptions.Text(layer.Epsilon)));
            return null;
        }
        var affine = layer.KindOptions as Affine ?? new Affine(true, true);
        // Keras's order: gamma, then beta.
        int gamma = affine.Scale ? parameters.Take(channels) : -1;
        int beta = affine.Center ? parameters.Take(channels) : -1;
        return context.Plan(input, input) with { Data = new Normalization(groups, layer.Epsilon, gamma, beta) };
    }

    /// <summary>The divisor of <paramref name="channels"/> nearest to <paramref name="groups"/> (the smaller on a tie).</summary>
    private static int NearestDivisor(int channels, int groups) =>
        Enumerable.Range(1, channels).Where(d => channels % d == 0).OrderBy(d => System.Math.Abs((long)d - groups)).ThenBy(d => d).First();

    public override string Describe(LayerPlan l)
    {
        var n = Data(l);
        return (_grouped ? $"{n.Groups} groups " : "") + $"eps {LayerPlan.Number(n.Epsilon)}" + (n.Center ? "" : " no-center") + (n.Scale ? "" : " no-scale");
    }

    public override string ParameterText(LayerPlan l)
    {
        var n = Data(l);
        int c = l.Output.Channels;
        return string.Join(" + ", new[] { n.Scale ? $"gamma [{c}]" : null, n.Center ? $"beta [{c}]" : null }.Where(t => t is not null));
    }

    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem)
    {
        var n = Data(l);
        int c = l.Output.Channels;
        var shape = new[] { c };
        if (n.Scale)
        {
            yield return Tensor(l, stem, "gamma", "Gamma", shape, "O", n.GammaOffset, c, "Ones");
        }
        if (n.Center)
        {
            yield return Tensor(l, stem, "beta", "Beta", shape, "O", n.BetaOffset, c, "Zeros");
        }
    }

    public override long EstimateCodeBytes(LayerPlan plan) => 3_500;

    // ---- Emit ----

    public override bool ReadsParameters => true;

    public override string ConfigExpression(LayerPlan l)
    {
        var n = Data(l);
        return New("NormalizationConfig", $"{I(n.Groups)}, {Literal.Double(n.Epsilon)}, {Bool(n.Center)}, {Bool(n.Scale)}");
    }

    /// <summary>One entry for inference and training: training passes the x-hat and 1/std buffers backward needs.</summary>
    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        var n = Data(l);
        var (rows, positions) = Rows(l);
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, "
            + "Span<float> normalized = default, Span<float> inverseStd = default)"))
        {
            w.WriteLine($"GroupNormKernels.Forward(input, {Gamma(l, "parameters")}, {Beta(l)}, output, {rows}, {I(positions)}, {I(l.Output.Channels)}, {I(n.Groups)}, "
                + $"{Literal.Float(n.Epsilon)}, normalized, inverseStd);");
        }
    }

    public override void WriteTrainingKernels(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        var n = Data(l);
        var (rows, positions) = Rows(l);
        int c = l.Output.Channels;
        Separate(w);
        using (OpenEntryPoint(w, $"public static void {TrainingMembersEmitter.BackwardName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradient, ReadOnlySpan<float> normalized, "
            + "ReadOnlySpan<float> inverseStd, Span<float> gradients, Span<float> inputGradient, bool parameterGradients, int batch)"))
        {
            string gammaGradient = n.Scale ? $"parameterGradients ? gradients.Slice({I(n.GammaOffset)}, {I(c)}) : default" : "default";
            string betaGradient = n.Center ? $"parameterGradients ? gradients.Slice({I(n.BetaOffset)}, {I(c)}) : default" : "default";
            w.WriteLine($"GroupNormKernels.Backward(gradient, normalized, inverseStd, {Gamma(l, "parameters")}, {gammaGradient}, {betaGradient}, inputGradient, "
                + $"{rows}, {I(positions)}, {I(c)}, {I(n.Groups)});");
        }
    }

    public override void AddTrainingBuffers(LayerPlan l, TrainingBufferPlan buffers)
    {
        buffers.Fields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}Normalized", l.Output.Length, $"{l.Name} normalised input x-hat {l.Output}"));
        buffers.Fields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}InverseStd", StatisticsPerSample(l), $"{l.Name} 1 / sqrt(variance + epsilon) per {(_grouped ? "group" : "position")}"));
    }

    public override void WriteForwardTraining(TrainingStep step)
    {
        var l = step.Layer;
        step.CallKernel(MethodName(l), $"_parameters, {TrainingStep.Batch(step.Input, l.Input.Length)}, {step.Output}, batch, "
            + $"{TrainingStep.Batch($"workspace.Layer{l.Index}Normalized", l.Output.Length)}, {TrainingStep.Batch($"workspace.Layer{l.Index}InverseStd", StatisticsPerSample(l))}");
    }

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        var w = step.Writer;
        w.WriteLine($"bool layer{I(l.Index)}InputGradient = {(l.Source >= 0 ? step.NeedsInputGradient : "false")};");
        if (l.ParameterCount == 0)
        {
            step.CallKernel(TrainingMembersEmitter.BackwardName(l), $"_parameters, {step.OutputGradient}, {TrainingStep.Batch($"workspace.Layer{l.Index}Normalized", l.Output.Length)}, "
                + $"{TrainingStep.Batch($"workspace.Layer{l.Index}InverseStd", StatisticsPerSample(l))}, workspace.Gradients, "
                + $"layer{I(l.Index)}InputGradient ? {TrainingStep.Batch("spare", l.Input.Length)} : default, false, batch");
        }
        else
        {
            // Per sample, so chunk by chunk: γ and β gradients go to each chunk's leaf (see GradientChunks).
            int offset = Data(l).Scale ? Data(l).GammaOffset : Data(l).BetaOffset;
            string chunks = TrainingStep.Chunks;
            string Rows(string buffer, long perSample) => $"new global::System.Span<float>({buffer}, first * {I(perSample)}, rows * {I(perSample)})";
            using (w.WriteBlock($"for (int c = 0; c < {chunks}.Count; c++)"))
            {
                w.WriteLine($"int first = {chunks}.FirstSample(c), rows = {chunks}.Rows(c);");
                step.CallKernel(TrainingMembersEmitter.BackwardName(l), $"_parameters, {Rows("gradient", l.Output.Length)}, {Rows($"workspace.Layer{l.Index}Normalized", l.Output.Length)}, "
                    + $"{Rows($"workspace.Layer{l.Index}InverseStd", StatisticsPerSample(l))}, {chunks}.Leaf(c, {I(offset)}, {I(l.ParameterCount)}), "
                    + $"layer{I(l.Index)}InputGradient ? {Rows("spare", l.Input.Length)} : default, !_frozen[{I(l.Index)}], rows");
                w.WriteLine($"{chunks}.Done(c, {I(offset)}, {I(l.ParameterCount)});");
            }
        }
        w.WriteLine($"if (layer{I(l.Index)}InputGradient) {SwapGradients}");
    }

    /// <summary>The kernel's rows and positions per row: GroupNorm normalises samples of H*W positions, LayerNorm rows of one position.</summary>
    private (string Rows, int Positions) Rows(LayerPlan l)
    {
        int positions = l.Output.Height * l.Output.Width;
        return _grouped ? ("batch", positions) : (Arithmetic.Times("batch", positions), 1);
    }

    private int StatisticsPerSample(LayerPlan l) => _grouped ? Data(l).Groups : l.Output.Height * l.Output.Width;

    private static string Gamma(LayerPlan l, string parameters) =>
        Data(l).Scale ? $"{parameters}.Slice({I(Data(l).GammaOffset)}, {I(l.Output.Channels)})" : "default";

    private static string Beta(LayerPlan l) =>
        Data(l).Center ? $"parameters.Slice({I(Data(l).BetaOffset)}, {I(l.Output.Channels)})" : "default";

    private static Normalization Data(LayerPlan l) => (Normalization)l.Data!;
}
