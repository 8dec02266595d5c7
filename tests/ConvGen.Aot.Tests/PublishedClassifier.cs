using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ConvGen.Package.Tests;

namespace ConvGen.Aot.Tests;

/// <summary>
/// samples/AotClassifier published once per test run with NativeAOT into a temporary folder. The
/// sample is already built (a project reference of this test project), so the publish only runs
/// the native compiler: it restores and builds nothing that other test projects use meanwhile.
/// </summary>
public sealed class PublishedClassifier : IDisposable
{
    private static readonly TimeSpan Backstop = TimeSpan.FromMinutes(10);

    public PublishedClassifier()
    {
        RepositoryRoot = DotnetCli.RepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "convgen-aot-" + Guid.NewGuid().ToString("N")[..12]);
        PublishFolder = Path.Combine(Root, "publish");
        Directory.CreateDirectory(Root);
        Publish = DotnetCli.Run(RepositoryRoot, new Dictionary<string, string>(), Backstop,
            new[] { "publish", SampleProject, "-c", Configuration, "--no-build", "-o", PublishFolder }.With(DotnetCli.NoServers));
    }

    /// <summary>The configuration this test project (and so the sample) was built in.</summary>
    public static string Configuration { get; } = typeof(PublishedClassifier).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string SampleProject => Path.Combine("samples", "AotClassifier", "AotClassifier.csproj");

    public string RepositoryRoot { get; }

    /// <summary>Everything this fixture and its tests write lives under this temporary folder.</summary>
    public string Root { get; }

    public string PublishFolder { get; }

    public DotnetCli.Result Publish { get; }

    public string Executable => Path.Combine(PublishFolder, "AotClassifier");

    /// <summary>The executable must exist before anything runs it; the publish output explains why not.</summary>
    public void EnsurePublished()
    {
        Assert.True(Publish.ExitCode == 0 && File.Exists(Executable), $"dotnet publish failed: {Publish}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; a failing Dispose would hide the test result.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
