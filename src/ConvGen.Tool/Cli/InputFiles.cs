using System;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Tool.Cli;

/// <summary>Checks of file arguments, with messages that say what was expected.</summary>
internal static class InputFiles
{
    /// <summary>
    /// The full path of an existing, non-empty regular file whose extension is one of
    /// <paramref name="extensions"/> (e.g. ".onnx"); a wrong extension is a usage error, a missing
    /// file, a folder, a pipe or a device bad input.
    /// </summary>
    public static string Existing(string path, string what, params string[] extensions)
    {
        if (extensions.Length > 0 && !extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            throw CliException.Usage($"{path}: expected {what} with extension {string.Join(" or ", extensions)}, got '{Path.GetExtension(path)}'.");
        }
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw CliException.BadInput($"{path} is a directory; expected {what} ({string.Join(" or ", extensions)}).");
        }
        if (!File.Exists(full))
        {
            throw CliException.BadInput($"{path}: file not found (expected {what}; looked at {full}).");
        }
        // A pipe (FIFO) would block the first read until something writes into it, and a device
        // such as /dev/zero never ends. .NET does not tell a file's type, but on Linux every such
        // special file has length 0, as has an empty file, and no model, weights file or picture
        // is empty: refusing length 0 before opening keeps the command from hanging.
        // A symbolic link reports its own length: look at what it finally points to.
        var target = File.ResolveLinkTarget(full, returnFinalTarget: true) as FileInfo ?? new FileInfo(full);
        if (!target.Exists)
        {
            throw CliException.BadInput($"{path}: a link to {target.FullName}, which does not exist (expected {what}).");
        }
        if (target.Length == 0)
        {
            throw CliException.BadInput($"{path}: empty, or not a regular file (a pipe or a device); expected {what}.");
        }
        return full;
    }

    /// <summary>Reads a weights file with its ConvGen metadata; a file that is not one is bad input.</summary>
    public static SavedNetwork SavedNetwork(string file, string hint = "")
    {
        string path = Existing(file, "a ConvGen weights file", ".safetensors");
        try
        {
            return Serialization.SavedNetwork.Read(path);
        }
        catch (Exception e) when (Failures.IsBadInput(e))
        {
            throw CliException.BadInput(e.Message + hint);
        }
    }
}
