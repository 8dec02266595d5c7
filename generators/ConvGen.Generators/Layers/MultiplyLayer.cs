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
/// <c>[Multiply("a", "b")]</c> / <c>multiply a b</c>: the element-wise product of two earlier
/// layers, of equal shapes or a <c>[1,1,C]</c> factor broadcast over an <c>[H,W,C]</c> map in
/// either order (squeeze-and-excitation's gate). The runtime's MultiplyKernels does the work;
/// backward gives each factor its own gradient (the broadcast one summed over positions), so
/// <see cref="OperandGradient"/> names the buffers the chain and the stashes copy from.
/// </summary>
internal sealed class MultiplyLayer : LayerDescriptor
{
    public MultiplyLayer()
        : base(LayerKind.Multiply)
    {
    }

    /// <summary>The second factor's shape (the first is the plan's input).</summary>
    internal sealed record Factors(Shape Second) : KindData;

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "multiply" };

    public override LayerOptions Options => LayerOptions.NamedSources;

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        arguments.Count == 2 ? blank with { Sources = new EquatableArray<string>(new[] { (string)arguments[0], (string)arguments[1] }) } : null;

    public override string TextUsage(string head) => "multiply NAME1 NAME2, e.g. 'multiply features gate'";

    // ---- Analysis ----

    public override string DefaultName => "multiply";

    public override int NamedSources => 2;

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var a = inputs[0];
        var b = inputs[1];
        if (Product(a, b) is not { } output)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultiplyShapeMismatch, context.Layer.Location,
                context.Index, context.Name, context.Layer.Sources[0], a.ToText(), context.Layer.Sources[1], b.ToText(), Advice(a, b, context.IsTextForm)));
            return null;
        }
        return context.Plan(a, output) with { Data = new Factors(b) };
    }

    /// <summary>The output shape, or null when the factors neither match nor broadcast.</summary>
    private static Shape? Product(Shape a, Shape b)
    {
        if (a == b)
        {
            return a;
        }
        if (!a.IsSpatial || !b.IsSpatial || a.Channels != b.Channels)
        {
            return null;
        }
        bool aIsFactor = a.Height == 1 && a.Width == 1;
        bool bIsFactor = b.Height == 1 && b.Width == 1;
        return bIsFactor ? a : aIsFactor ? b : null;
    }

    private static string Advice(Shape a, Shape b, bool isTextForm)
    {
        if (a.IsSpatial != b.IsSpatial)
        {
            var vector = a.IsSpatial ? b : a;
            return isTextForm
                ? $"give the vector rank 3 with 'reshape 1x1x{vector.Channels}' or 'globalavgpool2d keepdims=true'"
                : $"give the vector rank 3 with [Reshape(1, 1, {vector.Channels})] or GlobalAvgPool2D(KeepDims = true)";
        }
        if (a.Channels != b.Channels)
        {
            return $"make the channel counts equal, e.g. end the gate branch with a layer of {System.Math.Max(a.Channels, b.Channels)} units or filters";
        }
        return "pool one of them to 1x1 (GlobalAvgPool2D with KeepDims) or bring both to the same size";
    }

    public override string Describe(LayerPlan l) => string.Join(" * ", l.SourceNames);

    public override long EstimateCodeBytes(LayerPlan plan) => 2_500;

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) => New("MultiplyConfig");

    public override void WriteKernel(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output, int batch)"))
        {
            w.WriteLine($"MultiplyKernels.Forward(first, {I(l.Input.Length)}, second, {I(Second(l).Length)}, output, batch, {I(l.Output.Channels)});");
        }
    }

    public override void AddTrainingBuffers(LayerPlan l, TrainingBufferPlan buffers)
    {
        buffers.Fields.Add(new TrainingBufferPlan.Field(GradientField(l, 0), l.Input.Length, $"{l.Name}: gradient for '{l.SourceNames[0]}' {l.Input}"));
        buffers.Fields.Add(new TrainingBufferPlan.Field(GradientField(l, 1), Second(l).Length, $"{l.Name}: gradient for '{l.SourceNames[1]}' {Second(l)}"));
    }

    public override void WriteForwardTraining(TrainingStep step)
    {
        var l = step.Layer;
        var sources = step.Buffers.Sources[l.Index];
        step.CallKernel(MethodName(l), $"{TrainingStep.Batch(sources[0], l.Input.Length)}, {TrainingStep.Batch(sources[1], Second(l).Length)}, {step.Output}, batch");
    }

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        var sources = step.Buffers.Sources[l.Index];
        long[] lengths = { l.Input.Length, Second(l).Length };
        step.Writer.WriteLine($"global::ConvGen.Kernels.MultiplyKernels.Backward({TrainingStep.Batch(sources[0], lengths[0])}, {I(lengths[0])}, "
            + $"{TrainingStep.Batch(sources[1], lengths[1])}, {I(lengths[1])}, {step.OutputGradient}, "
            + $"{TrainingStep.Batch(OperandGradient(l, 0), lengths[0])}, {TrainingStep.Batch(OperandGradient(l, 1), lengths[1])}, batch, {I(l.Output.Channels)});");
        int chain = step.Buffers.ChainOperand[l.Index];
        if (chain >= 0)
        {
            step.Writer.WriteLine($"{TrainingStep.Batch(OperandGradient(l, chain), lengths[chain])}.CopyTo(gradient); // to '{l.SourceNames[chain]}' down the chain");
        }
    }

    public override string OperandGradient(LayerPlan layer, int operand) => "workspace." + GradientField(layer, operand);

    private static string GradientField(LayerPlan l, int operand) => $"Layer{l.Index}{(operand == 0 ? "First" : "Second")}Gradient";

    private static Shape Second(LayerPlan l) => ((Factors)l.Data!).Second;
}
