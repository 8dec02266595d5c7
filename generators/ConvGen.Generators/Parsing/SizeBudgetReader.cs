using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// Reads the size limits from the global analyzer options. MSBuild properties reach them as
/// <c>build_property.NAME</c> when the project lists them as <c>CompilerVisibleProperty</c>
/// (ConvGen.Generators.props does), and a .globalconfig can set the same keys directly.
/// </summary>
internal static class SizeBudgetReader
{
    public static SizeBudget Read(AnalyzerConfigOptions options)
    {
        var problems = new List<DiagnosticInfo>();
        long maxParameters = ReadLimit(options, SizeBudget.MaxParametersProperty, SizeBudget.DefaultMaxParameters, problems);
        long maxActivationBytes = ReadLimit(options, SizeBudget.MaxActivationBytesProperty, SizeBudget.DefaultMaxActivationBytes, problems);
        long maxLayers = ReadLimit(options, SizeBudget.MaxLayersProperty, SizeBudget.DefaultMaxLayers, problems);
        long maxCodeBytes = ReadLimit(options, SizeBudget.MaxGeneratedCodeBytesProperty, SizeBudget.DefaultMaxGeneratedCodeBytes, problems);
        return new SizeBudget(maxParameters, maxActivationBytes, problems.ToEquatableArray())
        {
            MaxLayers = maxLayers,
            MaxGeneratedCodeBytes = maxCodeBytes,
        };
    }

    private static long ReadLimit(AnalyzerConfigOptions options, string property, long fallback, List<DiagnosticInfo> problems)
    {
        // An MSBuild property that is declared visible but not set arrives as an empty string.
        if (!options.TryGetValue("build_property." + property, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        // Digit separators as people write them: 50_000_000 or 50,000,000.
        string digits = text.Trim().Replace("_", "").Replace(",", "");
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0)
        {
            return value;
        }
        problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLimitSetting, null,
            property, text, fallback.ToString("N0", CultureInfo.InvariantCulture)));
        return fallback;
    }
}
