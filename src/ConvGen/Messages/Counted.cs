using System.Globalization;

namespace ConvGen.Messages;

/// <summary>
/// A count with its noun for error messages: "1 byte", "2 bytes", "1 image". Messages name
/// sizes found in hostile files, where a count of one is common ("only 1 byte follows").
/// </summary>
internal static class Counted
{
    /// <summary><paramref name="count"/> and <paramref name="singular"/>, with an "s" unless the count is one.</summary>
    public static string Of(long count, string singular) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : singular + "s");
}
