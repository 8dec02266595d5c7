using System;
using System.IO;

namespace ConvGen.Tool.Cli;

/// <summary>Creating and writing into a command's <c>--out</c> folder, with failures that name the folder.</summary>
internal static class OutputFolder
{
    /// <summary>Creates <paramref name="folder"/> if missing; a folder that cannot be created (no permission, a file in the way, /proc) is bad input.</summary>
    public static void Create(string folder, string option = "--out")
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw CliException.BadInput($"{option} {folder}: cannot create the folder ({e.Message}).");
        }
    }

    /// <summary>Runs <paramref name="write"/>; a file that cannot be written there is bad input naming the folder and the file.</summary>
    public static void Write(string folder, string file, Action<string> write, string option = "--out")
    {
        try
        {
            write(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput($"{option} {folder}: cannot write {Path.GetFileName(file)} ({e.Message}).");
        }
    }
}
