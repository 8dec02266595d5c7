using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using ConvGen.Tool.Bench;
using ConvGen.Tool.Import;
using ConvGen.Tool.Inspect;
using ConvGen.Tool.Summary;
using ConvGen.Tool.Visualize;

namespace ConvGen.Tool.Cli;

/// <summary>
/// The <c>convgen</c> command tree. <see cref="Run"/> is the whole program: it parses, reports
/// command-line mistakes (including every option value out of its range, checked by the options'
/// validators) with exit code 2, runs the command, and turns every exception into one message and
/// exit code 1 or 2 through <see cref="Failures"/>. Tests call it in process with their own writers.
/// </summary>
public static class ConvGenCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return ParseAndInvoke(args, output, error);
        }
        catch (Exception e)
        {
            return Failures.Report(e, error, Failures.DebugRequested);
        }
    }

    private static int ParseAndInvoke(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("convgen: tools for ConvGen networks outside your code. Exit codes: 0 success, 1 bad input file, 2 command-line error.")
        {
            ImportCommand.Create(output),
            SummaryCommand.Create(output),
            InspectCommand.Create(output),
            VisualizeCommand.Create(output),
            BenchCommand.Create(),
        };
        // No response files: "@name" would make the parser read that file before any check, and a
        // pipe or device given there would hang it. Arguments starting with @ are taken as written.
        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // System.CommandLine's own handler prints stack traces: off, so Run's guard sees everything.
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        // --help and --version carry their own actions and are valid even where arguments are missing.
        bool asksForHelp = parse.Action is System.CommandLine.Help.HelpAction
            || root.Options.OfType<VersionOption>().Any(version => parse.GetResult(version) is not null);
        if (parse.Errors.Count > 0 && !asksForHelp)
        {
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine(parseError.Message);
            }
            string command = parse.CommandResult.Command is RootCommand ? "convgen" : "convgen " + parse.CommandResult.Command.Name;
            error.WriteLine($"Run '{command} --help' for the expected arguments.");
            return ExitCodes.Usage;
        }
        return parse.Invoke(configuration);
    }
}
