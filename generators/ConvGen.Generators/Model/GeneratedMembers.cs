using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generators.Model;

/// <summary>A member the emitter adds to the user's partial class.</summary>
/// <param name="Kind">As messages name it: "constant", "property", "method", ...</param>
/// <param name="Purpose">A few words for the message, e.g. "floats per input sample".</param>
/// <param name="Parameters">For methods: parameter types, fully qualified without <c>global::</c>, comma-separated; null otherwise.</param>
internal sealed record GeneratedMember(string Name, string Kind, string Purpose, string? Parameters)
{
    public bool IsMethod => Parameters is not null;
}

/// <summary>
/// The names the emitter (Emit/NetworkClassEmitter, Emit/Training/TrainingMembersEmitter) puts
/// into the network class, so that a user member of the same name is a ConvGen diagnostic
/// instead of a compile error inside the .g.cs. GeneratedMemberClashTests compiles generated
/// networks and fails when the emitter adds a member this list does not know.
/// </summary>
internal static class GeneratedMembers
{
    private const string ReadOnlySpan = "System.ReadOnlySpan<float>";
    private const string Span = "System.Span<float>";

    private static readonly GeneratedMember[] s_fixed =
    {
        new("InputHeight", "constant", "input height", null),
        new("InputWidth", "constant", "input width", null),
        new("InputChannels", "constant", "input channels", null),
        new("InputLength", "constant", "floats per input sample", null),
        new("OutputLength", "constant", "floats per output sample", null),
        new("ParameterCount", "constant", "trainable parameters", null),
        new("LayerCount", "constant", "number of layers", null),
        new("s_layers", "field", "the layer table", null),
        new("s_parameterTensors", "field", "the parameter table", null),
        new("_parameters", "field", "the parameter buffer", null),
        new("_workspace", "field", "Predict's buffers", null),
        new("_frozen", "field", "frozen layers", null),
        new("InputShape", "property", "INetwork.InputShape", null),
        new("OutputShape", "property", "INetwork.OutputShape", null),
        new("Layers", "property", "INetwork.Layers, the layer table", null),
        new("ParameterTensors", "property", "INetwork.ParameterTensors", null),
        new("Parameters", "property", "INetwork.Parameters, all weights and biases", null),
        new("OutputActivation", "property", "ITrainableNetwork.OutputActivation", null),
        new("InitializeParameters", "method", "INetwork.InitializeParameters", "ulong"),
        new("InitializeParameters", "method", "weight initialisation", Span + ", ulong"),
        new("CreateParameters", "method", "weight initialisation", "ulong"),
        new("CreateInferenceWorkspace", "method", "INetwork.CreateInferenceWorkspace", "int"),
        new("Predict", "method", "INetwork.Predict, batched inference", ReadOnlySpan + ", " + Span),
        new("Forward", "method", "INetwork.Forward", ReadOnlySpan + ", " + Span + ", ConvGen.IInferenceWorkspace"),
        new("IsFrozen", "method", "ITrainableNetwork.IsFrozen", "int"),
        new("SetFrozen", "method", "ITrainableNetwork.SetFrozen", "int, bool"),
        new("CreateTrainingWorkspace", "method", "ITrainableNetwork.CreateTrainingWorkspace", "int"),
        new("ForwardTraining", "method", "ITrainableNetwork.ForwardTraining", ReadOnlySpan + ", ConvGen.ITrainingWorkspace, int, ConvGen.DropoutContext"),
        new("Backward", "method", "ITrainableNetwork.Backward", ReadOnlySpan + ", ConvGen.ITrainingWorkspace, int, bool"),
        new("Backward", "method", "ITrainableNetwork.Backward with progress reports", ReadOnlySpan + ", ConvGen.ITrainingWorkspace, int, bool, ConvGen.BackwardProgress"),
        new("Workspace", "nested class", "inference buffers", null),
        new("TrainingWorkspace", "nested class", "training buffers", null),
    };

    // Only networks with BatchNorm implement IRunningStatistics.
    private static readonly GeneratedMember[] s_statistics =
    {
        new("UpdateRunningStatistics", "method", "IRunningStatistics.UpdateRunningStatistics", "System.Collections.Generic.IReadOnlyList<ConvGen.ITrainingWorkspace>"),
        new("ForwardTraining", "method", "ITrainableNetwork.ForwardTraining with BatchNorm's mode", ReadOnlySpan + ", ConvGen.ITrainingWorkspace, int, ConvGen.DropoutContext, bool"),
        new("_batchStatistics", "field", "BatchNorm statistics being merged", null),
    };

    private static readonly GeneratedMember s_create = new("Create", "method", "the seeded factory", "ulong");

    private static readonly HashSet<string> s_fixedNames = new(s_fixed.Concat(s_statistics).Select(m => m.Name).Concat(new[] { s_create.Name }));

    /// <summary>
    /// Whether a user member called <paramref name="name"/> could clash with some network's
    /// generated members: the fixed names, and the per-layer parameter views (<c>...Weight</c>,
    /// <c>...Bias</c>). The parser keeps only these, so unrelated members never reach the cache.
    /// </summary>
    public static bool MayClash(string name) =>
        s_fixedNames.Contains(name) || s_parameterSuffixes.Any(suffix => name.EndsWith(suffix, System.StringComparison.Ordinal));

    private static readonly string[] s_parameterSuffixes = { "Weight", "Bias", "Gamma", "Beta", "RunningMean", "RunningVar" };

    /// <summary>Every member generated for <paramref name="model"/>.</summary>
    public static IEnumerable<GeneratedMember> For(NetworkModel model)
    {
        foreach (var member in s_fixed)
        {
            yield return member;
        }
        if (model.HasParameterlessConstructor)
        {
            yield return s_create;
        }
        if (model.HasRunningStatistics)
        {
            foreach (var member in s_statistics)
            {
                yield return member;
            }
        }
        // The names analysis gave the tensors, which the emitter writes as they are.
        foreach (var tensor in model.ParameterTensors)
        {
            yield return new GeneratedMember(tensor.Property, "property", "a view of " + tensor.Name, null);
        }
    }
}
