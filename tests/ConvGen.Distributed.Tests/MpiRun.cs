using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ConvGen.Distributed.Tests;

/// <summary>Starts the test host under mpirun (or alone) and collects its output.</summary>
internal static class MpiRun
{
    /// <summary>MPICH's launcher by its own name first: where Open MPI is installed too, plain <c>mpirun</c> may be Open MPI's.</summary>
    public static string? Launcher { get; } = new[] { "/usr/bin/mpirun.mpich", "/usr/bin/mpirun", "/usr/bin/mpiexec", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists);

    /// <summary>Open MPI's launcher (Debian: openmpi-bin), when installed.</summary>
    public static string? OpenMpiLauncher { get; } = File.Exists("/usr/bin/mpirun.openmpi") ? "/usr/bin/mpirun.openmpi" : null;

    private static string Host => Path.Combine(AppContext.BaseDirectory, "ConvGen.MpiHost.dll");

    /// <summary>Exit code <see cref="KilledAtLimit"/> means the run was stopped by the caller's limit.</summary>
    public sealed record Result(int ExitCode, string Output);

    public const int KilledAtLimit = -1;

    /// <summary>Runs <c>mpirun -np N dotnet host ARGS</c>; kills it after <paramref name="limit"/>.</summary>
    public static Result Ranks(int processes, string arguments, TimeSpan limit) =>
        Run(Launcher ?? throw new InvalidOperationException("mpirun not found"), $"-np {processes} dotnet \"{Host}\" {arguments}", limit);

    /// <summary>
    /// Runs <c>mpirun.openmpi -np N dotnet host ARGS</c>. Open MPI refuses root unless told, and
    /// counts cores strictly: CI machines run as root on two cores beside the test runner.
    /// </summary>
    public static Result OpenMpiRanks(int processes, string arguments, TimeSpan limit) =>
        Run(OpenMpiLauncher ?? throw new InvalidOperationException("mpirun.openmpi not found"),
            $"--oversubscribe -np {processes} dotnet \"{Host}\" {arguments}", limit,
            ("OMPI_ALLOW_RUN_AS_ROOT", "1"), ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"));

    /// <summary>Runs the host as one ordinary process.</summary>
    public static Result Alone(string arguments, TimeSpan limit) => Run("dotnet", $"\"{Host}\" {arguments}", limit);

    private static Result Run(string file, string arguments, TimeSpan limit, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
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

/// <summary>Skips only where Open MPI is not installed (CI installs openmpi-bin beside mpich).</summary>
public sealed class RequiresOpenMpiFactAttribute : FactAttribute
{
    public RequiresOpenMpiFactAttribute()
    {
        if (MpiRun.OpenMpiLauncher is null)
        {
            Skip = "No mpirun.openmpi on this machine (sudo apt-get install openmpi-bin).";
        }
    }
}
