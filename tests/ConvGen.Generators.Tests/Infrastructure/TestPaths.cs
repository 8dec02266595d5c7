using System.IO;
using System.Linq;
using System.Reflection;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Source-tree locations, wherever the test assembly runs from: the project directory is
/// stamped into the assembly at build time (see the .csproj).
/// </summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } =
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ProjectDirectory").Value!;

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string GeneratorProject { get; } = Path.Combine(RepositoryRoot, "generators", "ConvGen.Generators");
}
