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
/// <c>[BatchNorm]</c> / <c>batchnorm eps=1e-5 momentum=0.9</c>: per-channel normalisation with
/// trained gamma and beta and running statistics saved with the weights. Training normalises
/// with the batch (Emit/Training/BatchNormTraining), inference with the running statistics,
/// folded into the convolution before it when it can be (Analysis/LayerGraph.FoldBatchNorms).
/// </summary>
internal sealed class BatchNormLayer : LayerDescriptor
{
    public BatchNormLayer()
        : base(LayerKind.BatchNorm)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "batchnorm", "batch_normalization" };

    public override LayerOptions Options => LayerOptions.Statistics;

    // ---- Analysis ----

    public override string DefaultName => "batch_normalization";

    public override IEnumerable<FloatOption> FloatOptions(LayerSpec layer)
    {
        yield return new FloatOption("Epsilon", "eps", layer.Epsilon, "use a small positive number, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)");
        yield return new FloatOption("Momentum", "momentum", layer.Momentum, "use a number in [0, 1], e.g. 0.99");
    }

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        bool ok = true;
        // As float32: 1e-50 is positive as a double but 0 in the generated code.
        if (!((float)layer.Epsilon > 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BatchNormOptionOutOfRange, layer.Location, context.Index, context.Name,
                "Epsilon", Analysis.FloatOptions.Text(layer.Epsilon), "a small positive number that keeps the division defined, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)"));
            ok = false;
        }
        if (!(layer.Momentum >= 0 && layer.Momentum <= 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BatchNormOptionOutOfRange, layer.Location, context.Index, context.Name,
                "Momentum", Analysis.FloatOptions.Text(layer.Momentum), "in [0, 1]: the weight of the old running statistics in each update, e.g. 0.99 (Keras) or 0.9 (PyTorch's 0.1 counted the other way)"));
            ok = false;
        }
        if (!ok)
        {
            return null;
        }
        var input = inputs[0];
        int c = input.Channels;
        // Gamma, beta, then the running mean and variance, each [C].
        var tensors = new BatchNormTensors(c, parameters.Take(c), parameters.Take(c), parameters.Take(c), parameters.Take(c), layer.Epsilon, layer.Momentum);
        return context.Plan(input, input) with { BatchNorm = tensors, StateCount = 2 * c };
    }

    public override string Describe(LayerPlan l) => $"eps {LayerPlan.Number(l.BatchNorm!.Epsilon)} momentum {LayerPlan.Number(l.BatchNorm.Momentum)}";

    public override string ParameterText(LayerPlan l)
    {
        int c = l.BatchNorm!.Channels;
        return $"gamma [{c}] + beta [{c}] + running mean and variance [{c}] each";
    }

    /// <summary>Names as PyTorch-style importers write them (ConvGen.Onnx), so imported weights load as they are.</summary>
    public override IEnumerable<ParameterTensor> ParameterTensors(LayerPlan l, string stem)
    {
        var bn = l.BatchNorm!;
        var shape = new[] { bn.Channels };
        yield return Tensor(l, stem, "gamma", "Gamma", shape, "O", bn.GammaOffset, bn.Channels, "Ones");
        yield return Tensor(l, stem, "beta", "Beta", shape, "O", bn.BetaOffset, bn.Channels, "Zeros");
        yield return Tensor(l, stem, "running_mean", "RunningMean", shape, "O", bn.MeanOffset, bn.Channels, "Zeros") with { Trainable = false };
        yield return Tensor(l, stem, "running_var", "RunningVar", shape, "O", bn.VarianceOffset, bn.Channels, "Ones") with { Trainable = false };
    }

    /// <summary>Three forward modes and the backward through the statistics; spatial maps add the per-channel reductions.</summary>
    public override long EstimateCodeBytes(LayerPlan l) => l.Input.IsSpatial ? 27_000 : 9_000;

    // ---- Emit ----

    public override bool ReadsParameters => true;

    public override string ConfigExpression(LayerPlan l) =>
        New("BatchNormConfig", $"{Literal.Double(l.BatchNorm!.Epsilon)}, {Literal.Double(l.BatchNorm.Momentum)}");

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => BatchNormEmitter.Emit(w, layer);

    public override void AddTrainingBuffers(LayerPlan l, TrainingBufferPlan buffers)
    {
        int c = l.Output.Channels;
        buffers.Fields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}Normalized", l.Output.Length, $"{l.Name} normalised input x-hat {l.Output}"));
        buffers.FixedFields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}BatchMean", c, $"{l.Name} mean of the batch [{c}]"));
        buffers.FixedFields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}BatchVariance", c, $"{l.Name} variance of the batch [{c}]"));
        buffers.FixedFields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}InverseStd", c, $"{l.Name} 1 / sqrt(variance + epsilon) [{c}]"));
    }

    public override void WriteForwardTraining(TrainingStep step) =>
        BatchNormTraining.WriteForward(step, TrainingStep.Batch(step.Input, step.Layer.Input.Length), step.Output);

    public override void WriteBackward(TrainingStep step) =>
        BatchNormTraining.WriteBackward(step, step.Layer.Source >= 0 ? step.NeedsInputGradient : null);
}
