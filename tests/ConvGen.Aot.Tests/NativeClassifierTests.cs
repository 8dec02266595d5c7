using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics.X86;
using System.Text.RegularExpressions;

namespace ConvGen.Aot.Tests;

/// <summary>
/// The lecture network's whole workflow in one native executable: published with PublishAot
/// without a single trim or AOT warning, it trains, draws the training curves, saves safetensors,
/// reloads them and predicts, with the 256-bit SIMD paths on.
/// </summary>
public sealed partial class NativeClassifierTests(PublishedClassifier published) : IClassFixture<PublishedClassifier>
{
    private static readonly TimeSpan RunBackstop = TimeSpan.FromMinutes(5);

    [Fact]
    public void Publish_reports_no_trim_or_aot_warning_and_makes_one_small_native_executable()
    {
        published.EnsurePublished();
        Assert.DoesNotMatch(AnyWarning(), published.Publish.Output);

        // A native ELF executable; no IL assembly of the program beside it.
        byte[] header = new byte[4];
        using (var file = File.OpenRead(published.Executable))
        {
            file.ReadExactly(header);
        }
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, header);
        Assert.False(File.Exists(Path.Combine(published.PublishFolder, "AotClassifier.dll")), "the publish folder holds the IL assembly: not a NativeAOT publish");
        long bytes = new FileInfo(published.Executable).Length;
        Assert.True(bytes < 15 << 20, $"the executable has {bytes:N0} bytes; docs/aot.md promises under 15 MB");
    }

    [Fact]
    public void Package_targets_choose_x86_64_v3_and_say_so_in_the_publish_output()
    {
        published.EnsurePublished();
        Assert.Contains("ConvGen: NativeAOT for x86-64-v3", published.Publish.Output);
    }

    [Fact]
    public void Native_executable_trains_saves_reloads_and_predicts_with_the_256_bit_paths_on()
    {
        published.EnsurePublished();
        string output = Path.Combine(published.Root, "run");
        var run = Run(published.Executable, "--epochs", "3", "--images-per-class", "40", "--out", output);
        Assert.True(run.ExitCode == 0, run.Output);

        Assert.Contains("code: native (NativeAOT)", run.Output);
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            // x86-64-v3, chosen by ConvGen.targets: with the .NET default this would say False.
            Assert.Contains("Vector256 True", run.Output);
        }
        double[] losses = EpochLoss().Matches(run.Output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses.Length == 3, $"expected 3 epoch lines:\n{run.Output}");
        Assert.True(losses[^1] < losses[0], $"the training loss did not fall: {string.Join(", ", losses)}\n{run.Output}");
        Assert.Contains("reloaded network: identical outputs on 80 pictures", run.Output);

        string weights = Path.Combine(output, "lecture-net.safetensors");
        Assert.True(File.Exists(weights), run.Output);
        // ConvGen.Plots (ScottPlot, SkiaSharp) works in native code too.
        byte[] curves = File.ReadAllBytes(Path.Combine(output, "curves.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, curves[..4]);
        var startup = Run(published.Executable, "--startup", weights);
        Assert.True(startup.ExitCode == 0, startup.Output);
        Assert.Matches(@"first prediction: a \w+ is a \w+ \(", startup.Output);
    }

    [Fact]
    public void Native_executable_names_a_missing_weights_file()
    {
        published.EnsurePublished();
        string missing = Path.Combine(published.Root, "no-such.safetensors");
        var run = Run(published.Executable, "--startup", missing);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no-such.safetensors", run.Output);
    }

    private (int ExitCode, string Output) Run(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = published.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunBackstop))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"{executable} {string.Join(' ', arguments)} did not finish within {RunBackstop.TotalMinutes:0} min\n{output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    // MSBuild's form of a warning from any tool: "warning IL2026: ...", "warning CS0618: ...".
    [GeneratedRegex(@"warning [A-Z]+\d+")]
    private static partial Regex AnyWarning();

    [GeneratedRegex(@"^Epoch \d+/3 .* - loss ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex EpochLoss();
}
