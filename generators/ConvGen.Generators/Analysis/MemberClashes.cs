using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// CG0014: a generated member with the name of one of the user's would be a compile error (or a
/// hiding warning) inside the .g.cs, where the user cannot fix it. Reported instead, at the user's
/// member, naming both.
/// </summary>
internal static class MemberClashes
{
    public static IEnumerable<DiagnosticInfo> Find(NetworkSpec spec, NetworkModel model)
    {
        var generated = GeneratedMembers.For(model).ToList();

        // A member may not have the name of its enclosing type (CS0542), so the class itself clashes.
        if (generated.FirstOrDefault(g => g.Name == spec.ClassName) is { } sameAsClass)
        {
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedMemberClash, spec.ClassLocation ?? spec.Location,
                spec.ClassName, $"is itself named '{spec.ClassName}'", sameAsClass.Kind, sameAsClass.Name, sameAsClass.Purpose,
                "a member cannot have the name of its class, so rename the network class");
        }

        foreach (var user in spec.UserMembers)
        {
            var clash = generated.FirstOrDefault(g => Clashes(user, g));
            if (clash is null)
            {
                continue;
            }
            string described = $"the {user.KindText} '{Display(user)}'";
            yield return user.InheritedFrom is null
                ? DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedMemberClash, user.Location ?? spec.ClassLocation,
                    spec.ClassName, "declares " + described, clash.Kind, clash.Name, clash.Purpose, $"rename or remove the {user.KindText}")
                : DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedMemberClash, spec.ClassLocation ?? spec.Location,
                    spec.ClassName, $"inherits {described} from '{user.InheritedFrom}'", clash.Kind, clash.Name, clash.Purpose,
                    $"rename it in '{user.InheritedFrom}', or do not derive the network from it");
        }
    }

    /// <summary>Same name, unless both are methods with different parameters (an overload, which C# allows).</summary>
    private static bool Clashes(UserMember user, GeneratedMember generated) =>
        user.Name == generated.Name
        && (user.Kind != UserMemberKind.Method || !generated.IsMethod || user.Parameters == generated.Parameters);

    /// <summary><c>Predict(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c> for methods: enough to recognise the overload.</summary>
    private static string Display(UserMember user) => user.Parameters is null
        ? user.Name
        : $"{user.Name}({user.Parameters.Replace("System.", "").Replace("ConvGen.", "")})";
}
