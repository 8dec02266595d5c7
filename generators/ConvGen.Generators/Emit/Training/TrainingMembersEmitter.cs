using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Writes the training members of the network class: freezing, the training workspace,
/// the training forward pass and the backward pass (straight-line code, one call per layer,
/// each with its shapes in a comment).
/// </summary>
internal static class TrainingMembersEmitter
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    public static void Emit(IndentedTextWriter w, NetworkModel model, LayerTable<ILayerEmitter> layers)
    {
        var plan = TrainingBufferPlan.For(model, layers);
        string kernels = NetworkEmitter.KernelClass(model);
        var last = model.Layers[model.Layers.Count - 1];

        w.WriteLine("private readonly bool[] _frozen = new bool[LayerCount];");
        w.WriteLine();
        foreach (string member in new[]
        {
            $"public global::ConvGen.Activation OutputActivation => {RuntimeActivation(model.LastActivation)};",
            "public bool IsFrozen(int layerIndex) => _frozen[layerIndex];",
            "public void SetFrozen(int layerIndex, bool frozen) => _frozen[layerIndex] = frozen;",
            "public global::ConvGen.ITrainingWorkspace CreateTrainingWorkspace(int capacity) => new TrainingWorkspace(capacity);",
        })
        {
            ClassMembers.Inherited(w, member);
            w.WriteLine();
        }
        WriteForwardTraining(w, model, plan, kernels, layers);
        w.WriteLine();
        WriteBackward(w, model, plan, kernels, layers);
        w.WriteLine();
        if (HasBatchNorm(model))
        {
            BatchNormTraining.WriteRunningStatistics(w, model);
            w.WriteLine();
        }
        WriteWorkspace(w, model, plan);
    }

    private static void WriteForwardTraining(IndentedTextWriter w, NetworkModel model, TrainingBufferPlan plan, string kernels, LayerTable<ILayerEmitter> layers)
    {
        w.WriteLine("/// <inheritdoc/>");
        string signature = $"public void ForwardTraining({ReadOnlySpan} inputs, global::ConvGen.ITrainingWorkspace trainingWorkspace, int batch, global::ConvGen.DropoutContext dropout";
        if (HasBatchNorm(model))
        {
            // BatchNorm's mode is a flag of its own; the shorter overload keeps it tied to dropout.
            w.WriteLine($"{signature}) => ForwardTraining(inputs, trainingWorkspace, batch, dropout, dropout.Enabled);");
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            signature += ", bool batchStatistics";
        }
        using (w.WriteBlock(signature + ")"))
        {
            int start = w.Length;
            WriteWorkspaceCheck(w, model, "trainingWorkspace", "batch");
            ClassMembers.ThrowIf(w, "inputs.Length < batch * InputLength",
                $"new global::System.ArgumentException($\"{model.ClassName}: {{batch}} samples need {{batch * InputLength}} input floats but {{inputs.Length}} were given.\", nameof(inputs))");
            if (HasBatchNorm(model))
            {
                w.WriteLine("// BatchNorm normalises with the batch's statistics when training (batchStatistics; shared with the other threads through workspace.Share), with the running statistics otherwise.");
                w.WriteLine("workspace.UsedBatchStatistics = batchStatistics;");
                w.WriteLine("workspace.StatisticsSamples = batchStatistics ? batch : 0;");
            }
            int lastActivationLayer = model.LastActivationLayer;
            foreach (var l in model.Layers)
            {
                layers[l.Kind].WriteForwardTraining(new TrainingStep(w, model, l, plan, kernels, lastActivationLayer));
            }
            int lastIndex = model.Layers.Count - 1;
            string logits = plan.PreActivation[lastActivationLayer >= 0 ? lastActivationLayer : lastIndex];
            w.WriteLine($"{TrainingStep.Batch(logits, "OutputLength")}.CopyTo(workspace.Logits);");
            w.WriteLine($"{TrainingStep.Batch(plan.Output[lastIndex], "OutputLength")}.CopyTo(workspace.Outputs);");
            TrainingStep.WriteBatchView(w, start);
        }
    }

    private static void WriteBackward(IndentedTextWriter w, NetworkModel model, TrainingBufferPlan plan, string kernels, LayerTable<ILayerEmitter> layers)
    {
        int lastActivationLayer = model.LastActivationLayer;
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public void Backward({ReadOnlySpan} inputs, global::ConvGen.ITrainingWorkspace trainingWorkspace, int batch, bool gradientIsForLogits)");
        w.WriteLine("    => Backward(inputs, trainingWorkspace, batch, gradientIsForLogits, null);");
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        using (w.WriteBlock($"public void Backward({ReadOnlySpan} inputs, global::ConvGen.ITrainingWorkspace trainingWorkspace, int batch, bool gradientIsForLogits, global::ConvGen.BackwardProgress? progress)"))
        {
            int start = w.Length;
            WriteWorkspaceCheck(w, model, "trainingWorkspace", "batch");
            w.WriteLine("// Below the lowest trainable layer no gradient is needed, not even for its input.");
            w.WriteLine("int lowestTrainable = LayerCount;");
            using (w.WriteBlock("for (int i = LayerCount - 1; i >= 0; i--)"))
            {
                w.WriteLine($"if (!_frozen[i] && s_layers[i].ParameterCount > 0) lowestTrainable = i;");
            }
            // Parameter gradients chunk by chunk, as the training step split the batch; called
            // on its own, the whole batch is one chunk added into workspace.Gradients.
            w.WriteLine($"var {TrainingStep.Chunks} = global::ConvGen.Parallel.GradientChunks.Of(workspace, batch);");
            w.WriteLine("// After a layer's parameter gradients, progress?.GradientsFinalFrom(k): parameters k.. are final, their all-reduce may start.");
            w.WriteLine("float[] gradient = workspace.GradientA; // dLoss/d(output of the layer being processed)");
            w.WriteLine("float[] spare = workspace.GradientB;");
            w.WriteLine($"{TrainingStep.Batch("workspace.OutputGradientBuffer", "OutputLength")}.CopyTo(gradient);");
            for (int i = model.Layers.Count - 1; i >= 0; i--)
            {
                var l = model.Layers[i];
                int source = l.Source;
                w.WriteLine();
                w.WriteLine($"// layer {i}: {l.Kind} '{l.Name}'  d{l.Output} -> d{l.Input}{(l.Sources.Count == 1 && source == i - 1 ? "" : " to " + string.Join(" and ", l.SourceNames))}");
                w.WriteLine($"if (lowestTrainable > {I(i)}) return;");
                WriteCollectGradient(w, l, plan);
                if (l.HasActivation && !l.GradientInReader && !(i + 1 < model.Layers.Count && model.Layers[i + 1].MasksSourceRelu))
                {
                    string call = $"global::ConvGen.Kernels.TrainingKernels.ActivationBackward({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, "
                        + $"{plan.PreActivation[i]}, {plan.Output[i]}, {TrainingStep.Batch("gradient", l.Output.Length)}, {I(l.Output.Channels)});";
                    w.WriteLine(i == lastActivationLayer ? $"if (!gradientIsForLogits) {call}" : call);
                }
                layers[l.Kind].WriteBackward(new TrainingStep(w, model, l, plan, kernels, lastActivationLayer));
                if (!layers[l.Kind].RoutesSourceGradients)
                {
                    WriteRouteGradient(w, model, l, plan, layers[l.Kind]);
                }
            }
            TrainingStep.WriteBatchView(w, start);
        }
    }

    /// <summary>
    /// Before a layer's backward: its output gradient is what the next layer passed down the
    /// chain, plus (or, without a chain, only) what other readers left in its stash.
    /// </summary>
    private static void WriteCollectGradient(IndentedTextWriter w, LayerPlan l, TrainingBufferPlan plan)
    {
        int i = l.Index;
        if (plan.Stashed[i].Count == 0)
        {
            return;
        }
        string stash = TrainingStep.Batch(TrainingBufferPlan.StashName(i), l.Output.Length);
        w.WriteLine(plan.ReceivesChain[i]
            ? $"global::ConvGen.Kernels.GraphKernels.Accumulate({stash}, {TrainingStep.Batch("gradient", l.Output.Length)}); // + gradient from the other readers"
            : $"{stash}.CopyTo(gradient); // gradient from the layers that read it");
    }

    /// <summary>
    /// After a layer's backward: an input gradient for a source other than the previous layer
    /// goes to that source's stash (copied by the first reader backward visits, added by the rest).
    /// </summary>
    private static void WriteRouteGradient(IndentedTextWriter w, NetworkModel model, LayerPlan l, TrainingBufferPlan plan, ILayerEmitter kind)
    {
        int i = l.Index;
        for (int k = 0; k < l.Sources.Count; k++)
        {
            int source = l.Sources[k];
            if (k == plan.ChainOperand[i] || source < 0)
            {
                continue;
            }
            var target = model.Layers[source];
            string gradient = TrainingStep.Batch(kind.OperandGradient(l, k) ?? "gradient", target.Output.Length);
            string stash = TrainingStep.Batch(TrainingBufferPlan.StashName(source), target.Output.Length);
            bool first = plan.CopiesIntoStash(l, k);
            w.WriteLine($"if (lowestTrainable < {I(source + 1)}) "
                + (first ? $"{gradient}.CopyTo({stash}); // to '{target.Name}'" : $"global::ConvGen.Kernels.GraphKernels.Accumulate({gradient}, {stash}); // to '{target.Name}'"));
        }
    }

    private static bool HasBatchNorm(NetworkModel model) => model.HasRunningStatistics;

    private static void WriteWorkspaceCheck(IndentedTextWriter w, NetworkModel model, string parameter, string batch)
    {
        ClassMembers.ThrowIf(w, $"{parameter} is not TrainingWorkspace workspace",
            $"new global::System.ArgumentException(\"{model.ClassName}: the workspace was not created by {model.ClassName}.CreateTrainingWorkspace.\", nameof({parameter}))");
        ClassMembers.ThrowIf(w, $"{batch} <= 0 || {batch} > workspace.Capacity",
            $"new global::System.ArgumentOutOfRangeException(nameof({batch}), {batch}, $\"{model.ClassName}: the batch must be between 1 and the workspace capacity {{workspace.Capacity}}.\")");
    }

    private static void WriteWorkspace(IndentedTextWriter w, NetworkModel model, TrainingBufferPlan plan)
    {
        using (WorkspaceClass.Open(w, "Buffers of one training thread: every layer's activations, the gradient ping-pong pair and the parameter gradients.",
            "TrainingWorkspace", "global::ConvGen.ITrainingWorkspace"))
        {
            foreach (var field in plan.Fields)
            {
                WorkspaceClass.WriteBuffer(w, field.Name, $"capacity * {I(field.Length)}", field.Comment);
            }
            foreach (var field in plan.ScratchFields.Concat(plan.FixedFields))
            {
                WorkspaceClass.WriteBuffer(w, field.Name, I(field.Length), field.Comment);
            }
            if (HasBatchNorm(model))
            {
                w.WriteLine("internal bool UsedBatchStatistics; // the last forward pass normalised with batch statistics");
                w.WriteLine("internal int StatisticsSamples; // samples behind the recorded batch statistics, 0 once merged");
                w.WriteLine("/// <inheritdoc/>");
                w.WriteLine("public global::ConvGen.Parallel.BatchShare? Share { get; set; }");
            }
            w.WriteLine("/// <inheritdoc/>");
            w.WriteLine("public global::ConvGen.Parallel.GradientChunks? Chunks { get; set; }");
            WorkspaceClass.WriteBuffer(w, "GradientA", $"capacity * {I(plan.LargestActivation)}", "dLoss/d(a layer's output): the gradient ping-pong pair");
            WorkspaceClass.WriteBuffer(w, "GradientB", $"capacity * {I(plan.LargestActivation)}");
            WorkspaceClass.WriteBuffer(w, "LogitsBuffer", "capacity * OutputLength");
            WorkspaceClass.WriteBuffer(w, "OutputsBuffer", "capacity * OutputLength");
            WorkspaceClass.WriteBuffer(w, "OutputGradientBuffer", "capacity * OutputLength");
            WorkspaceClass.WriteBuffer(w, "GradientsBuffer", "ParameterCount");
            w.WriteLine();
            foreach (string view in new[] { "Logits", "Outputs", "OutputGradient", "Gradients" })
            {
                ClassMembers.Inherited(w, $"public {Span} {view} => {view}Buffer;");
            }
        }
    }

    public static string WeightGradientName(LayerPlan l) => MethodName(l) + "WeightGradient";

    public static string InputGradientName(LayerPlan l) => MethodName(l) + "InputGradient";

    public static string BackwardName(LayerPlan l) => MethodName(l) + "Backward";
}
