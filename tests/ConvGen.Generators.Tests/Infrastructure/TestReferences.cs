using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// What an in-memory compilation of a user's network references: the .NET 10 reference
/// assemblies (shipped in a NuGet package, because the testing library's own net10.0 reference
/// set is not served by the feed) plus the ConvGen runtime the generated code calls.
/// </summary>
internal static class TestReferences
{
    public static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(global::ConvGen.INetwork).Assembly.Location);

    public static ImmutableArray<MetadataReference> Framework { get; } =
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToImmutableArray();

    public static ImmutableArray<MetadataReference> All { get; } = Framework.Add(Runtime);
}
