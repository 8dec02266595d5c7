using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Tests.Docs;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generators.Tests;

/// <summary>
/// docs/diagnostics has exactly one page per descriptor, listed in its README, and every page's
/// example is executable documentation: the generator must report the message the page shows for
/// the example. That every block compiles (the example with exactly its own diagnostic, the fix
/// cleanly) is checked with all other docs snippets by <see cref="DocSnippetTests"/>.
/// </summary>
public sealed class DiagnosticDocsTests
{
    private static readonly string s_docs = Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics");

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in DiagnosticDescriptors.All.OrderBy(d => d.Id))
        {
            data.Add(descriptor.Id);
        }
        return data;
    }

    [Fact]
    public void Every_descriptor_has_a_page_and_every_page_a_descriptor()
    {
        var pages = Directory.GetFiles(s_docs, "CG*.md").Select(p => Path.GetFileNameWithoutExtension(p)!).OrderBy(x => x).ToList();
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(x => x).ToList();

        pages.ShouldBe(ids);
    }

    [Fact]
    public void Readme_lists_every_id_with_its_severity_and_title()
    {
        string readme = File.ReadAllText(Path.Combine(s_docs, "README.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            readme.ShouldContain($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} |");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_names_the_rule_and_explains_it(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var page = Page.Read(id);

        page.Text.ShouldStartWith($"# {id}: {descriptor.Title}\n");
        page.Text.ShouldContain($"| Severity | {descriptor.DefaultSeverity} |");
        page.Text.ShouldContain($"| Category | {descriptor.Category} |");
        page.Section("What triggers it").Trim().ShouldNotBeEmpty();
        page.Section("How to fix it").Trim().ShouldNotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async System.Threading.Tasks.Task Example_reports_the_message_the_page_shows(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var page = Page.Read(id);
        var example = page.Section("Example");
        string expected = Page.Block(example, "text").ShouldNotBeNull($"{id}: the example shows no message").Trim();
        // DocSnippetTests compiles every block and checks the expect- marker; this test adds the
        // exact message and severity, which only the diagnostics pages show.
        var snippet = page.Snippets.FirstOrDefault(s => example.Contains(s.Code)).ShouldNotBeNull($"{id}: the example has no csharp block");
        snippet.ExpectedIds.ShouldBe(new[] { id }, $"{snippet.Where}: the example's fence must read ```csharp expect-{id}");

        var run = GeneratorHarness.Run(new TestAnalyzerConfigOptionsProvider(snippet.BuildProperties), snippet.Code);

        run.ShouldNotHaveThrown();
        // The program analyzer's IDs (CG0210 up) come from the analyzer, run over the generated code too.
        var all = run.GeneratorDiagnostics.AddRange(await run.OutputCompilation
            .WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new ProgramAnalyzer()))
            .GetAnalyzerDiagnosticsAsync());
        var reported = all.Where(d => d.Id == id).Select(Format).ToList();
        reported.ShouldContain(expected, $"{id}: the example reports {string.Join(" / ", reported)}");
        descriptor.DefaultSeverity.ShouldBe(all.First(d => d.Id == id).Severity);
    }

    /// <summary>Pages whose fix is a project setting rather than code (CG0304): the settings must silence the rule.</summary>
    public static TheoryData<string> IdsFixedBySettings()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in DiagnosticDescriptors.All.OrderBy(d => d.Id))
        {
            var fix = Page.Read(descriptor.Id).Section("How to fix it");
            if (Page.Block(fix, "csharp") is null)
            {
                data.Add(descriptor.Id);
            }
        }
        return data;
    }

    /// <summary>Fixes written as code are compiled by DocSnippetTests like every other block.</summary>
    [Theory]
    [MemberData(nameof(IdsFixedBySettings))]
    public void Fix_by_settings_is_clean(string id)
    {
        var page = Page.Read(id);
        var fix = page.Section("How to fix it");
        var example = page.Snippets.First(s => s.ExpectedIds.Contains(id));
        Page.Block(fix, "xml").ShouldNotBeNull($"{id}: the fix shows neither code nor settings");

        var run = GeneratorHarness.Run(Page.Options(fix), example.Code);

        run.ShouldNotHaveThrown();
        run.GeneratorDiagnostics.ShouldNotContain(d => d.Id == id);
        run.GeneratorProblems.ShouldBeEmpty(id);
    }

    private static string Format(Diagnostic diagnostic) =>
        $"{diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage()}";

    /// <summary>A page, split by its <c>## </c> headings.</summary>
    private sealed record Page(string Id, string Text)
    {
        public static Page Read(string id) => new(id, File.ReadAllText(Path.Combine(s_docs, id + ".md")).Replace("\r\n", "\n"));

        /// <summary>The page's csharp blocks, read as DocSnippetTests reads them.</summary>
        public IReadOnlyList<DocSnippet> Snippets => DocSnippet.Read($"docs/diagnostics/{Id}.md", Text).ToList();

        public string Section(string heading)
        {
            int start = Text.IndexOf("\n## " + heading + "\n", System.StringComparison.Ordinal);
            start.ShouldBeGreaterThanOrEqualTo(0, $"no section '{heading}'");
            int end = Text.IndexOf("\n## ", start + 4, System.StringComparison.Ordinal);
            return Text.Substring(start, (end < 0 ? Text.Length : end) - start);
        }

        /// <summary>The first fenced block of <paramref name="language"/> in <paramref name="section"/>, or null.</summary>
        public static string? Block(string section, string language)
        {
            var match = Regex.Match(section, $"```{language}[^\\n]*\\n(.*?)```", RegexOptions.Singleline);
            return match.Success ? match.Groups[1].Value : null;
        }

        /// <summary>The ConvGen MSBuild properties an xml block sets, as the analyzer options the generator reads.</summary>
        public static TestAnalyzerConfigOptionsProvider Options(string section)
        {
            var properties = new Dictionary<string, string>();
            if (Block(section, "xml") is { } xml)
            {
                foreach (Match property in Regex.Matches(xml, @"<(ConvGen\w+)>(.*?)</\1>"))
                {
                    properties[property.Groups[1].Value] = property.Groups[2].Value;
                }
            }
            return new TestAnalyzerConfigOptionsProvider(properties);
        }
    }
}
