using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Generators.Tests.Infrastructure;

namespace ConvGen.Generators.Tests.Docs;

/// <summary>
/// Measured speed stated in the docs comes from benchmarks/RESULTS.md, the one record with the
/// date, machine, command and load of each figure: every speed figure on a page (a number with
/// GFLOP/s, images/s, img/s, pictures/s, ms, or "x" / "times" faster or slower, in prose, and
/// every number in a table column headed by such a unit or a ratio) must appear word for word in
/// RESULTS.md, and a page that states one must link RESULTS.md. Code blocks are commands and
/// printed output, not claims, and are skipped.
/// </summary>
public sealed partial class PerformanceClaimTests
{
    private static readonly string s_root = TestPaths.RepositoryRoot;

    [Fact]
    public void Every_speed_figure_in_the_docs_is_quoted_from_results_and_its_page_links_there()
    {
        string results = File.ReadAllText(Path.Combine(s_root, "benchmarks", "RESULTS.md"));
        var pages = Directory.GetFiles(Path.Combine(s_root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(s_root, "README.md"))
            .Concat(Directory.GetFiles(Path.Combine(s_root, "samples"), "README.md", SearchOption.AllDirectories));
        var problems = new List<string>();
        int claims = 0;
        foreach (string page in pages)
        {
            string name = Path.GetRelativePath(s_root, page).Replace('\\', '/');
            var found = Claims(File.ReadAllText(page)).ToList();
            claims += found.Count;
            problems.AddRange(found.Where(c => !results.Contains(c.Number, StringComparison.Ordinal))
                .Select(c => $"{name}:{c.Line}: '{c.Text}' — {c.Number} is not in benchmarks/RESULTS.md"));
            if (found.Count > 0 && !ResultsLink().IsMatch(File.ReadAllText(page)))
            {
                problems.Add($"{name}: states {found.Count} speed figure(s) but does not link benchmarks/RESULTS.md");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The check must have something to check: performance.md alone has dozens of figures.
        Assert.True(claims > 30, $"only {claims} speed figures found; the pattern no longer matches the docs");
    }

    [Fact]
    public void Figures_in_prose_and_in_speed_columns_are_found_and_code_blocks_are_not()
    {
        const string page = """
            ConvGen runs it at 74 GFLOP/s, 1.7 times slower than before, 22.2 ms a picture.
            | net | threads | train img/s | parameters |
            |---|---|---|---|
            | seed | 2 | 3,432 | 80,602 |
            ```text
            train 2035.1 images/s
            ```
            """;
        var numbers = Claims(page).Select(c => c.Number).ToArray();
        Assert.Equal(new[] { "74", "1.7", "22.2", "3,432" }, numbers);
    }

    internal sealed record Claim(int Line, string Text, string Number);

    internal static IEnumerable<Claim> Claims(string markdown)
    {
        string[] lines = markdown.Replace("\r\n", "\n").Split('\n');
        bool inCode = false;
        HashSet<int>? speedColumns = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            if (inCode)
            {
                continue;
            }
            if (line.TrimStart().StartsWith('|'))
            {
                string[] cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (speedColumns is null)
                {
                    // The header row: the columns whose heading names a speed unit or a ratio.
                    speedColumns = cells.Select((c, k) => (c, k)).Where(x => SpeedHeading().IsMatch(x.c)).Select(x => x.k).ToHashSet();
                    continue;
                }
                foreach (int k in speedColumns.Where(k => k < cells.Length))
                {
                    foreach (Match number in Number().Matches(cells[k]))
                    {
                        yield return new Claim(i + 1, cells[k], number.Value);
                    }
                }
                continue;
            }
            speedColumns = null;
            foreach (Match match in SpeedFigure().Matches(line))
            {
                yield return new Claim(i + 1, match.Value, match.Groups["number"].Value);
            }
        }
    }

    [GeneratedRegex(@"(?<number>\d[\d,]*(?:\.\d+)?)\s?(?:GFLOP/s|images/s|img/s|pictures/s|ms\b|x faster|x slower|times faster|times slower)")]
    private static partial Regex SpeedFigure();

    [GeneratedRegex(@"GFLOP/s|images/s|img/s|pictures/s|\bms\b|ratio|\bvs\b", RegexOptions.IgnoreCase)]
    private static partial Regex SpeedHeading();

    // Numbers in a cell, skipping the separator row's dashes: 1,463  2.93x  0.84.
    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\]\([^)\s]*benchmarks/RESULTS\.md[^)\s]*\)")]
    private static partial Regex ResultsLink();
}
