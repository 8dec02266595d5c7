using System.Collections.Generic;
using ConvGen.Generators.Model;
using ConvGen.Generators.Shapes;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// The training workspace's buffers: every layer's output is kept for backward; layers with a
/// non-linear activation also keep the value before it; Dropout keeps its mask. Flatten
/// aliases its input. Buffer expressions are C# strings usable inside the generated class.
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

    public static bool HasActivation(LayerPlan l) =>
        l.Activation != ActivationKind.Linear && l.Kind is LayerKind.Conv2D or LayerKind.Dense or LayerKind.Activation;

    public static TrainingBufferPlan For(NetworkModel model)
    {
        var plan = new TrainingBufferPlan();
        int count = model.Layers.Count;
        plan.Input = new string[count];
        plan.PreActivation = new string[count];
        plan.Output = new string[count];
        long largest = model.Input.Length;
        string current = Inputs;
        for (int i = 0; i < count; i++)
        {
            var l = model.Layers[i];
            largest = System.Math.Max(largest, l.Output.Length);
            plan.Input[i] = current;
            if (l.Kind == LayerKind.Flatten)
            {
                plan.PreActivation[i] = plan.Output[i] = current;
                continue;
            }
            string output = $"workspace.Layer{i}Output";
            plan.Fields.Add(new Field($"Layer{i}Output", l.Output.Length, $"{l.Name} output {l.Output}"));
            if (l.Kind == LayerKind.Activation)
            {
                plan.PreActivation[i] = current;
            }
            else if (HasActivation(l))
            {
                plan.PreActivation[i] = $"workspace.Layer{i}PreActivation";
                plan.Fields.Add(new Field($"Layer{i}PreActivation", l.Output.Length, $"{l.Name} before {LayerPlan.ActivationName(l.Activation)} {l.Output}"));
            }
            else
            {
                plan.PreActivation[i] = output;
            }
            if (l.Kind == LayerKind.Dropout)
            {
                plan.Fields.Add(new Field($"Layer{i}Mask", l.Output.Length, $"{l.Name} keep mask (0 or 1/(1-rate)) {l.Output}"));
            }
            plan.Output[i] = output;
            current = output;
        }
        plan.LargestActivation = largest;
        return plan;
    }
}
