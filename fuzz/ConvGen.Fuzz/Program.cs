using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Fuzz.Harnesses;
using SharpFuzz;

namespace ConvGen.Fuzz;

/// <summary>
/// Command line of the fuzzing harness:
/// <list type="bullet">
/// <item><c>ConvGen.Fuzz READER</c>: the libFuzzer loop (started by fuzz/driver, which passes the
/// shared-memory and pipe ids in the environment); READER is one of <see cref="Harness.All"/>.</item>
/// <item><c>ConvGen.Fuzz replay READER FILE...</c>: runs the harness once per file in-process and
/// lets any finding throw with its full .NET stack trace (to reproduce a crash input).</item>
/// <item><c>ConvGen.Fuzz seeds FOLDER</c>: writes the seed corpora FOLDER/READER/*, small valid files
/// made with ConvGen's own writers.</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 1 && Harness.Find(args[0]) is { } harness)
        {
            // Only when started by the driver: without its environment SharpFuzz would fall back to
            // reading a file named by args[0], which is not what this command line means.
            if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is null)
            {
                Console.Error.WriteLine($"'{args[0]}' runs under fuzz/driver only (use fuzz/run.sh); to run one input use: replay {args[0]} FILE");
                return 2;
            }
            Fuzzer.LibFuzzer.Run(harness.Run);
            return 0;
        }
        if (args.Length >= 3 && args[0] == "replay" && Harness.Find(args[1]) is { } replayed)
        {
            foreach (string file in args.Skip(2))
            {
                replayed.Run(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: no finding");
            }
            return 0;
        }
        if (args.Length == 2 && args[0] == "seeds")
        {
            SeedCorpus.WriteAll(args[1]);
            return 0;
        }
        Console.Error.WriteLine("usage: ConvGen.Fuzz READER | replay READER FILE... | seeds FOLDER");
        Console.Error.WriteLine("readers: " + string.Join(", ", Harness.All.Select(h => h.Name)));
        return 2;
    }
}
