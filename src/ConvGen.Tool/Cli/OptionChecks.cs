using System;
using System.CommandLine;
using System.IO;
using ConvGen.Benchmarks.Shared;

namespace ConvGen.Tool.Cli;

/// <summary>
/// Parse-time checks of option values: a value out of range is a command-line error (exit code 2)
/// reported before any file is read or written, with the allowed range in the message.
/// </summary>
internal static class OptionChecks
{
    /// <summary>Accepts only whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> InRange(this Option<int> option, int min, int max) => OptionRanges.WholeNumber(option, min, max);

    /// <summary>
    /// A folder the command writes into (created if missing): not empty, not an existing file.
    /// Whether it can be created or written is only known by trying (see <see cref="OutputFolder.Create"/>).
    /// </summary>
    public static Option<string> IsOutputFolder(this Option<string> option)
    {
        option.Validators.Add(result =>
        {
            string? folder = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(folder))
            {
                result.AddError($"{option.Name}: expected a folder, got an empty name (use '.' for the current folder).");
            }
            else if (folder.Contains('\0', StringComparison.Ordinal))
            {
                result.AddError($"{option.Name}: the folder name contains a NUL character.");
            }
            else if (File.Exists(folder))
            {
                result.AddError($"{option.Name} {folder}: is a file; expected a folder (created if missing).");
            }
        });
        return option;
    }
}
