using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvGen.Generators.Tests.Docs;

/// <summary>
/// One <c>```csharp</c> block of a Markdown page, with what its fence and the comment before it
/// say about it. The conventions (documented at the top of docs/README.md):
/// <list type="bullet">
/// <item><c>```csharp</c> must compile cleanly: no compiler error, no generator warning or error.</item>
/// <item><c>```csharp expect-CG0101</c> must report exactly those generator diagnostics (one or
/// more <c>expect-</c> tokens) and nothing else at warning level or above.</item>
/// <item>A token <c>ConvGenMaxParameters=10</c> in the fence sets that MSBuild property for the block.</item>
/// <item>An HTML comment <c>&lt;!-- prelude ... --&gt;</c> right before the fence holds code the
/// block needs but does not show (a network declaration, a variable); it is compiled with it.</item>
/// </list>
/// </summary>
/// <param name="File">Path relative to the repository root, with '/' separators.</param>
/// <param name="Line">1-based line of the first code line (the line after the fence).</param>
/// <param name="Code">The block's code, its indentation removed.</param>
/// <param name="Prelude">Hidden code from the preceding comment, or null.</param>
/// <param name="PreludeLine">1-based line of the prelude's first code line.</param>
internal sealed record DocSnippet(
    string File,
    int Line,
    string Code,
    IReadOnlyList<string> ExpectedIds,
    IReadOnlyDictionary<string, string> BuildProperties,
    string? Prelude,
    int PreludeLine)
{
    private const string Fence = "```";
    private const string PreludeOpening = "<!-- prelude";

    /// <summary>Where the block starts, as a test's display name and failure messages show it.</summary>
    public string Where => $"{File}:{Line}";

    public override string ToString() => Where;

    /// <summary>Every C# block of every page under docs/ and of README.md, in file and line order.</summary>
    public static IReadOnlyList<DocSnippet> All(string repositoryRoot)
    {
        var pages = Directory.GetFiles(Path.Combine(repositoryRoot, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(repositoryRoot, "README.md"))
            .Select(path => Path.GetRelativePath(repositoryRoot, path).Replace('\\', '/'))
            .OrderBy(path => path, StringComparer.Ordinal);
        return pages.SelectMany(page => Read(page, System.IO.File.ReadAllText(Path.Combine(repositoryRoot, page)))).ToList();
    }

    /// <summary>The C# blocks of one page.</summary>
    public static IEnumerable<DocSnippet> Read(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith(Fence, StringComparison.Ordinal))
            {
                continue;
            }
            int indent = lines[i].Length - trimmed.Length;
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == Fence);
            if (end < 0)
            {
                throw new InvalidDataException($"{file}:{i + 1}: the code block is not closed");
            }
            var info = trimmed.Substring(Fence.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (info.Length > 0 && info[0] == "csharp")
            {
                var code = string.Join("\n", lines.Skip(i + 1).Take(end - i - 1).Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
                var (prelude, preludeLine) = PreludeBefore(lines, i, file);
                yield return new DocSnippet(file, i + 2, code,
                    info.Skip(1).Where(t => t.StartsWith("expect-", StringComparison.Ordinal)).Select(t => t.Substring("expect-".Length)).ToList(),
                    info.Skip(1).Where(t => t.Contains('=')).ToDictionary(t => t.Substring(0, t.IndexOf('=')), t => t.Substring(t.IndexOf('=') + 1)),
                    prelude, preludeLine);
                var unknown = info.Skip(1).Where(t => !t.StartsWith("expect-", StringComparison.Ordinal) && !t.Contains('=')).ToList();
                if (unknown.Count > 0)
                {
                    throw new InvalidDataException($"{file}:{i + 1}: unknown fence token(s) {string.Join(", ", unknown)}; expected expect-CGxxxx or ConvGenProperty=value");
                }
            }
            i = end;
        }
    }

    /// <summary>The <c>&lt;!-- prelude ... --&gt;</c> comment ending just before the fence (blank lines allowed), or null.</summary>
    private static (string? Code, int Line) PreludeBefore(string[] lines, int fence, string file)
    {
        int last = fence - 1;
        while (last >= 0 && lines[last].Trim().Length == 0)
        {
            last--;
        }
        if (last < 0 || lines[last].Trim() != "-->")
        {
            return (null, 0);
        }
        int first = last - 1;
        while (first >= 0 && !lines[first].TrimStart().StartsWith("<!--", StringComparison.Ordinal))
        {
            first--;
        }
        if (first < 0 || lines[first].Trim() != PreludeOpening)
        {
            throw new InvalidDataException($"{file}:{first + 1}: a comment right before a csharp block must be a prelude: '{PreludeOpening}' alone on its line, the code, then '-->' alone on its line");
        }
        return (string.Join("\n", lines.Skip(first + 1).Take(last - first - 1)), first + 2);
    }
}
