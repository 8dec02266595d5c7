using System;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The opening both generated workspaces share (the inference <c>Workspace</c> and the
/// <c>TrainingWorkspace</c>): the class, a constructor that checks the capacity and allocates the
/// buffers, and the <c>Capacity</c> property. The caller writes the fields inside the open class.
/// </summary>
internal static class WorkspaceClass
{
    /// <returns>The class block, to dispose after the fields.</returns>
    public static IDisposable Open(IndentedTextWriter w, string summary, string name, string contract, Action writeAllocations)
    {
        w.WriteLine($"/// <summary>{summary}</summary>");
        var type = w.WriteBlock($"public sealed class {name} : {contract}");
        w.WriteLine("/// <summary>Allocates buffers for <paramref name=\"capacity\"/> samples.</summary>");
        using (w.WriteBlock($"public {name}(int capacity)"))
        {
            w.WriteLine("global::System.ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);");
            w.WriteLine("Capacity = capacity;");
            writeAllocations();
        }
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine("public int Capacity { get; }");
        return type;
    }
}
