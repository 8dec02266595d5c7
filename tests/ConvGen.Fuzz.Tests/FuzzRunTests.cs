using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Fuzz.Harnesses;

namespace ConvGen.Fuzz.Tests;

/// <summary>
/// A short libFuzzer run per reader, the same command a developer runs (fuzz/run.sh READER SECONDS).
/// It fails on a finding (the message carries libFuzzer's report, the .NET stack trace and where
/// the input was saved) and when clang or libFuzzer is missing (the message says what to install).
/// </summary>
public sealed class FuzzRunTests
{
    // Long enough for libFuzzer to get well past the seeds (thousands of runs a second), short
    // enough for CI: four readers plus one instrumented build.
    private const int Seconds = 20;

    public static TheoryData<string> Readers => new(Harness.All.Select(h => h.Name));

    [Theory]
    [MemberData(nameof(Readers))]
    public void A_short_fuzzing_run_finds_nothing(string reader)
    {
        string root = RepositoryRoot();
        string findings = Path.Combine(root, "fuzz", "findings", reader);
        string[] before = Directory.Exists(findings) ? Directory.GetFiles(findings) : [];

        (int exitCode, string output) = Run(root, "bash", Path.Combine(root, "fuzz", "run.sh"), reader, Seconds.ToString());

        string[] added = (Directory.Exists(findings) ? Directory.GetFiles(findings) : []).Except(before).ToArray();
        Assert.True(exitCode == 0 && added.Length == 0,
            $"fuzz/run.sh {reader} {Seconds} exited with {exitCode}"
            + (added.Length > 0 ? $" and saved {string.Join(", ", added)}" : "")
            + (exitCode == 3 ? " (clang or libFuzzer is missing: apt-get install -y clang libclang-rt-14-dev, then dotnet tool restore)" : "")
            + $". Its output ends with:{Environment.NewLine}{Tail(output, 60)}");
        // The run must have fuzzed, not just started: libFuzzer's closing statistics are printed.
        Assert.Contains("stat::number_of_executed_units", output);
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ConvGen.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no ConvGen.sln above {AppContext.BaseDirectory}");
    }

    private static (int ExitCode, string Output) Run(string workingDirectory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A generous bound for the build, the instrumentation and the run; libFuzzer stops itself.
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, output + Environment.NewLine + "(killed after 15 minutes)");
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    private static string Tail(string text, int lines) =>
        string.Join(Environment.NewLine, text.Split('\n').TakeLast(lines));
}
