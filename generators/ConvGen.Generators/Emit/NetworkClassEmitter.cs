using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>Writes the members added to the user's partial class.</summary>
internal static class NetworkClassEmitter
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    public static void Emit(IndentedTextWriter w, NetworkModel model, BufferPlan buffers, LayerTable<ILayerEmitter> layers)
    {
        string name = Identifier.Escape(model.ClassName);
        var input = model.Input;
        var output = model.Output;
        var tensors = model.ParameterTensors;
        int parameterCount = model.Layers.Sum(l => l.ParameterCount);

        w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"ConvGen.Generators\", \"{GeneratorInfo.Version}\")]");
        string statistics = model.HasRunningStatistics ? ", global::ConvGen.IRunningStatistics" : "";
        using (w.WriteBlock($"partial class {name} : global::ConvGen.ITrainableNetwork{statistics}"))
        {
            WriteConstants(w, model, parameterCount);
            w.WriteLine();
            WriteMetadata(w, model, tensors, layers);
            w.WriteLine();
            w.WriteLine($"private readonly float[] _parameters = CreateParameters(0);");
            w.WriteLine("private Workspace? _workspace;");
            w.WriteLine();
            ClassMembers.Inherited(w, $"public global::ConvGen.TensorShape InputShape => {ShapeExpression(input)};");
            ClassMembers.Inherited(w, $"public global::ConvGen.TensorShape OutputShape => {ShapeExpression(output)};");
            ClassMembers.Inherited(w, "public global::System.Collections.Generic.IReadOnlyList<global::ConvGen.LayerInfo> Layers => s_layers;");
            ClassMembers.Inherited(w, "public global::System.Collections.Generic.IReadOnlyList<global::ConvGen.ParameterInfo> ParameterTensors => s_parameterTensors;");
            ClassMembers.Inherited(w, $"public {Span} Parameters => _parameters;");
            w.WriteLine();
            foreach (var tensor in tensors)
            {
                w.WriteLine($"/// <summary>{Literal.XmlText(tensor.Name)}, {tensor.Layout} {tensor.ShapeText}.</summary>");
                w.WriteLine($"public {Span} {tensor.Property} => new(_parameters, {I(tensor.Offset)}, {I(tensor.Length)});");
            }
            if (tensors.Count > 0)
            {
                w.WriteLine();
            }

            if (model.HasParameterlessConstructor)
            {
                w.WriteLine($"/// <summary>Creates the network with weights initialised from <paramref name=\"seed\"/>.</summary>");
                using (w.WriteBlock($"public static {name} Create(ulong seed)"))
                {
                    w.WriteLine($"var network = new {name}();");
                    w.WriteLine("network.InitializeParameters(seed);");
                    w.WriteLine("return network;");
                }
                w.WriteLine();
            }

            ClassMembers.Inherited(w, "public void InitializeParameters(ulong seed) => InitializeParameters(_parameters, seed);");
            w.WriteLine();
            WriteInitialization(w, tensors);
            w.WriteLine();
            ClassMembers.Inherited(w, "public global::ConvGen.IInferenceWorkspace CreateInferenceWorkspace(int capacity) => new Workspace(capacity) { Network = this };");
            w.WriteLine();
            WritePredict(w, name);
            w.WriteLine();
            WriteForward(w, model, buffers, layers);
            w.WriteLine();
            WriteWorkspace(w, model, buffers);
            w.WriteLine();
            Training.TrainingMembersEmitter.Emit(w, model, layers);
        }
    }

    private static void WriteConstants(IndentedTextWriter w, NetworkModel model, int parameterCount)
    {
        var input = model.Input;
        foreach (var (summary, name, value) in new[]
        {
            ("Input height in pixels.", "InputHeight", (long)input.Height),
            ("Input width in pixels.", "InputWidth", input.Width),
            ("Input channels.", "InputChannels", input.Channels),
            ("Floats per input sample (H x W x C).", "InputLength", input.Length),
            ("Floats per output sample.", "OutputLength", model.Output.Length),
            ("Floats in the parameter buffer: every layer's parameters (and BatchNorm running statistics).", "ParameterCount", parameterCount),
            ("Number of layers (not counting the input).", "LayerCount", model.Layers.Count),
        })
        {
            w.WriteLine($"/// <summary>{summary}</summary>");
            w.WriteLine($"public const int {name} = {I(value)};");
        }
    }

    private static void WriteMetadata(IndentedTextWriter w, NetworkModel model, EquatableArray<ParameterTensor> tensors, LayerTable<ILayerEmitter> layers)
    {
        using (w.WriteBlock("private static readonly global::ConvGen.LayerInfo[] s_layers =", "};"))
        {
            foreach (var l in model.Layers)
            {
                w.WriteLine($"new({I(l.Index)}, {Literal.String(l.Name)}, {Literal.String(l.Kind.ToString())}, {Literal.String(l.Description)}, "
                    + $"{ShapeExpression(l.Input)}, {ShapeExpression(l.Output)}, {I(l.ParameterCount)}, "
                    + $"new[] {{ {string.Join(", ", l.SourceNames.Select(Literal.String))} }}, {I(l.StateCount)}, "
                    + $"{layers[l.Kind].ConfigExpression(l)}),");
            }
        }
        w.WriteLine();
        using (w.WriteBlock("private static readonly global::ConvGen.ParameterInfo[] s_parameterTensors =", "};"))
        {
            foreach (var t in tensors)
            {
                w.WriteLine($"new({Literal.String(t.Name)}, {Literal.String(t.LayerName)}, {I(t.LayerIndex)}, new[] {{ {string.Join(", ", t.Shape.Select(d => I(d)))} }}, "
                    + $"{Literal.String(t.Layout)}, {I(t.Offset)}, {I(t.Length)}{(t.Trainable ? "" : ", Trainable: false")}),");
            }
        }
    }

    // Target-typed: the LayerInfo parameters are TensorShapes.
    private static string ShapeExpression(Shape s) => $"new({I(s.Height)}, {I(s.Width)}, {I(s.Channels)}, {I(s.Rank)})";

    private static void WriteInitialization(IndentedTextWriter w, EquatableArray<ParameterTensor> tensors)
    {
        using (w.WriteBlock("private static float[] CreateParameters(ulong seed)"))
        {
            w.WriteLine("var parameters = new float[ParameterCount];");
            w.WriteLine("InitializeParameters(parameters, seed);");
            w.WriteLine("return parameters;");
        }
        w.WriteLine();
        w.WriteLine("// Weights: He uniform before ReLU-family activations, Glorot uniform otherwise; biases zero.");
        w.WriteLine("// Each tensor draws from its own stream of the seed, so adding a layer leaves the others' weights unchanged.");
        using (w.WriteBlock($"private static void InitializeParameters({Span} parameters, ulong seed)"))
        {
            for (int i = 0; i < tensors.Count; i++)
            {
                var t = tensors[i];
                w.WriteLine($"global::ConvGen.WeightInitializer.Fill(parameters.Slice({I(t.Offset)}, {I(t.Length)}), global::ConvGen.WeightInit.{t.Init}, {I(t.FanIn)}, {I(t.FanOut)}, seed, {I(i)}); // {t.Name}");
            }
        }
    }

    private static void WritePredict(IndentedTextWriter w, string name)
    {
        w.WriteLine("/// <inheritdoc/>");
        using (w.WriteBlock($"public void Predict({ReadOnlySpan} inputs, {Span} outputs)"))
        {
            w.WriteLine($"int batch = global::ConvGen.Kernels.Guard.BatchSize(\"{name.TrimStart('@')}\", inputs.Length, InputLength, outputs.Length, OutputLength);");
            w.WriteLine($"int chunk = global::System.Math.Min(batch, {I(NetworkEmitter.InferenceChunk)});");
            w.WriteLine("if (_workspace is null || _workspace.Capacity < chunk)");
            using (w.WriteBlock())
            {
                w.WriteLine("_workspace = new Workspace(chunk);");
            }
            using (w.WriteBlock("for (int start = 0; start < batch; start += chunk)"))
            {
                w.WriteLine("int count = global::System.Math.Min(chunk, batch - start);");
                w.WriteLine("Forward(inputs.Slice(start * InputLength, count * InputLength), outputs.Slice(start * OutputLength, count * OutputLength), _workspace);");
            }
        }
    }

    private static void WriteForward(IndentedTextWriter w, NetworkModel model, BufferPlan buffers, LayerTable<ILayerEmitter> layers)
    {
        w.WriteLine("/// <summary>Inference on at most <see cref=\"Workspace.Capacity\"/> samples with the given workspace, whose threads (if any) share each layer's rows.</summary>");
        w.WriteLine(OptimisedAtFirstCall);
        using (w.WriteBlock($"public void Forward({ReadOnlySpan} inputs, {Span} outputs, global::ConvGen.IInferenceWorkspace inferenceWorkspace)"))
        {
            w.WriteLine($"int batch = global::ConvGen.Kernels.Guard.BatchSize(\"{model.ClassName}\", inputs.Length, InputLength, outputs.Length, OutputLength);");
            ClassMembers.ThrowIf(w, "inferenceWorkspace is not Workspace workspace",
                $"new global::System.ArgumentException(\"{model.ClassName}: the workspace was not created by {model.ClassName}.CreateInferenceWorkspace.\", nameof(inferenceWorkspace))");
            ClassMembers.ThrowIf(w, "batch > workspace.Capacity",
                $"new global::System.ArgumentException($\"{model.ClassName}: a batch of {{batch}} does not fit a workspace for {{workspace.Capacity}} samples.\", nameof(inferenceWorkspace))");
            if (buffers.CopyInputToOutput)
            {
                w.WriteLine("inputs.CopyTo(outputs);");
                return;
            }
            string kernels = NetworkEmitter.KernelClass(model);
            // A frozen workspace keeps the folded and prepared weights of its FreezeWeights.
            using (BatchNormFolding.Length(model) > 0 ? w.WriteBlock("if (!workspace.WeightsFrozen)") : (System.IDisposable?)null)
            {
                BatchNormFolding.WriteFold(w, model);
            }
            var prepared = PreparedWeights.For(model);
            // A static lambda (what it reads comes in as arguments): a forward pass allocates no closure.
            using (w.WriteBlock($"workspace.Run<Workspace>(_parameters, inputs, outputs, batch, {OptimisedAtFirstCall} static (_parameters, workspace, inputs, outputs, rows) =>", "});"))
            {
                if (model.Layers.Any(l => l.FoldedInto < 0 && !l.IsIdentityAtInference && !layers[l.Kind].SplitsRows))
                {
                    w.WriteLine("int batch = rows.Batch;");
                }
                if (prepared.Count > 0)
                {
                    string folded = BatchNormFolding.Length(model) > 0 ? $"workspace.{BatchNormFolding.Buffer}, " : "";
                    w.WriteLine($"if (!workspace.WeightsFrozen) {{ {kernels}.PrepareWeights(_parameters, {folded}workspace.{PreparedWeights.Buffer}, rows); rows.Wait(); }}");
                }
                bool? previousSplits = null; // of the last layer that computes: null before the first
                foreach (var layer in model.Layers)
                {
                    if (layer.FoldedInto >= 0)
                    {
                        w.WriteLine($"// layer {layer.Index} {layer.Kind} '{layer.Name}': folded into layer {layer.FoldedInto} {layer.Input} -> {layer.Output}");
                        continue;
                    }
                    if (layer.IsIdentityAtInference)
                    {
                        w.WriteLine($"// layer {layer.Index} {layer.Kind} '{layer.Name}': identity at inference {layer.Input} -> {layer.Output}");
                        continue;
                    }
                    var emitter = layers[layer.Kind];
                    // Two layers that only the lead runs need no barrier between them.
                    // The barrier on the layer's line: a line of its own per layer would cost the snapshots' byte budgets.
                    string wait = previousSplits is bool splits && (splits || emitter.SplitsRows) ? "rows.Wait(); " : "";
                    previousSplits = emitter.SplitsRows;
                    string lead = wait + (emitter.SplitsRows ? "" : "if (rows.Lead) ");
                    string count = emitter.SplitsRows ? "rows" : "batch";
                    var own = prepared.Find(p => p.Plan.Index == layer.Index);
                    string preparedArgument = own is null ? "" : $", prepared: new global::System.Span<float>(workspace.{PreparedWeights.Buffer}, {I(own.Offset)}, {I(own.Length)})";
                    if (layer.ResidualAdd >= 0)
                    {
                        var add = model.Layers[layer.ResidualAdd];
                        string skip = Buffer(buffers.Sources[add.Index][add.Sources[0] == ResidualSummand(model, layer) ? 1 : 0]);
                        string folded = layer.FoldedOffset >= 0 ? $"workspace.{BatchNormFolding.Buffer}, " : "";
                        w.WriteLine($"{lead}{kernels}.{ResidualFolding.KernelName(layer)}(_parameters, {folded}{Buffer(buffers.Sources[layer.Index][0])}, {skip}, {Buffer(buffers.Writes[layer.Index])}, {count}{preparedArgument}); // {layer.Input} -> {layer.Output} with '{add.Name}'");
                        continue;
                    }
                    if (layer.FoldedOffset >= 0)
                    {
                        w.WriteLine($"{lead}{kernels}.{BatchNormFolding.KernelName(layer)}({(emitter.FoldedKernelReadsParameters || layer.FoldsInStore ? "_parameters, " : "")}workspace.{BatchNormFolding.Buffer}, {Buffer(buffers.Sources[layer.Index][0])}, {Buffer(buffers.Writes[layer.Index])}, {count}{preparedArgument}); // {layer.Input} -> {layer.Output} with '{model.Layers[layer.Index + 1].Name}'");
                        continue;
                    }
                    string read = string.Join(", ", buffers.Sources[layer.Index].Select(Buffer));
                    string write = Buffer(buffers.Writes[layer.Index]);
                    string parameters = emitter.ReadsParameters ? "_parameters, " : "";
                    w.WriteLine($"{lead}{kernels}.{MethodName(layer)}({parameters}{read}, {write}, {count}{preparedArgument}); // {layer.Input} -> {layer.Output}");
                }
            }
        }
    }

    /// <summary>The Add's summand that <paramref name="conv"/> computes: the BatchNorm folded into it, or itself.</summary>
    private static int ResidualSummand(NetworkModel model, LayerPlan conv) =>
        conv.FoldedOffset >= 0 ? conv.Index + 1 : conv.Index;

    /// <summary>The network's view of the parameter tensor at <paramref name="offset"/>: its property (e.g. <c>StemBnGamma</c>), which generated code reads instead of slicing the buffer again.</summary>
    public static string ParameterView(NetworkModel model, int offset) =>
        model.ParameterTensors.First(t => t.Offset == offset && t.Length > 0).Property;

    private static string Buffer(string name) => name is BufferPlan.Inputs or BufferPlan.Outputs ? name : "workspace." + name;

    private static void WriteWorkspace(IndentedTextWriter w, NetworkModel model, BufferPlan buffers)
    {
        using (WorkspaceClass.Open(w, "Intermediate activations for up to <see cref=\"Capacity\"/> samples; one per calling thread.",
            "Workspace", "global::ConvGen.InferenceWorkspace", overridesCapacity: true))
        {
            foreach (var (field, layer, length) in buffers.Fields)
            {
                var l = model.Layers[layer];
                WorkspaceClass.WriteBuffer(w, field, $"capacity * {I(length)}", $"{l.Name} output {l.Output}");
            }
            if (BatchNormFolding.Length(model) > 0)
            {
                WorkspaceClass.WriteBuffer(w, BatchNormFolding.Buffer, I(BatchNormFolding.Length(model)), "convolution weights and biases with the BatchNorm after them folded in");
            }
            if (PreparedWeights.Length(model) > 0)
            {
                WorkspaceClass.WriteBuffer(w, PreparedWeights.Buffer, I(PreparedWeights.Length(model)), "packed and transformed weights (PrepareWeights)");
            }
            if (WinogradPlan.SharedTilesLength(model) is int sharedTiles and > 0)
            {
                // The threads of a split workspace transform a Winograd layer's input tiles together into one buffer of this length.
                ClassMembers.Inherited(w, $"protected override int SharedTilesLength => {I(sharedTiles)};");
            }
        }
    }
}
