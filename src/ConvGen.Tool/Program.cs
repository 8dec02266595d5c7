using System;
using ConvGen.Tool.Cli;

// A thread that is not the main one (none should throw, but a library may change) would otherwise
// end the process with the runtime's stack dump; report it like any other failure instead.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Failures.Report(e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject?.ToString()), Console.Error, Failures.DebugRequested);
    Console.Error.Flush();
    Environment.Exit(ExitCodes.BadInput);
};
return ConvGenCli.Run(args, Console.Out, Console.Error);
