using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Model;

/// <summary>A type that contains the network class (for nested networks), outermost first.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Input shape as declared, <c>HxWxC</c>.</summary>
internal sealed record InputSpec(int Height, int Width, int Channels);

/// <summary>A network as declared: where it lives, its input and its layers, with source locations.</summary>
/// <param name="Location">The <c>[Network]</c> attribute.</param>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContainingType> ContainingTypes,
    bool HasParameterlessConstructor,
    InputSpec? Input,
    EquatableArray<LayerSpec> Layers,
    LocationInfo? Location,
    LocationInfo? InputLocation)
{
    /// <summary>Layers come from the text form, so advice is written as text (<c>padding=same</c>, not <c>Padding.Same</c>).</summary>
    public bool IsTextForm { get; init; }

    /// <summary>The class name's identifier.</summary>
    public LocationInfo? ClassLocation { get; init; }

    /// <summary>The user's members (declared or inherited) whose names a generated member could take.</summary>
    public EquatableArray<UserMember> UserMembers { get; init; } = EquatableArray<UserMember>.Empty;
}

/// <summary>What the parse step hands on: the spec (null when the class cannot be generated at all) and its diagnostics.</summary>
internal sealed record ParsedNetwork(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
