using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Emit;

/// <summary>Lines the network class and its workspaces write many times over.</summary>
internal static class ClassMembers
{
    /// <summary>A member that implements an interface member, with the interface's documentation.</summary>
    public static void Inherited(IndentedTextWriter w, string declaration)
    {
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine(declaration);
    }

    /// <summary>An argument check: <c>if (condition) { throw ...; }</c>.</summary>
    public static void ThrowIf(IndentedTextWriter w, string condition, string exception)
    {
        w.WriteLine($"if ({condition})");
        using (w.WriteBlock())
        {
            w.WriteLine($"throw {exception};");
        }
    }
}
