using System;
using System.IO;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Tests;

/// <summary>Runs the convgen command line in process, as the installed tool's Main does.</summary>
internal static class Convgen
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = ConvGenCli.Run(args, output, error);
        return new Result(exit, output.ToString(), error.ToString());
    }
}

/// <summary>A temporary folder per test class, deleted afterwards.</summary>
public abstract class TemporaryFolder : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("convgen-tool-").FullName;

    protected string In(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
