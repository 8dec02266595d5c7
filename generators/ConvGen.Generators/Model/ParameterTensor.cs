using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Model;

/// <summary>
/// One named tensor in the parameter buffer: the layer table's <c>ParameterInfo</c>, the public
/// view property, and how it is initialised. Worked out once by analysis (each kind's descriptor
/// lists its own), so the emitter and the member-clash check can never disagree on the names.
/// </summary>
/// <param name="Name">e.g. <c>conv2d.weight</c>, as importers write it.</param>
/// <param name="Property">The view property on the network class, e.g. <c>Conv2dWeight</c>.</param>
/// <param name="Init">A member of the runtime's <c>WeightInit</c>.</param>
internal sealed record ParameterTensor(
    string Name, string Property, int LayerIndex, string LayerName, EquatableArray<int> Shape, string Layout,
    int Offset, int Length, string Init, int FanIn, int FanOut)
{
    /// <summary>False for state saved with the weights but not trained (BatchNorm running statistics).</summary>
    public bool Trainable { get; init; } = true;

    public string ShapeText => "[" + string.Join(",", Shape) + "]";
}
