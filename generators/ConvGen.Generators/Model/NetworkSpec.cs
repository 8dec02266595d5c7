using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Model;

/// <summary>A type that contains the network class (for nested networks), outermost first.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Input shape as declared, <c>HxWxC</c>.</summary>
internal sealed record InputSpec(int Height, int Width, int Channels);

/// <summary>A network as declared: where it lives, its input and its layers, with source locations.</summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContainingType> ContainingTypes,
    bool HasParameterlessConstructor,
    InputSpec? Input,
    EquatableArray<LayerSpec> Layers,
    LocationInfo? Location,
    LocationInfo? InputLocation);

/// <summary>What the parse step hands on: the spec (null when the class cannot be generated at all) and its diagnostics.</summary>
internal sealed record ParsedNetwork(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
