using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace ConvGen.Package.Tests;

/// <summary>The package README (shown on the package page): its program and the error it promises.</summary>
internal static partial class PackageReadme
{
    public static string Text(string repositoryRoot) =>
        File.ReadAllText(Path.Combine(repositoryRoot, "src", "ConvGen", "Package", "README.md"));

    /// <summary>The README's C# block, exactly as a user would paste it into Program.cs.</summary>
    public static string Program(string repositoryRoot)
    {
        var match = CSharpBlock().Match(Text(repositoryRoot));
        Assert.True(match.Success, "The package README has no ```csharp block.");
        return match.Groups[1].Value;
    }

    /// <summary>The README's example error line, up to the "..." that shortens it.</summary>
    public static string PromisedError(string repositoryRoot)
    {
        string line = Text(repositoryRoot).Split('\n').Single(l => l.StartsWith("Program.cs(", StringComparison.Ordinal));
        int cut = line.IndexOf(" ...", StringComparison.Ordinal);
        return (cut < 0 ? line : line[..cut]).Trim();
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
