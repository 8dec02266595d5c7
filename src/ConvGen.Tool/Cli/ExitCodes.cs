namespace ConvGen.Tool.Cli;

/// <summary>The exit codes of every convgen command (docs/cli.md lists them).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An input file is missing, unreadable, malformed or cannot be handled (e.g. unsupported ONNX operators).</summary>
    public const int BadInput = 1;

    /// <summary>The command line is wrong: unknown command or option, missing argument, a value out of range, a wrong file extension.</summary>
    public const int Usage = 2;
}
