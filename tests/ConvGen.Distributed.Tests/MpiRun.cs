using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ConvGen.Distributed.Tests;

/// <summary>Starts the test host under mpirun (or alone) and collects its output.</summary>
internal static class MpiRun
{
    public static string? Launcher { get; } = new[] { "/usr/bin/mpirun", "/usr/bin/mpiexec", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists);

    private static string Host => Path.Combine(AppContext.BaseDirectory, "ConvGen.MpiHost.dll");

    /// <summary>Exit code <see cref="KilledAtLimit"/> means the run was stopped by the caller's limit.</summary>
    public sealed record Result(int ExitCode, string Output);

    public const int KilledAtLimit = -1;

    /// <summary>Runs <c>mpirun -np N dotnet host ARGS</c>; kills it after <paramref name="limit"/>.</summary>
    public static Result Ranks(int processes, string arguments, TimeSpan limit) =>
        Run(Launcher ?? throw new InvalidOperationException("mpirun not found"), $"-np {processes} dotnet \"{Host}\" {arguments}", limit);

    /// <summary>Runs the host as one ordinary process.</summary>
    public static Result Alone(string arguments, TimeSpan limit) => Run("dotnet", $"\"{Host}\" {arguments}", limit);

    private static Result Run(string file, string arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(KilledAtLimit, $"did not finish within {limit.TotalSeconds:0} s\n{output.Result}\n{error.Result}");
        }
        return new Result(process.ExitCode, output.Result + "\n" + error.Result);
    }
}

/// <summary>Skips only where no MPI launcher is installed (CI installs mpich).</summary>
public sealed class RequiresMpiFactAttribute : FactAttribute
{
    public RequiresMpiFactAttribute()
    {
        if (MpiRun.Launcher is null)
        {
            Skip = "No mpirun on this machine (sudo apt-get install mpich).";
        }
    }
}
