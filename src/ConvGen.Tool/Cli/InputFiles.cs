using System;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Tool.Cli;

/// <summary>Checks of file arguments, with messages that say what was expected.</summary>
internal static class InputFiles
{
    /// <summary>
    /// The full path of an existing file whose extension is one of <paramref name="extensions"/>
    /// (e.g. ".onnx"); a wrong extension is a usage error, a missing file bad input.
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
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput(e.Message + hint);
        }
    }
}
