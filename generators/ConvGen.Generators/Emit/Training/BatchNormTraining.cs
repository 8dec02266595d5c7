using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// BatchNorm in the training members: the three forward modes (frozen: running statistics as
/// at inference; training: the batch's statistics, exchanged between the threads that share the
/// batch through <c>workspace.Share</c>; evaluation: running statistics, x̂
/// kept for a backward pass), backward through the statistics, and the running-average update
/// that merges every thread's batch statistics after the step.
/// </summary>
internal static class BatchNormTraining
{
    private const string Kernels = "global::ConvGen.Kernels.BatchNormKernels";

    /// <summary>The layer's γ, β, running mean and running variance: the network's views of them (e.g. <c>BnGamma</c>).</summary>
    private readonly record struct Tensors(string Gamma, string Beta, string RunningMean, string RunningVariance)
    {
        public static Tensors Of(NetworkModel model, LayerPlan l)
        {
            var bn = l.BatchNorm!;
            return new Tensors(NetworkClassEmitter.ParameterView(model, bn.GammaOffset), NetworkClassEmitter.ParameterView(model, bn.BetaOffset),
                NetworkClassEmitter.ParameterView(model, bn.MeanOffset), NetworkClassEmitter.ParameterView(model, bn.VarianceOffset));
        }
    }

    public static void WriteForward(TrainingStep step, string input, string output)
    {
        var w = step.Writer;
        var l = step.Layer;
        int i = l.Index;
        var t = Tensors.Of(step.Model, l);
        string y = TrainingStep.Batch(output, l.Output.Length);
        string xHat = TrainingStep.Batch($"workspace.Layer{i}Normalized", l.Output.Length);
        string epsilon = Literal.Float(l.BatchNorm!.Epsilon);
        w.WriteLine($"// BatchNorm '{l.Name}' {l.Description}  {l.Input} -> {l.Output}");
        // The runtime picks the mode: running statistics when frozen, the batch's when training, else running ones keeping x-hat.
        w.WriteLine($"{Kernels}.TrainingPassForward(_frozen[{I(i)}], batchStatistics, {input}, {y}, {xHat}, {t.Gamma}, {t.Beta}, {t.RunningMean}, {t.RunningVariance}, {epsilon}, "
            + $"workspace.Layer{i}BatchMean, workspace.Layer{i}BatchVariance, workspace.Layer{i}InverseStd, workspace.Share);");
    }

    /// <param name="needsInput">Condition under which the input gradient is wanted; null when the layer reads the network input.</param>
    public static void WriteBackward(TrainingStep step, string? needsInput)
    {
        var w = step.Writer;
        var l = step.Layer;
        var bn = l.BatchNorm!;
        int i = l.Index;
        var t = Tensors.Of(step.Model, l);
        string dy = TrainingStep.Batch("gradient", l.Output.Length);
        string dx = TrainingStep.Batch("spare", l.Output.Length);
        using (w.WriteBlock($"if (_frozen[{I(i)}])"))
        {
            if (needsInput is not null)
            {
                w.WriteLine($"if ({needsInput}) {{ {Kernels}.FrozenInputGradient({dy}, {t.Gamma}, {t.RunningVariance}, {Literal.Float(bn.Epsilon)}, {dx}); (gradient, spare) = (spare, gradient); }}");
            }
        }
        using (w.WriteBlock("else"))
        {
            w.WriteLine($"bool inputGradient = {needsInput ?? "false"};");
            w.WriteLine($"{Kernels}.Backward({dy}, {TrainingStep.Batch($"workspace.Layer{i}Normalized", l.Output.Length)}, {t.Gamma}, workspace.Layer{i}InverseStd, "
                + $"{TrainingStep.Chunks}, {I(bn.GammaOffset)}, {I(bn.BetaOffset)}, inputGradient ? {dx} : default, workspace.UsedBatchStatistics, workspace.Share);");
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
            // An index loop: foreach over the interface would allocate an enumerator per layer and step.
            const string EachWorkspace = "for (int part = 0; part < workspaces.Count; part++)";
            int offset = 0;
            foreach (var l in layers)
            {
                int c = l.Output.Channels;
                long rowsPerSample = l.Output.Length / c;
                var t = Tensors.Of(model, l);
                using (w.WriteBlock($"// layer {l.Index}: BatchNorm '{l.Name}', {I(c)} channels, {I(rowsPerSample)} values per channel and sample"))
                {
                    w.WriteLine($"var statistics = new global::System.Span<double>(_batchStatistics, {I(offset)}, {I(2 * c)});");
                    w.WriteLine("long count = 0;");
                    using (w.WriteBlock(EachWorkspace))
                    {
                        w.WriteLine("if (workspaces[part] is TrainingWorkspace workspace && workspace.StatisticsSamples > 0) "
                            + $"{Kernels}.MergeStatistics(statistics, ref count, workspace.Layer{l.Index}BatchMean, workspace.Layer{l.Index}BatchVariance, workspace.StatisticsSamples * {I(rowsPerSample)}L);");
                    }
                    w.WriteLine($"if (_frozen[{I(l.Index)}]) statistics.Clear();");
                    w.WriteLine($"else {Kernels}.UpdateRunningStatistics({t.RunningMean}, {t.RunningVariance}, {Literal.Float(l.BatchNorm!.Momentum)}, statistics, ref count);");
                }
                offset += 2 * c;
            }
            using (w.WriteBlock(EachWorkspace))
            {
                w.WriteLine("if (workspaces[part] is TrainingWorkspace workspace) workspace.StatisticsSamples = 0;");
            }
        }
    }
}
