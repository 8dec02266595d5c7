using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Which buffers each layer reads and writes at inference. Identity layers (Flatten, Dropout)
/// reuse their input, folded layers their convolution's output (a convolution that stores a
/// residual Add's sum writes the Add's buffer); the layer that computes the network output writes straight into the
/// caller's output (layers that read it later read it there).
/// Buffer names: <c>inputs</c>, <c>outputs</c>, or a workspace field <c>Layer{i}Output</c>.
/// </summary>
internal sealed class BufferPlan
{
    public const string Inputs = "inputs";
    public const string Outputs = "outputs";

    private BufferPlan(string[][] reads, string[] writes, List<(string Field, int Layer, long Length)> fields, bool copyInputToOutput)
    {
        Sources = reads;
        Writes = writes;
        Fields = fields;
        CopyInputToOutput = copyInputToOutput;
    }

    /// <summary>Per layer, the buffer of each layer it reads (two for Add).</summary>
    public string[][] Sources { get; }

    public string[] Writes { get; }

    /// <summary>Workspace fields: name, producing layer, floats per sample.</summary>
    public List<(string Field, int Layer, long Length)> Fields { get; }

    /// <summary>True when no layer computes anything at inference (the network is a reshape).</summary>
    public bool CopyInputToOutput { get; }

    public static BufferPlan For(NetworkModel model)
    {
        int count = model.Layers.Count;
        var reads = new string[count][];
        var writes = new string[count];
        var fields = new List<(string, int, long)>();
        // The layer whose buffer is the network output: the last layer, looking through the
        // identity layers (which alias their source) to the one that computes it.
        int producer = count - 1;
        while (producer >= 0 && model.Layers[producer].IsIdentityAtInference)
        {
            var identity = model.Layers[producer];
            producer = identity.FoldedInto >= 0 ? identity.FoldedInto : identity.Source;
        }
        for (int i = 0; i < count; i++)
        {
            var layer = model.Layers[i];
            reads[i] = layer.Sources.Select(s => s < 0 ? Inputs : writes[s]).ToArray();
            if (layer.IsIdentityAtInference)
            {
                // A folded layer's output is its convolution's (a residual Add's is not its first summand's).
                writes[i] = layer.FoldedInto >= 0 ? writes[layer.FoldedInto] : reads[i][0];
                continue;
            }
            if (i == producer)
            {
                writes[i] = Outputs;
            }
            else
            {
                // A convolution that stores a residual Add's sum writes the Add's buffer (the summands' stay as they are: every layer has its own).
                int owner = layer.ResidualAdd >= 0 ? layer.ResidualAdd : i;
                writes[i] = $"Layer{owner}Output";
                fields.Add((writes[i], owner, model.Layers[owner].Output.Length));
            }
        }
        return new BufferPlan(reads, writes, fields, producer < 0);
    }
}
