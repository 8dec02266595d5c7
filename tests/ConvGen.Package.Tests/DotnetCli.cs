using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ConvGen.Package.Tests;

/// <summary>Runs the dotnet CLI as a child process, as a user would from a terminal.</summary>
public static class DotnetCli
{
    /// <summary>Exit code <see cref="KilledAtLimit"/> means the command was stopped by the backstop.</summary>
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit code {ExitCode}\n{Output}";
    }

    public const int KilledAtLimit = -1;

    // The test host runs under `dotnet test`, whose MSBuild settings must not leak into a separate
    // build (they would point it at this SDK instance's in-process state).
    private static readonly string[] InheritedBuildVariables =
    {
        "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "VSTEST_HOST_DEBUG", "DOTNET_HOST_PATH",
    };

    /// <summary>
    /// Runs <c>dotnet ARGS</c> in <paramref name="directory"/> with <paramref name="environment"/>
    /// added; a run longer than <paramref name="backstop"/> is killed (a hung build must not hang CI).
    /// </summary>
    public static Result Run(string directory, IReadOnlyDictionary<string, string> environment, TimeSpan backstop, params string[] arguments) =>
        RunProgram("dotnet", directory, environment, backstop, arguments);

    /// <summary><see cref="Run"/> for another program, e.g. an installed tool's command.</summary>
    public static Result RunProgram(string program, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan backstop, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string name in InheritedBuildVariables)
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(backstop))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(KilledAtLimit, $"{program} {string.Join(' ', arguments)} did not finish within {backstop.TotalMinutes:0} min\n{output.Result}\n{error.Result}");
        }
        return new Result(process.ExitCode, output.Result + error.Result);
    }

    /// <summary>The repository root (the folder with ConvGen.sln) above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ConvGen.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No ConvGen.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Build flags that leave no compiler server or MSBuild node behind after the test.</summary>
    public static readonly string[] NoServers = { "--disable-build-servers", "-nodeReuse:false" };

    public static string[] With(this string[] arguments, params string[] more) => arguments.Concat(more).ToArray();
}
