using System;
using ConvGen.Tool.Cli;

return ConvGenCli.Run(args, Console.Out, Console.Error);
