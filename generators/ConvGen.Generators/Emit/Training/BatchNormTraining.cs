using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// BatchNorm in the training members: the three forward modes (frozen: running statistics as
/// at inference; training: this thread's batch statistics; evaluation: running statistics, x̂
/// kept for a backward pass), backward through the statistics, and the running-average update
/// that merges every thread's batch statistics after the step.
/// </summary>
internal static class BatchNormTraining
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Kernels = "global::ConvGen.Kernels.BatchNormKernels";
    private const string Parameters = "new global::System.Span<float>(_parameters)";

    public static void WriteForward(IndentedTextWriter w, LayerPlan l, string input, string output)
    {
        int i = l.Index;
        string length = $"batch * {I(l.Output.Length)}";
        string y = $"new {Span}({output}, 0, {length})";
        string xHat = $"new {Span}(workspace.Layer{i}Normalized, 0, {length})";
        string gamma = BatchNormEmitter.Gamma(l, Parameters);
        string beta = BatchNormEmitter.Beta(l, Parameters);
        string mean = BatchNormEmitter.RunningMean(l, Parameters);
        string variance = BatchNormEmitter.RunningVariance(l, Parameters);
        string epsilon = Literal.Float(l.BatchNorm!.Epsilon);
        w.WriteLine($"// BatchNorm '{l.Name}' {l.Description}  {l.Input} -> {l.Output}");
        w.WriteLine($"if (_frozen[{I(i)}]) {Kernels}.Inference({input}, {y}, {gamma}, {beta}, {mean}, {variance}, {epsilon});");
        w.WriteLine($"else if (batchStatistics) {Kernels}.TrainingForward({input}, {y}, {xHat}, {gamma}, {beta}, {epsilon}, "
            + $"workspace.Layer{i}BatchMean, workspace.Layer{i}BatchVariance, workspace.Layer{i}InverseStd);");
        w.WriteLine($"else {Kernels}.FixedStatisticsForward({input}, {y}, {xHat}, {gamma}, {beta}, {mean}, {variance}, {epsilon}, workspace.Layer{i}InverseStd);");
    }

    /// <param name="needsInput">Condition under which the input gradient is wanted; null when the layer reads the network input.</param>
    public static void WriteBackward(IndentedTextWriter w, LayerPlan l, string? needsInput)
    {
        int i = l.Index;
        string length = $"batch * {I(l.Output.Length)}";
        string dy = $"new {ReadOnlySpan}(gradient, 0, {length})";
        string dx = $"new {Span}(spare, 0, {length})";
        string gamma = BatchNormEmitter.Gamma(l, Parameters);
        using (w.WriteBlock($"if (_frozen[{I(i)}])"))
        {
            if (needsInput is not null)
            {
                w.WriteLine($"if ({needsInput}) {{ {Kernels}.FrozenInputGradient({dy}, {gamma}, {BatchNormEmitter.RunningVariance(l, Parameters)}, "
                    + $"{Literal.Float(l.BatchNorm!.Epsilon)}, {dx}); (gradient, spare) = (spare, gradient); }}");
            }
        }
        using (w.WriteBlock("else"))
        {
            string wanted = needsInput ?? "false";
            w.WriteLine($"bool inputGradient = {wanted};");
            w.WriteLine($"{Kernels}.Backward({dy}, new {ReadOnlySpan}(workspace.Layer{i}Normalized, 0, {length}), {gamma}, workspace.Layer{i}InverseStd, "
                + $"new {Span}(workspace.GradientsBuffer, {I(l.BatchNorm!.GammaOffset)}, {I(l.BatchNorm.Channels)}), new {Span}(workspace.GradientsBuffer, {I(l.BatchNorm.BetaOffset)}, {I(l.BatchNorm.Channels)}), "
                + $"inputGradient ? {dx} : default, workspace.UsedBatchStatistics);");
            w.WriteLine("if (inputGradient) (gradient, spare) = (spare, gradient);");
        }
    }

    /// <summary>The IRunningStatistics implementation and the merge accumulator.</summary>
    public static void WriteRunningStatistics(IndentedTextWriter w, NetworkModel model)
    {
        var layers = model.Layers.Where(l => l.BatchNorm is not null).ToList();
        int total = layers.Sum(l => 2 * l.Output.Channels);
        w.WriteLine($"private readonly double[] _batchStatistics = new double[{I(total)}];");
        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Merges the batch statistics every thread recorded in the last training forward pass (in thread");
        w.WriteLine("/// order, into the statistics of the whole batch) and moves each BatchNorm's running averages");
        w.WriteLine("/// towards them: running = momentum * running + (1 - momentum) * batch. Frozen layers keep theirs.");
        w.WriteLine("/// </summary>");
        using (w.WriteBlock("public void UpdateRunningStatistics(global::System.Collections.Generic.IReadOnlyList<global::ConvGen.ITrainingWorkspace> workspaces)"))
        {
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(workspaces);");
            int offset = 0;
            foreach (var l in layers)
            {
                int c = l.Output.Channels;
                long rowsPerSample = l.Output.Length / c;
                string accumulator = $"new global::System.Span<double>(_batchStatistics, {I(offset)}, {I(2 * c)})";
                using (w.WriteBlock($"// layer {l.Index}: BatchNorm '{l.Name}', {I(c)} channels, {I(rowsPerSample)} values per channel and sample"))
                {
                    w.WriteLine("long count = 0;");
                    using (w.WriteBlock("foreach (var part in workspaces)"))
                    {
                        w.WriteLine("if (part is TrainingWorkspace workspace && workspace.StatisticsSamples > 0) "
                            + $"{Kernels}.MergeStatistics({accumulator}, ref count, workspace.Layer{l.Index}BatchMean, workspace.Layer{l.Index}BatchVariance, workspace.StatisticsSamples * {I(rowsPerSample)}L);");
                    }
                    w.WriteLine($"if (_frozen[{I(l.Index)}]) {{ {accumulator}.Clear(); }}");
                    w.WriteLine($"else {Kernels}.UpdateRunningStatistics({BatchNormEmitter.RunningMean(l, Parameters)}, {BatchNormEmitter.RunningVariance(l, Parameters)}, "
                        + $"{Literal.Float(l.BatchNorm!.Momentum)}, {accumulator}, ref count);");
                }
                offset += 2 * c;
            }
            using (w.WriteBlock("foreach (var part in workspaces)"))
            {
                w.WriteLine("if (part is TrainingWorkspace workspace) workspace.StatisticsSamples = 0;");
            }
        }
    }
}
