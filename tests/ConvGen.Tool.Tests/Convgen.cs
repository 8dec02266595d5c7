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

        /// <summary>The lines written to standard error.</summary>
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>
        /// Asserts a failure as users must see it: the exit code, no stack trace anywhere, and an
        /// error that contains every fragment (the file or option named, what was expected).
        /// </summary>
        public void AssertFailure(int exitCode, params string[] fragments)
        {
            Assert.True(ExitCode == exitCode, ToString());
            Assert.DoesNotContain("   at ", Output + Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception:", Output + Error, StringComparison.Ordinal);
            foreach (string fragment in fragments)
            {
                Assert.Contains(fragment, Error, StringComparison.Ordinal);
            }
        }

        /// <summary><see cref="AssertFailure"/> for bad input: exit code 1 and exactly one line on standard error.</summary>
        public void AssertBadInput(params string[] fragments)
        {
            AssertFailure(1, fragments);
            Assert.True(ErrorLines.Length == 1, ToString());
        }
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
