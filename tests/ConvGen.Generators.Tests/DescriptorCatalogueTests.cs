using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>The descriptor catalogue stays consistent as rules are added.</summary>
public sealed class DescriptorCatalogueTests
{
    private static readonly string[] s_idConstants = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.Name.EndsWith("Id"))
        .Select(f => f.Name)
        .ToArray();

    [Fact]
    public void Ids_are_unique_in_their_documented_ranges_with_a_help_link()
    {
        var descriptors = DiagnosticDescriptors.All.ToList();
        descriptors.Select(d => d.Id).ShouldBeUnique();
        descriptors.Count.ShouldBe(s_idConstants.Length);
        foreach (var descriptor in descriptors)
        {
            descriptor.Id.ShouldMatch("^CG[0-9]{4}$");
            string expectedCategory = int.Parse(descriptor.Id.Substring(2)) switch
            {
                < 100 => "ConvGen.Usage",
                < 200 => "ConvGen.Shapes",
                < 300 => "ConvGen.Training",
                _ => "ConvGen.Limits",
            };
            descriptor.Category.ShouldBe(expectedCategory, descriptor.Id);
            descriptor.DefaultSeverity.ShouldNotBe(DiagnosticSeverity.Hidden, descriptor.Id);
            descriptor.IsEnabledByDefault.ShouldBeTrue(descriptor.Id);
            descriptor.HelpLinkUri.ShouldBe($"docs/diagnostics/{descriptor.Id}.md");
        }
    }

    [Fact]
    public void Every_id_is_tracked_in_the_analyzer_release_files()
    {
        string releases = File.ReadAllText(Path.Combine(TestPaths.GeneratorProject, "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(TestPaths.GeneratorProject, "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            releases.ShouldContain($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |");
        }
    }

    // DiagnosticTests (all its partial files) names each rule by its ...Id constant; a new rule
    // without a test fails here.
    [Fact]
    public void Every_id_has_a_diagnostic_test()
    {
        // The program analyzer's IDs are tested by its catalogue of mistaken programs.
        string tests = string.Concat(Directory.GetFiles(TestPaths.ProjectDirectory, "DiagnosticTests*.cs")
            .Concat(Directory.GetFiles(Path.Combine(TestPaths.ProjectDirectory, "ProgramChecks"), "*.cs")).Select(File.ReadAllText));
        var tested = Regex.Matches(tests, @"DiagnosticDescriptors\.(\w+Id)\b").Select(m => m.Groups[1].Value).ToHashSet();

        s_idConstants.Where(id => !tested.Contains(id)).ShouldBeEmpty();
    }
}
