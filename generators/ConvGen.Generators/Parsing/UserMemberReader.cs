using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// Reads the members of the network class, and the accessible members of its base classes, that
/// a generated member could clash with (a generated member hiding an inherited one is a warning
/// in the .g.cs, which must stay warning-free). Only names <see cref="GeneratedMembers.MayClash"/>
/// are kept, so adding an unrelated member does not change the cached spec.
/// </summary>
internal static class UserMemberReader
{
    public static EquatableArray<UserMember> Read(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var members = new List<UserMember>();
        AddMembers(type, null, members, cancellationToken);
        for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            var inheritedFrom = baseType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            AddMembers(baseType, inheritedFrom, members, cancellationToken,
                member => member.DeclaredAccessibility != Accessibility.Private && compilation.IsSymbolAccessibleWithin(member, type));
        }
        return members.ToEquatableArray();
    }

    private static void AddMembers(INamedTypeSymbol owner, string? inheritedFrom, List<UserMember> members, CancellationToken cancellationToken,
        System.Func<ISymbol, bool>? include = null)
    {
        foreach (var member in owner.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared || !GeneratedMembers.MayClash(member.Name) || include?.Invoke(member) == false)
            {
                continue;
            }
            var kind = KindOf(member);
            if (kind is null)
            {
                continue;
            }
            string? parameters = member is IMethodSymbol method ? Signature(method) : null;
            var location = member.Locations.FirstOrDefault(l => l.IsInSource);
            members.Add(new UserMember(member.Name, kind.Value, parameters, inheritedFrom, inheritedFrom is null ? LocationInfo.From(location) : null));
        }
    }

    /// <summary>Null for members that cannot clash by name: constructors, accessors, operators, explicit interface implementations.</summary>
    private static UserMemberKind? KindOf(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Ordinary } => UserMemberKind.Method,
        IPropertySymbol { IsIndexer: false, ExplicitInterfaceImplementations.Length: 0 } => UserMemberKind.Property,
        IFieldSymbol => UserMemberKind.Field,
        IEventSymbol { ExplicitInterfaceImplementations.Length: 0 } => UserMemberKind.Event,
        INamedTypeSymbol => UserMemberKind.NestedType,
        _ => null,
    };

    /// <summary>
    /// Parameter types in the form of <see cref="GeneratedMember.Parameters"/>. Generic methods and
    /// ref parameters get a form no generated method has: they are overloads, not clashes.
    /// </summary>
    private static string Signature(IMethodSymbol method)
    {
        var parts = method.Parameters.Select(p =>
            (p.RefKind == RefKind.None ? "" : p.RefKind.ToString().ToLowerInvariant() + " ")
            + p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", ""));
        return (method.Arity > 0 ? "<" + method.Arity + "> " : "") + string.Join(", ", parts);
    }
}
