using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace ConvGen.Package.Tests;

/// <summary>What the ConvGen package carries, read from the .nupkg the fixture packed.</summary>
[Collection(PackedConvGenCollection.Name)]
public sealed class PackageContentsTests(PackedConvGen packed)
{
    [Fact]
    public void Package_holds_the_runtime_with_xml_docs_and_the_generator_and_code_fixes_as_analyzers()
    {
        packed.EnsurePacked();
        using var package = ZipFile.OpenRead(packed.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string expected in new[]
        {
            "lib/net10.0/ConvGen.dll",
            "lib/net10.0/ConvGen.xml",
            "analyzers/dotnet/cs/ConvGen.Generators.dll",
            "analyzers/dotnet/cs/ConvGen.CodeFixes.dll",
            "build/ConvGen.props",
            "buildTransitive/ConvGen.props",
            "build/ConvGen.targets",
            "buildTransitive/ConvGen.targets",
            "README.md",
            "icon.png",
        })
        {
            Assert.True(entries.Contains(expected), $"{expected} is not in the package; it holds: {string.Join(", ", entries.Order())}");
        }
        // The generator must not ship as a library the user's code compiles against.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_props_make_the_generator_size_limits_compiler_visible()
    {
        packed.EnsurePacked();
        using var package = ZipFile.OpenRead(packed.PackagePath);
        foreach (string path in new[] { "build/ConvGen.props", "buildTransitive/ConvGen.props" })
        {
            using var stream = package.GetEntry(path)!.Open();
            var visible = XDocument.Load(stream).Descendants("CompilerVisibleProperty").Select(e => (string?)e.Attribute("Include")).ToArray();
            Assert.Equal(new[] { "ConvGenMaxParameters", "ConvGenMaxActivationBytes", "ConvGenMaxLayers", "ConvGenMaxGeneratedCodeBytes" }, visible);
        }
    }

    [Fact]
    public void Nuspec_declares_licence_readme_icon_repository_commit_and_only_managed_dependencies()
    {
        packed.EnsurePacked();
        using var package = ZipFile.OpenRead(packed.PackagePath);
        using var stream = package.GetEntry("ConvGen.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(packed.Version, Value("version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("icon.png", Value("icon"));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? "");

        // The core package stays free of native code: no SkiaSharp, no ScottPlot, no Roslyn; only
        // TensorPrimitives and the CSV parser (Sep, managed code).
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string?)e.Attribute("id")).Order().ToArray();
        Assert.Equal(new[] { "Sep", "System.Numerics.Tensors" }, dependencies);
    }

    [Fact]
    public void Icon_is_a_128_pixel_png_and_the_licence_file_says_mit()
    {
        packed.EnsurePacked();
        using var package = ZipFile.OpenRead(packed.PackagePath);
        using var icon = new MemoryStream();
        package.GetEntry("icon.png")!.Open().CopyTo(icon);
        byte[] png = icon.ToArray();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        Assert.Equal((128, 128), (width, height));

        string licence = File.ReadAllText(Path.Combine(packed.RepositoryRoot, "LICENSE"));
        Assert.StartsWith("MIT License", licence);
    }
}
