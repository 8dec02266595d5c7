using ConvGen.Generators.Diagnostics;

namespace ConvGen.Generators.Model;

/// <summary>What kind of member a <see cref="UserMember"/> is, as messages name it.</summary>
internal enum UserMemberKind
{
    Field,
    Property,
    Method,
    Event,
    NestedType,
}

/// <summary>
/// A member of the user's network class (or of a base class) that a generated member could
/// clash with. Methods keep their parameter types, because a method only clashes with a
/// generated method of the same signature (anything else is an overload).
/// </summary>
/// <param name="Parameters">For methods: parameter types as in <see cref="GeneratedMember.Parameters"/>; null otherwise.</param>
/// <param name="InheritedFrom">The base class that declares it, or null for the network's own members.</param>
internal sealed record UserMember(string Name, UserMemberKind Kind, string? Parameters, string? InheritedFrom, LocationInfo? Location)
{
    public string KindText => Kind switch
    {
        UserMemberKind.NestedType => "nested type",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
