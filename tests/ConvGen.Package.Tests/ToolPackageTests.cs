using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace ConvGen.Package.Tests;

/// <summary>
/// The convgen tool as a user gets it: packed into a local feed as one small umbrella package and
/// one package per platform (RID-specific tool packages), installed with <c>dotnet tool install</c>
/// into a temporary tool path, then run. In the <see cref="PackedConvGenCollection"/> so that its
/// Release build of the libraries never runs beside the fixture's.
/// </summary>
[Collection(PackedConvGenCollection.Name)]
public sealed class ToolPackageTests(PackedTool tool) : IClassFixture<PackedTool>
{
    /// <summary>What a user downloads for one platform must stay small (the single package was 87 MB).</summary>
    private const long MaxPackageBytes = 25L * 1024 * 1024;

    private static readonly string[] Platforms = { "linux-x64", "linux-arm64", "linux-musl-x64", "win-x64", "win-arm64", "osx-x64", "osx-arm64" };

    [Fact]
    public void Umbrella_and_every_platform_package_are_under_25_MB_and_carry_only_their_own_natives()
    {
        tool.EnsurePacked();
        var sizes = new StringBuilder();
        foreach (string platform in Platforms)
        {
            string path = tool.PackagePath(platform);
            Assert.True(File.Exists(path), $"no package for {platform}: {string.Join(", ", Directory.GetFiles(tool.Feed).Select(Path.GetFileName))}");
            long bytes = new FileInfo(path).Length;
            sizes.AppendLine($"{Path.GetFileName(path)}: {bytes:N0} bytes");
            Assert.True(bytes < MaxPackageBytes, $"{Path.GetFileName(path)} is {bytes:N0} bytes, over {MaxPackageBytes:N0}");
            using var package = ZipFile.OpenRead(path);
            var natives = package.Entries.Where(e => e.Name.StartsWith("libSkiaSharp", StringComparison.Ordinal)).Select(e => e.FullName).ToArray();
            Assert.True(natives.Length == 1 && natives[0].StartsWith($"tools/net10.0/{platform}/", StringComparison.Ordinal),
                $"{platform}: expected one libSkiaSharp of its own, found {string.Join(", ", natives)}");
        }
        long umbrella = new FileInfo(tool.PackagePath(null)).Length;
        Assert.True(umbrella < 100_000, $"the umbrella package is {umbrella:N0} bytes; it should only point at the platform packages");
        Console.WriteLine(sizes.ToString());

        // The umbrella names every platform package, so `dotnet tool install` can pick one.
        using var umbrellaPackage = ZipFile.OpenRead(tool.PackagePath(null));
        var settings = umbrellaPackage.Entries.Single(e => e.Name == "DotnetToolSettings.xml");
        using var stream = settings.Open();
        var named = XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "RuntimeIdentifierPackage")
            .Select(e => (string?)e.Attribute("RuntimeIdentifier")).Order().ToArray();
        Assert.Equal(Platforms.Order().ToArray(), named);
    }

    [Fact]
    public void Installed_from_the_local_feed_convgen_prints_help_and_summarises_a_checkpoint()
    {
        tool.EnsurePacked();
        string toolPath = Path.Combine(tool.Root, "tools");
        var install = tool.Dotnet(tool.Root, "tool", "install", "--tool-path", toolPath, "--configfile", tool.NugetConfig, "ConvGen.Tool", "--version", tool.Version);
        Assert.True(install.ExitCode == 0, install.ToString());
        string convgen = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "convgen.exe" : "convgen");
        Assert.True(File.Exists(convgen), $"dotnet tool install left no {convgen}:\n{install}");

        var help = tool.Run(convgen, "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (string command in new[] { "import", "summary", "inspect", "visualize", "bench" })
        {
            Assert.Contains(command, help.Output);
        }

        // A training checkpoint written here byte by byte (safetensors: header length, JSON, data):
        // conv 3x3x1x4 + 4 biases = 40 parameters, dense 100x2 + 2 = 202.
        string checkpoint = Path.Combine(tool.Root, "bars.safetensors");
        SafetensorsFile.Write(checkpoint,
            new Dictionary<string, string> { ["format"] = "convgen-checkpoint", ["network"] = "Demo.BarsNet", ["optimizer"] = "Sgd", ["epochs_completed"] = "1" },
            ("conv2d.weight", new long[] { 3, 3, 1, 4 }), ("conv2d.bias", new long[] { 4 }), ("dense.weight", new long[] { 100, 2 }), ("dense.bias", new long[] { 2 }));
        var summary = tool.Run(convgen, "summary", checkpoint);
        Assert.True(summary.ExitCode == 0, summary.ToString());
        Assert.Contains("Model: \"BarsNet\" (training checkpoint)", summary.Output);
        Assert.Matches(@"(?m)^conv2d \(Conv2D\) +\[\?,\?,4\] +40$", summary.Output);
        Assert.Matches(@"(?m)^dense \(Dense\) +\[2\] +202$", summary.Output);
        Assert.Contains("Total params: 242", summary.Output);

        // Bad input through the installed tool: one line naming the file, exit code 1.
        string missing = Path.Combine(tool.Root, "missing.safetensors");
        var failure = tool.Run(convgen, "summary", missing);
        Assert.True(failure.ExitCode == 1 && failure.Output.Contains("missing.safetensors: file not found", StringComparison.Ordinal), failure.ToString());
    }
}

/// <summary>Writes a safetensors file of zero-filled F32 tensors, without any ConvGen code.</summary>
internal static class SafetensorsFile
{
    public static void Write(string path, IReadOnlyDictionary<string, string> metadata, params (string Name, long[] Shape)[] tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = metadata };
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            long bytes = shape.Aggregate(1L, (a, b) => a * b) * sizeof(float);
            header[name] = new Dictionary<string, object> { ["dtype"] = "F32", ["shape"] = shape, ["data_offsets"] = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        file.Write(new byte[offset]);
    }
}
