using System.Globalization;
using ConvGen.Generators.Diagnostics;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// Sizes the generated code can represent. Every tensor, weight block and the parameter buffer
/// is one float array indexed by int, so none may exceed the largest .NET array; checking here
/// keeps int arithmetic in inference and emit from overflowing into nonsense (or into a
/// generator that unrolls billions of taps).
/// </summary>
internal static class SizeLimits
{
    /// <summary><c>Array.MaxLength</c> (not available in netstandard2.0).</summary>
    public const long MaxBufferLength = 0x7FFFFFC7;

    public static bool Fits(long count) => count <= MaxBufferLength;

    /// <summary>A CG0301 error: "{subject} {what}: {count} {unit}, more than the ... a .NET array can hold; {advice}".</summary>
    public static DiagnosticInfo Exceeded(LocationInfo? location, string subject, string what, long count, string unit, string advice) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.SizeLimitExceeded, location, subject, what,
            count.ToString("N0", CultureInfo.InvariantCulture), unit, MaxBufferLength.ToString("N0", CultureInfo.InvariantCulture), advice);
}
