using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

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

    /// <summary>Every named tensor in the parameter buffer, in layer order.</summary>
    public EquatableArray<ParameterTensor> ParameterTensors { get; init; } = EquatableArray<ParameterTensor>.Empty;

    /// <summary>Whether some layer keeps running statistics (BatchNorm): the network then implements <c>IRunningStatistics</c>.</summary>
    public bool HasRunningStatistics => System.Linq.Enumerable.Any(Layers, l => l.BatchNorm is not null);

    /// <summary>
    /// The activation applied last: that of the last layer that has one, looking through identity
    /// layers. Training pairs it with the loss (the generated <c>OutputActivation</c>), and the
    /// program analyzer checks the loss a program picks against it.
    /// </summary>
    public ActivationKind LastActivation => LastActivationLayer is int i and >= 0 ? Layers[i].Activation : ActivationKind.Linear;

    /// <summary>Index of the layer whose activation is the network's last (or -1).</summary>
    public int LastActivationLayer
    {
        get
        {
            // Flatten and Dropout pass values through; look through them along the sources.
            for (int i = Layers.Count - 1; i >= 0; i = Layers[i].Source)
            {
                var l = Layers[i];
                if (l.ActivationRole == ActivationRole.Transparent)
                {
                    continue;
                }
                return l.HasActivation ? i : -1;
            }
            return -1;
        }
    }

    /// <summary>The file name the source is added under (Emit/HintNames); set once every network's name is known.</summary>
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
