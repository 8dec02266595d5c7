using System;

namespace ConvGen.Tool.Cli;

/// <summary>
/// Ends a command with a message for the user and an exit code: <see cref="ExitCodes.BadInput"/>
/// for a file that cannot be used, <see cref="ExitCodes.Usage"/> for a command line that is wrong.
/// </summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
