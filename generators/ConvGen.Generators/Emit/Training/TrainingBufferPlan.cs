using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// The training workspace's buffers: every layer's output is kept for backward; layers with a
/// non-linear activation also keep the value before it, but for a ReLU stored by the layer's
/// kernel; Dropout keeps its mask; BatchNorm keeps x-hat and its batch statistics (each kind adds its own through ILayerEmitter.AddTrainingBuffers). Flatten aliases its input. A layer whose output is read by
/// layers other than the next one (a residual shortcut) gets a buffer that collects those
/// readers' gradients until backward reaches it. Buffer expressions are C# strings usable inside the generated class.
/// </summary>
internal sealed class TrainingBufferPlan
{
    public const string Inputs = "inputs";

    public sealed record Field(string Name, long Length, string Comment);

    private TrainingBufferPlan() { }

    /// <summary>Per layer: buffer read as input.</summary>
    public string[] Input { get; private set; } = new string[0];

    /// <summary>Per layer: buffer holding the value before the activation (same as output when none).</summary>
    public string[] PreActivation { get; private set; } = new string[0];

    /// <summary>Per layer: buffer holding the output.</summary>
    public string[] Output { get; private set; } = new string[0];

    public List<Field> Fields { get; } = new();

    /// <summary>Largest per-sample activation, sizing the two gradient ping-pong buffers.</summary>
    public long LargestActivation { get; private set; }

    /// <summary>Per layer: the buffers of all its sources (two for Add).</summary>
    public string[][] Sources { get; private set; } = new string[0][];

    /// <summary>Per-layer scratch the size of a parameter tensor (a convolution's transposed kernel); allocated after <see cref="Fields"/>.</summary>
    public List<Field> ScratchFields { get; } = new();

    /// <summary>Per-layer buffers whose size does not grow with the batch (BatchNorm statistics); allocated last.</summary>
    public List<Field> FixedFields { get; } = new();

    /// <summary>
    /// Per layer: whether the layer after it hands its input gradient down in the running
    /// <c>gradient</c> buffer (it reads this layer as its first source that is its predecessor).
    /// </summary>
    public bool[] ReceivesChain { get; private set; } = new bool[0];

    /// <summary>Per layer: which of its operands goes down the chain (-1: none; every other operand is stashed).</summary>
    public int[] ChainOperand { get; private set; } = new int[0];

    /// <summary>
    /// Per layer: the readers that pass its output gradient through a stash buffer
    /// (<c>Layer{i}OutputGradient</c>) rather than the chain, in the order backward visits them
    /// (highest index first): the first copies, the others add.
    /// </summary>
    public List<int>[] Stashed { get; private set; } = new List<int>[0];

    public static string StashName(int layer) => $"workspace.Layer{layer}OutputGradient";

    /// <summary>
    /// Whether operand <paramref name="k"/> of <paramref name="l"/> (not its chain operand) is the
    /// first gradient backward puts into its source's stash, which it then copies rather than adds:
    /// <paramref name="l"/> is the source's first stashing reader and no earlier stashed operand of it names the same source.
    /// </summary>
    public bool CopiesIntoStash(LayerPlan l, int k)
    {
        int source = l.Sources[k];
        if (Stashed[source][0] != l.Index)
        {
            return false;
        }
        for (int earlier = 0; earlier < k; earlier++)
        {
            if (earlier != ChainOperand[l.Index] && l.Sources[earlier] == source)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether training's forward lets the layer's kernel store its activation, as inference does,
    /// and keeps no value before it: a ReLU, whose derivative reads only the output (every backward
    /// that applies it, the separate pass, the max pool's and the Dense input gradient's, gates by
    /// output &gt; 0), and whose store has the bits of the separate pass (VectorOps.Relu). Not the
    /// network's last activation: its pre-activation is the logits.
    /// </summary>
    public static bool StoresActivationInKernel(NetworkModel model, LayerPlan l) =>
        l.ActivationRole == ActivationRole.Fused && l.Activation == ActivationKind.Relu && l.Index != model.LastActivationLayer;

    public static TrainingBufferPlan For(NetworkModel model, LayerTable<ILayerEmitter> layers)
    {
        var plan = new TrainingBufferPlan();
        int count = model.Layers.Count;
        plan.Input = new string[count];
        plan.Sources = new string[count][];
        plan.PreActivation = new string[count];
        plan.Output = new string[count];
        plan.ReceivesChain = new bool[count];
        plan.ChainOperand = new int[count];
        plan.Stashed = new List<int>[count];
        long largest = model.Input.Length;
        for (int i = 0; i < count; i++)
        {
            plan.Stashed[i] = new List<int>();
        }
        for (int i = 0; i < count; i++)
        {
            var l = model.Layers[i];
            largest = System.Math.Max(largest, l.Output.Length);
            plan.Sources[i] = l.Sources.Select(s => s < 0 ? Inputs : plan.Output[s]).ToArray();
            string current = plan.Sources[i][0];
            plan.Input[i] = current;
            plan.ChainOperand[i] = i > 0 ? l.Sources.ToList().IndexOf(i - 1) : -1;
            if (plan.ChainOperand[i] >= 0)
            {
                plan.ReceivesChain[i - 1] = true;
            }
            var kind = layers[l.Kind];
            if (kind.AliasesInputWhenTraining)
            {
                plan.PreActivation[i] = plan.Output[i] = current;
                continue;
            }
            string output = $"workspace.Layer{i}Output";
            plan.Fields.Add(new Field($"Layer{i}Output", l.Output.Length, $"{l.Name} output {l.Output}"));
            if (l.ActivationRole == ActivationRole.Standalone)
            {
                plan.PreActivation[i] = current;
            }
            else if (l.HasActivation && StoresActivationInKernel(model, l))
            {
                plan.PreActivation[i] = output;
            }
            else if (l.HasActivation)
            {
                plan.PreActivation[i] = $"workspace.Layer{i}PreActivation";
                plan.Fields.Add(new Field($"Layer{i}PreActivation", l.Output.Length, $"{l.Name} before {LayerPlan.ActivationName(l.Activation)} {l.Output}"));
            }
            else
            {
                plan.PreActivation[i] = output;
            }
            kind.AddTrainingBuffers(l, plan);
            plan.Output[i] = output;
        }
        for (int i = count - 1; i >= 0; i--)
        {
            var l = model.Layers[i];
            for (int k = 0; k < l.Sources.Count; k++)
            {
                if (k != plan.ChainOperand[i] && l.Sources[k] >= 0)
                {
                    plan.Stashed[l.Sources[k]].Add(i);
                }
            }
        }
        for (int i = 0; i < count; i++)
        {
            if (plan.Stashed[i].Count > 0)
            {
                var l = model.Layers[i];
                plan.Fields.Add(new Field($"Layer{i}OutputGradient", l.Output.Length,
                    $"{l.Name}: gradient from the layers that read it other than the next one {l.Output}"));
            }
        }
        plan.LargestActivation = largest;
        return plan;
    }
}
