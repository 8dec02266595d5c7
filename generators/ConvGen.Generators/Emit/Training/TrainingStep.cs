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
    private const string Span = "global::System.Span<float>";

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

    /// <summary>The generated kernel class, <c>global::ConvGen.Generated.{Class}Kernels</c>.</summary>
    public string Kernels { get; }

    /// <summary>Index of the layer whose activation is the network's last (-1: none); a loss on the logits skips what lies above it.</summary>
    public int LastActivationLayer { get; }

    /// <summary>The buffer read as input (the first source's).</summary>
    public string Input => Buffers.Input[Layer.Index];

    /// <summary>The buffer of the value before the activation (the output when there is none).</summary>
    public string PreActivation => Buffers.PreActivation[Layer.Index];

    public string Output => Buffers.Output[Layer.Index];

    /// <summary>The buffers of every source, each sliced to this batch.</summary>
    public string SourceSlices => string.Join(", ", Buffers.Sources[Layer.Index].Select(b => Slice(b, $"batch * {I(Layer.Output.Length)}")));

    /// <summary><c>[H,W,C] -> [N]</c>, for comments.</summary>
    public string Shapes => $"{Layer.Input} -> {Layer.Output}";

    /// <summary>The condition under which backward wants this layer's input gradient: it will reach the layer that receives it.</summary>
    public string NeedsInputGradient => $"lowestTrainable < {I(Layer.Source + 1)}";

    /// <summary>The running gradient sliced to this layer's output.</summary>
    public string OutputGradient => $"new {Span}(gradient, 0, batch * {I(Layer.Output.Length)})";

    /// <summary><c>{Kernels}.{method}({arguments}); // Kind 'name' shapes</c>.</summary>
    public void CallKernel(string method, string arguments) =>
        Writer.WriteLine($"{Kernels}.{method}({arguments}); // {Layer.Kind} '{Layer.Name}' {Shapes}");

    /// <summary>The layer's own activation from <see cref="PreActivation"/> into <see cref="Output"/>, when it has one.</summary>
    public void ApplyActivation()
    {
        if (Layer.HasActivation)
        {
            WriteActivation(PreActivation, Output);
        }
    }

    /// <summary>Copies <paramref name="from"/> into <paramref name="to"/> and applies the layer's activation there.</summary>
    public void WriteActivation(string from, string to)
    {
        var l = Layer;
        Writer.WriteLine($"{Slice(from, $"batch * {I(l.Output.Length)}")}.CopyTo({to});");
        Writer.WriteLine($"global::ConvGen.Kernels.ActivationKernels.Apply({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, "
            + $"new {Span}({to}, 0, batch * {I(l.Output.Length)}), {I(l.Output.Channels)});");
    }

    /// <summary>A read-only slice of a training buffer (or of the inputs).</summary>
    public static string Slice(string buffer, string length) =>
        buffer == TrainingBufferPlan.Inputs ? $"inputs.Slice(0, {length})" : $"new global::System.ReadOnlySpan<float>({buffer}, 0, {length})";
}
