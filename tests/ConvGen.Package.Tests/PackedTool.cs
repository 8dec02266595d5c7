using System;
using System.Collections.Generic;
using System.IO;

namespace ConvGen.Package.Tests;

/// <summary>
/// The convgen tool packed once per test class, as <see cref="PackedConvGen"/> packs ConvGen: a
/// fresh version (0.1.0-test.&lt;random&gt;) into a temporary folder feed, so that no package cached
/// by an earlier run can stand in for the one just built; installs go through a nuget.config that
/// lists only that feed and a private package folder.
/// </summary>
public sealed class PackedTool : IDisposable
{
    // Only against a hung build: one build per platform takes minutes on a loaded 2-core machine.
    private static readonly TimeSpan Backstop = TimeSpan.FromMinutes(40);

    public PackedTool()
    {
        string repository = DotnetCli.RepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "convgen-tool-package-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);
        Version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..12];
        NugetConfig = Path.Combine(Root, "nuget.config");
        File.WriteAllText(NugetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="convgen-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        // Packs the umbrella package and one package per ToolPackageRuntimeIdentifiers platform.
        Pack = DotnetCli.Run(repository, new Dictionary<string, string>(), Backstop,
            new[] { "pack", "src/ConvGen.Tool/ConvGen.Tool.csproj", "-c", "Release", "--no-restore", "-o", Feed, "-p:Version=" + Version }.With(DotnetCli.NoServers));
    }

    /// <summary>Everything this fixture writes lives under this temporary folder.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public string NugetConfig { get; }

    public DotnetCli.Result Pack { get; }

    /// <summary>The umbrella package (<paramref name="platform"/> null) or one platform's package.</summary>
    public string PackagePath(string? platform) =>
        Path.Combine(Feed, platform is null ? $"ConvGen.Tool.{Version}.nupkg" : $"ConvGen.Tool.{platform}.{Version}.nupkg");

    public void EnsurePacked()
    {
        Assert.True(Pack.ExitCode == 0 && File.Exists(PackagePath(null)), $"dotnet pack of the tool failed: {Pack}");
    }

    private IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") };

    public DotnetCli.Result Dotnet(string directory, params string[] arguments) =>
        DotnetCli.Run(directory, Environment, Backstop, arguments);

    /// <summary>Runs an installed command (e.g. the tool path's convgen) in <see cref="Root"/>.</summary>
    public DotnetCli.Result Run(string program, params string[] arguments) =>
        DotnetCli.RunProgram(program, Root, Environment, Backstop, arguments);

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
