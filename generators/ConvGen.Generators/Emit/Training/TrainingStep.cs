using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// One layer's place in ForwardTraining or Backward, as a layer kind's descriptor writes its lines
/// (<see cref="ILayerEmitter.WriteForwardTraining"/>, <see cref="ILayerEmitter.WriteBackward"/>):
/// the writer, its buffers, and the phrases every kind uses.
/// </summary>
internal sealed class TrainingStep
{
    public TrainingStep(IndentedTextWriter writer, NetworkModel model, LayerPlan layer, TrainingBufferPlan buffers, string kernels, int lastActivationLayer)
    {
        Writer = writer;
        Model = model;
        Layer = layer;
        Buffers = buffers;
        Kernels = kernels;
        LastActivationLayer = lastActivationLayer;
    }

    public IndentedTextWriter Writer { get; }

    public NetworkModel Model { get; }

    public LayerPlan Layer { get; }

    public TrainingBufferPlan Buffers { get; }

    /// <summary>The generated kernel class, <c>{Class}Kernels</c> (the file's alias of <c>global::ConvGen.Generated.{Class}Kernels</c>).</summary>
    public string Kernels { get; }

    /// <summary>Index of the layer whose activation is the network's last (-1: none); a loss on the logits skips what lies above it.</summary>
    public int LastActivationLayer { get; }

    /// <summary>The buffer read as input (the first source's).</summary>
    public string Input => Buffers.Input[Layer.Index];

    /// <summary>The buffer of the value before the activation (the output when there is none).</summary>
    public string PreActivation => Buffers.PreActivation[Layer.Index];

    public string Output => Buffers.Output[Layer.Index];

    /// <summary>The buffers of every source, each sliced to this batch.</summary>
    public string SourceSlices => string.Join(", ", Buffers.Sources[Layer.Index].Select(b => Batch(b, Layer.Output.Length)));

    /// <summary><c>[H,W,C] -> [N]</c>, for comments.</summary>
    public string Shapes => $"{Layer.Input} -> {Layer.Output}";

    /// <summary>The condition under which backward wants this layer's input gradient: it will reach the layer that receives it.</summary>
    public string NeedsInputGradient => $"lowestTrainable < {I(Layer.Source + 1)}";

    /// <summary>The running gradient sliced to this layer's output.</summary>
    public string OutputGradient => Batch("gradient", Layer.Output.Length);

    /// <summary>
    /// The local the generated Backward declares: the workspace's chunks of the batch, through
    /// which parameter gradients are computed chunk by chunk (see <c>ConvGen.Parallel.GradientChunks</c>).
    /// </summary>
    public const string Chunks = "chunks";

    /// <summary>
    /// A weight-gradient kernel of the common signature <c>(input, outputGradient, gradients, batch)</c>
    /// run chunk by chunk into parameters <paramref name="offset"/>..+<paramref name="length"/>.
    /// </summary>
    public string ChunkedWeightGradient(string method, string input, long inputPerSample, string outputGradient, long gradientPerSample, int offset, int length) =>
        $"{Chunks}.WeightGradient({Kernels}.{method}, {input}, {I(inputPerSample)}, {outputGradient}, {I(gradientPerSample)}, {I(offset)}, {I(length)});";

    /// <summary><c>{Kernels}.{method}({arguments}); // Kind 'name' shapes</c>.</summary>
    public void CallKernel(string method, string arguments) =>
        Writer.WriteLine($"{Kernels}.{method}({arguments}); // {Layer.Kind} '{Layer.Name}' {Shapes}");

    /// <summary>
    /// The argument the forward call of a layer with a fused activation adds so that its kernel
    /// writes the pre-activation, unless the kernel stores the activation itself
    /// (<see cref="TrainingBufferPlan.StoresActivationInKernel"/>; see <c>Conv2DEmitter.ActivateParameter</c>).
    /// </summary>
    public string KeepPreActivation => Layer.HasActivation && PreActivation != Output ? ", activate: false" : "";

    /// <summary>The layer's own activation from <see cref="PreActivation"/> into <see cref="Output"/>, when it has one its kernel did not store.</summary>
    public void ApplyActivation()
    {
        if (Layer.HasActivation && PreActivation != Output)
        {
            WriteActivation(PreActivation, Output);
        }
    }

    /// <summary>Copies <paramref name="from"/> into <paramref name="to"/> and applies the layer's activation there.</summary>
    public void WriteActivation(string from, string to)
    {
        var l = Layer;
        Writer.WriteLine($"global::ConvGen.Kernels.ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, "
            + $"{Batch(from, l.Output.Length)}, {to}, {I(l.Output.Channels)});");
    }

    /// <summary>
    /// The batch's part of a training buffer (its first <c>batch * perSample</c> floats) through the
    /// <see cref="BatchView"/> local function, or of the inputs.
    /// </summary>
    public static string Batch(string buffer, long perSample) => Batch(buffer, I(perSample));

    /// <inheritdoc cref="Batch(string, long)"/>
    public static string Batch(string buffer, string perSample) =>
        buffer == TrainingBufferPlan.Inputs ? $"inputs.Slice(0, batch * {perSample})" : $"{BatchView}({buffer}, {perSample})";

    /// <summary>The local function ForwardTraining and Backward declare for <see cref="Batch(string, long)"/> (a local, so it cannot clash with user members).</summary>
    public const string BatchView = "Batch";

    /// <summary>
    /// Ends a method body that started at <paramref name="start"/> (a <see cref="IndentedTextWriter.Length"/>):
    /// declares <see cref="BatchView"/> when the body uses it (an unused local function would be a warning).
    /// </summary>
    public static void WriteBatchView(IndentedTextWriter w, int start)
    {
        if (!UsesBatchView(w.TextSince(start)))
        {
            return;
        }
        w.WriteLine();
        w.WriteLine("// The part of a per-sample buffer this batch uses: its first batch * perSample floats.");
        w.WriteLine($"global::System.Span<float> {BatchView}(float[] buffer, int perSample) => new global::System.Span<float>(buffer, 0, batch * perSample);");
    }

    /// <summary>Whether code (not a comment, where layer names appear) calls <see cref="BatchView"/>.</summary>
    private static bool UsesBatchView(string body)
    {
        foreach (string line in body.Split('\n'))
        {
            int comment = line.IndexOf("//", System.StringComparison.Ordinal);
            string code = comment < 0 ? line : line.Substring(0, comment);
            for (int at = code.IndexOf(BatchView + "(", System.StringComparison.Ordinal); at >= 0; at = code.IndexOf(BatchView + "(", at + 1, System.StringComparison.Ordinal))
            {
                if (at == 0 || !(char.IsLetterOrDigit(code[at - 1]) || code[at - 1] == '_'))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
