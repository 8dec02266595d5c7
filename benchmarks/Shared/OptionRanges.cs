// Shared by the benchmarks' `throughput` commands and the convgen tool (linked into each), so a
// number out of range is refused with the same message everywhere.
using System;
using System.CommandLine;
using System.CommandLine.Parsing;

namespace ConvGen.Benchmarks.Shared;

/// <summary>Parse-time range checks of numeric options: an error with the allowed range, before anything runs.</summary>
internal static class OptionRanges
{
    /// <summary>Accepts only whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> WholeNumber(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out int value) && (value < min || value > max))
            {
                result.AddError($"{option.Name} {value}: expected a whole number from {min} to {max}.");
            }
        });
        return option;
    }

    /// <summary>
    /// The option's value, or false when it does not convert ("--threads abc"): that already has
    /// System.CommandLine's own error, and asking a validator's result for it throws.
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
