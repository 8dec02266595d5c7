using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvGen.Package.Tests;

/// <summary>
/// ConvGen packed once per test run into a temporary folder feed, under a version no earlier run
/// used (0.1.0-test.&lt;random&gt;), restored into a private package folder: a package cached by an
/// earlier run can never stand in for the one just built.
/// </summary>
public sealed class PackedConvGen : IDisposable
{
    private static readonly TimeSpan Backstop = TimeSpan.FromMinutes(10);

    public PackedConvGen()
    {
        RepositoryRoot = DotnetCli.RepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "convgen-package-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        Version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..12];
        Pack = DotnetCli.Run(RepositoryRoot, new Dictionary<string, string>(), Backstop,
            new[] { "pack", "src/ConvGen/ConvGen.csproj", "-c", "Release", "--no-restore", "-o", Feed, "-p:Version=" + Version }.With(DotnetCli.NoServers));
    }

    public string RepositoryRoot { get; }

    /// <summary>Everything this fixture writes lives under this temporary folder.</summary>
    public string Root { get; }

    public string Feed { get; }

    /// <summary>NUGET_PACKAGES of the fresh projects.</summary>
    public string Packages { get; }

    public string Version { get; }

    public DotnetCli.Result Pack { get; }

    public string PackagePath => Path.Combine(Feed, $"ConvGen.{Version}.nupkg");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    /// <summary>The package must exist before anything uses it; the pack output explains why not.</summary>
    public void EnsurePacked()
    {
        Assert.True(Pack.ExitCode == 0 && File.Exists(PackagePath), $"dotnet pack failed: {Pack}");
    }

    /// <summary>
    /// A new console project in its own folder, as <c>dotnet new console</c> makes it, with a
    /// PackageReference to ConvGen (and nothing else from this repository) and a nuget.config that
    /// adds the local feed to the machine's sources. The machine's package folder serves as a
    /// read-only fallback so that ConvGen's own dependencies are not downloaded again.
    /// </summary>
    public string CreateProject(string name, IReadOnlyDictionary<string, string> sources)
    {
        EnsurePacked();
        string directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ConvGen" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        string machinePackages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="convgen-local" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        foreach (var (file, text) in sources)
        {
            File.WriteAllText(Path.Combine(directory, file), text);
        }
        return directory;
    }

    public DotnetCli.Result Dotnet(string directory, params string[] arguments) =>
        DotnetCli.Run(directory, Environment, Backstop, arguments);

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

[CollectionDefinition(Name)]
public sealed class PackedConvGenCollection : ICollectionFixture<PackedConvGen>
{
    public const string Name = "packed ConvGen";
}
