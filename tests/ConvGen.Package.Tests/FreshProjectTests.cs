using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace ConvGen.Package.Tests;

/// <summary>
/// A new user's first minutes: a fresh console project, <c>PackageReference ConvGen</c> from the
/// local feed, the package README's program pasted into Program.cs; it builds, trains, and a shape
/// mistake fails the build with the diagnostic the README shows.
/// </summary>
[Collection(PackedConvGenCollection.Name)]
public sealed partial class FreshProjectTests(PackedConvGen packed)
{
    [Fact]
    public void Readme_program_builds_from_the_package_and_trains_until_the_loss_falls()
    {
        string program = PackageReadme.Program(packed.RepositoryRoot);
        string project = packed.CreateProject("Bars", new Dictionary<string, string> { ["Program.cs"] = program });

        var build = packed.Dotnet(project, new[] { "build", "-c", "Release" }.With(DotnetCli.NoServers));
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("warning CG", build.Output);
        Assert.True(File.Exists(Path.Combine(packed.Packages, "convgen", packed.Version, $"convgen.{packed.Version}.nupkg")),
            "ConvGen was not restored from the local feed into the private package folder.");

        var run = packed.Dotnet(project, Path.Combine("bin", "Release", "net10.0", "Bars.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        // The summary the generated metadata gives (4 filters of 3x3x1 + 4 biases = 40; 100x2 + 2 = 202).
        Assert.Contains("Model: \"BarsNet\"", run.Output);
        Assert.Matches(@"conv2d \(Conv2D\)\s+\[10,10,4\]\s+40", run.Output);
        Assert.Matches(@"dense \(Dense\)\s+\[2\]\s+202", run.Output);
        Assert.Contains("Total params: 242", run.Output);

        double[] losses = EpochLoss().Matches(run.Output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses.Length == 6, $"expected 6 epoch lines:\n{run.Output}");
        Assert.True(losses[^1] < 0.5 * losses[0], $"the loss did not fall by half: {string.Join(", ", losses)}");
        double accuracy = double.Parse(FinalAccuracy().Match(run.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.9, $"final training accuracy {accuracy}:\n{run.Output}");
    }

    [Fact]
    public void Shape_mistake_from_the_readme_fails_the_build_at_its_attribute()
    {
        // The README: "[Conv2D(16, 7)] after the pooling above" gives the error line it prints.
        var lines = PackageReadme.Program(packed.RepositoryRoot).Split('\n').ToList();
        int pool = lines.FindIndex(l => l.StartsWith("[MaxPool2D(2)]", System.StringComparison.Ordinal));
        Assert.True(pool >= 0, "The README program has no [MaxPool2D(2)] line.");
        lines.Insert(pool + 1, "[Conv2D(16, 7)]");
        string project = packed.CreateProject("BrokenBars", new Dictionary<string, string> { ["Program.cs"] = string.Join('\n', lines) });

        var build = packed.Dotnet(project, new[] { "build", "-c", "Release" }.With(DotnetCli.NoServers));
        Assert.True(build.ExitCode is not 0 and not DotnetCli.KilledAtLimit, $"the broken program should fail to build, not {build}");
        string promised = PackageReadme.PromisedError(packed.RepositoryRoot);
        Assert.Contains($"Program.cs({pool + 2},2): error CG0101:", promised);
        Assert.True(build.Output.Contains(promised, System.StringComparison.Ordinal),
            $"the build output does not contain the README's error\n  {promised}\n{build.Output}");
    }

    [GeneratedRegex(@"^Epoch \d+/6 .* - loss ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex EpochLoss();

    [GeneratedRegex(@"final accuracy ([0-9.]+)")]
    private static partial Regex FinalAccuracy();
}
