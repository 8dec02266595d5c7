using System.Collections.Generic;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Which buffer each layer reads and writes at inference. Identity layers (Flatten, Dropout)
/// reuse their input; the last computing layer writes straight into the caller's output.
/// Buffer names: <c>inputs</c>, <c>outputs</c>, or a workspace field <c>Layer{i}Output</c>.
/// </summary>
internal sealed class BufferPlan
{
    public const string Inputs = "inputs";
    public const string Outputs = "outputs";

    private BufferPlan(string[] reads, string[] writes, List<(string Field, int Layer, long Length)> fields, bool copyInputToOutput)
    {
        Reads = reads;
        Writes = writes;
        Fields = fields;
        CopyInputToOutput = copyInputToOutput;
    }

    public string[] Reads { get; }

    public string[] Writes { get; }

    /// <summary>Workspace fields: name, producing layer, floats per sample.</summary>
    public List<(string Field, int Layer, long Length)> Fields { get; }

    /// <summary>True when no layer computes anything at inference (the network is a reshape).</summary>
    public bool CopyInputToOutput { get; }

    public static BufferPlan For(NetworkModel model)
    {
        int count = model.Layers.Count;
        var reads = new string[count];
        var writes = new string[count];
        var fields = new List<(string, int, long)>();
        int lastComputing = -1;
        for (int i = 0; i < count; i++)
        {
            if (!model.Layers[i].IsIdentityAtInference)
            {
                lastComputing = i;
            }
        }
        string current = Inputs;
        for (int i = 0; i < count; i++)
        {
            var layer = model.Layers[i];
            reads[i] = current;
            if (layer.IsIdentityAtInference)
            {
                writes[i] = current;
                continue;
            }
            if (i == lastComputing)
            {
                writes[i] = Outputs;
            }
            else
            {
                writes[i] = $"Layer{i}Output";
                fields.Add((writes[i], i, layer.Output.Length));
            }
            current = writes[i];
        }
        return new BufferPlan(reads, writes, fields, lastComputing < 0);
    }
}
