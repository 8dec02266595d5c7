using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The opening both generated workspaces share (the inference <c>Workspace</c> and the
/// <c>TrainingWorkspace</c>): the class with its capacity as primary constructor parameter and
/// the checked <c>Capacity</c> first (initialisers run in order, so a bad capacity is refused
/// before any buffer is allocated). The caller writes each buffer, declared and allocated in one
/// line, inside the open class.
/// </summary>
internal static class WorkspaceClass
{
    /// <returns>The class block, to dispose after the buffers.</returns>
    /// <param name="overridesCapacity">The base class (<paramref name="contract"/>) declares <c>Capacity</c> abstract (<c>InferenceWorkspace</c>).</param>
    public static IndentedTextWriter.Block Open(IndentedTextWriter w, string summary, string name, string contract, bool overridesCapacity = false)
    {
        w.WriteLine($"/// <summary>{summary}</summary>");
        w.WriteLine("/// <param name=\"capacity\">Samples the buffers hold, at least 1.</param>");
        var type = w.WriteBlock($"public sealed class {name}(int capacity) : {contract}");
        ClassMembers.Inherited(w, $"public {(overridesCapacity ? "override " : "")}int Capacity {{ get; }} = global::ConvGen.Kernels.Guard.Capacity(capacity);");
        w.WriteLine();
        return type;
    }

    /// <summary>A buffer of <paramref name="length"/> floats (an expression of <c>capacity</c> or a constant).</summary>
    public static void WriteBuffer(IndentedTextWriter w, string field, string length, string? comment = null) =>
        w.WriteLine($"internal readonly float[] {field} = new float[{length}];{(comment is null ? "" : " // " + comment)}");
}
