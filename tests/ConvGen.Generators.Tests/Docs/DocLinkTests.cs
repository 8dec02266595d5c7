using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Generators.Tests.Infrastructure;

namespace ConvGen.Generators.Tests.Docs;

/// <summary>
/// The docs hang together: every page under docs/ can be reached from the repository README by
/// following links, and every relative link (to a page, a picture, a file or a heading) points
/// at something that exists.
/// </summary>
public sealed class DocLinkTests
{
    private static readonly string s_root = TestPaths.RepositoryRoot;

    // [text](target) and ![alt](target); the target ends at white space or ')'.
    private static readonly Regex s_link = new(@"\]\((?<target>[^)\s]+)\)", RegexOptions.Compiled);

    [Fact]
    public void Every_docs_page_is_reachable_from_the_readme()
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(new[] { "README.md" });
        while (pending.Count > 0)
        {
            string page = pending.Dequeue();
            if (!reached.Add(page))
            {
                continue;
            }
            foreach (var link in Links(page).Where(l => l.File.EndsWith(".md", StringComparison.Ordinal) && System.IO.File.Exists(Path.Combine(s_root, l.File))))
            {
                pending.Enqueue(link.File);
            }
        }

        var pages = Directory.GetFiles(Path.Combine(s_root, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(Relative)
            .Where(p => !p.StartsWith("docs/tools/", StringComparison.Ordinal));
        pages.Where(p => !reached.Contains(p)).ShouldBeEmpty("pages no link chain from README.md reaches");
    }

    [Fact]
    public void Relative_links_point_at_files_and_headings_that_exist()
    {
        var pages = Directory.GetFiles(Path.Combine(s_root, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(Relative)
            .Append("README.md");
        var broken = new List<string>();
        foreach (string page in pages)
        {
            foreach (var link in Links(page))
            {
                string path = Path.Combine(s_root, link.File);
                if (!System.IO.File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{page}: {link.Target} (no such file)");
                }
                else if (link.Anchor is { } anchor && link.File.EndsWith(".md", StringComparison.Ordinal)
                    && !HeadingAnchors(System.IO.File.ReadAllText(path)).Contains(anchor))
                {
                    broken.Add($"{page}: {link.Target} (no heading with that anchor)");
                }
            }
        }
        broken.ShouldBeEmpty();
    }

    [Fact]
    public void Heading_anchors_follow_github()
    {
        HeadingAnchors("## `[Network]`\n### The drawn data set (`SyntheticShapes`)\n## In-memory `Dataset`\n## A: b\n## A: b\n")
            .ShouldBe(new[] { "network", "the-drawn-data-set-syntheticshapes", "in-memory-dataset", "a-b", "a-b-1" }, ignoreOrder: true);
    }

    private sealed record Link(string Target, string File, string? Anchor);

    /// <summary>The relative links of a page outside code blocks, resolved against the repository root.</summary>
    private static IEnumerable<Link> Links(string page)
    {
        string directory = Path.GetDirectoryName(page) ?? "";
        foreach (string line in TextOutsideCode(System.IO.File.ReadAllText(Path.Combine(s_root, page))))
        {
            foreach (Match match in s_link.Matches(line))
            {
                string target = match.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }
                int hash = target.IndexOf('#');
                string file = hash < 0 ? target : target.Substring(0, hash);
                string? anchor = hash < 0 ? null : target.Substring(hash + 1);
                string resolved = file.Length == 0 ? page : Relative(Path.GetFullPath(Path.Combine(s_root, directory, file)));
                yield return new Link(target, resolved, anchor);
            }
        }
    }

    private static IEnumerable<string> TextOutsideCode(string text)
    {
        bool inCode = false;
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            if (!inCode)
            {
                yield return line;
            }
        }
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered.</summary>
    private static HashSet<string> HeadingAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in TextOutsideCode(markdown))
        {
            var heading = Regex.Match(line, @"^#{1,6}\s+(.*?)\s*$");
            if (!heading.Success)
            {
                continue;
            }
            string slug = new string(heading.Groups[1].Value.ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
            seen.TryGetValue(slug, out int count);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }
        return anchors;
    }

    private static string Relative(string path) => Path.GetRelativePath(s_root, path).Replace('\\', '/');
}
