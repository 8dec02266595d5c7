using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Global analyzer options as MSBuild hands them to generators: <c>build_property.NAME</c> for
/// each CompilerVisibleProperty. Lets tests set ConvGen's size limits without a project file.
/// </summary>
internal sealed class TestAnalyzerConfigOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly TestAnalyzerConfigOptions _global;

    public TestAnalyzerConfigOptionsProvider(IReadOnlyDictionary<string, string> buildProperties)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (name, value) in buildProperties)
        {
            values["build_property." + name] = value;
        }
        _global = new TestAnalyzerConfigOptions(values.ToImmutable());
    }

    public static TestAnalyzerConfigOptionsProvider With(params (string Name, string Value)[] buildProperties)
    {
        var values = new Dictionary<string, string>();
        foreach (var (name, value) in buildProperties)
        {
            values[name] = value;
        }
        return new TestAnalyzerConfigOptionsProvider(values);
    }

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => TestAnalyzerConfigOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => TestAnalyzerConfigOptions.Empty;

    private sealed class TestAnalyzerConfigOptions(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static TestAnalyzerConfigOptions Empty { get; } = new(ImmutableDictionary<string, string>.Empty);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
