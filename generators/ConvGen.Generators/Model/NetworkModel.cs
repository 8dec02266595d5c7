using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Shapes;

namespace ConvGen.Generators.Model;

/// <summary>
/// Everything the emitter needs and nothing else: no source locations, so moving an attribute
/// or editing a comment does not re-emit code.
/// </summary>
internal sealed record NetworkModel(
    string? Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContainingType> ContainingTypes,
    bool HasParameterlessConstructor,
    Shape Input,
    EquatableArray<LayerPlan> Layers)
{
    public Shape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;

    /// <summary>The file name the source is added under (<see cref="Emit.HintNames"/>); set once every network's name is known.</summary>
    public string HintName { get; init; } = "";
}

/// <summary>
/// Result of shape inference: the emit model (null when any error was found), every diagnostic,
/// and the sizes the configurable limits are checked against (null when there were errors).
/// </summary>
internal sealed record AnalysedNetwork(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public NetworkSizes? Sizes { get; init; }
}
