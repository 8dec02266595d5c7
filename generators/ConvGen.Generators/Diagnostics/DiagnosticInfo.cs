using System.Collections.Immutable;
using System.Linq;
using ConvGen.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Diagnostics;

/// <summary>
/// An equatable diagnostic: descriptor ID, where, the message arguments as strings, and the
/// properties a code fix reads (see <see cref="DiagnosticProperties"/>).
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    /// <summary>Key/value pairs handed to code fixes.</summary>
    public EquatableArray<DiagnosticProperty> Properties { get; init; } = EquatableArray<DiagnosticProperty>.Empty;

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor.Id, location, arguments.Select(a => a?.ToString() ?? "").ToEquatableArray());

    public DiagnosticInfo WithProperty(string key, string value) =>
        this with { Properties = Properties.Concat(new[] { new DiagnosticProperty(key, value) }).ToEquatableArray() };

    public Diagnostic ToDiagnostic()
    {
        var properties = Properties.IsEmpty
            ? null
            : Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value);
        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
            properties, Arguments.Cast<object>().ToArray());
    }

    public DiagnosticSeverity Severity => DiagnosticDescriptors.ById(Id).DefaultSeverity;

    public bool IsError => Severity == DiagnosticSeverity.Error;
}

/// <summary>One entry of <see cref="DiagnosticInfo.Properties"/>.</summary>
internal readonly record struct DiagnosticProperty(string Key, string Value);
