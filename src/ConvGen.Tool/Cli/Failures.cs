using System;
using System.IO;
using System.Reflection;
using System.Text.Json;
using ConvGen.Onnx.Import;

namespace ConvGen.Tool.Cli;

/// <summary>
/// The one place where a failure becomes what the user sees: its message on standard error and
/// exit code 1 (or the <see cref="CliException"/>'s own code), never a stack trace. A stack trace
/// helps only whoever debugs convgen itself: <c>CONVGEN_DEBUG=1</c> adds it.
/// </summary>
internal static class Failures
{
    /// <summary>Environment variable that, set to 1, adds the stack trace to every failure.</summary>
    public const string DebugVariable = "CONVGEN_DEBUG";

    /// <summary>Whether <see cref="DebugVariable"/> asks for stack traces.</summary>
    public static bool DebugRequested => Environment.GetEnvironmentVariable(DebugVariable) == "1";

    /// <summary>Writes what went wrong to <paramref name="error"/>; returns the exit code.</summary>
    public static int Report(Exception failure, TextWriter error, bool debug)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(error);
        Exception cause = Unwrap(failure);
        int exitCode = ExitCodes.BadInput;
        if (cause is CliException cli)
        {
            error.WriteLine(cli.Message);
            exitCode = cli.ExitCode;
        }
        else if (IsBadInput(cause))
        {
            // The readers' messages name the file and what was expected; that is the whole report.
            error.WriteLine(cause.Message);
        }
        else
        {
            error.WriteLine($"convgen: internal error ({cause.GetType().Name}): {cause.Message}"
                + (debug ? "" : $" (set {DebugVariable}=1 to see where)"));
        }
        if (debug)
        {
            error.WriteLine(failure.ToString());
        }
        return exitCode;
    }

    /// <summary>
    /// Exceptions that mean "this file or folder cannot be used": the library's readers
    /// (safetensors and images: InvalidDataException and DataFileException, an IOException; ONNX:
    /// ProtobufFormatException, a FormatException, and OnnxImportException), the file system, JSON.
    /// </summary>
    public static bool IsBadInput(Exception e) =>
        e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or JsonException or OnnxImportException;

    // Worker pools and reflection wrap the exception that matters.
    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        TypeInitializationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };
}
