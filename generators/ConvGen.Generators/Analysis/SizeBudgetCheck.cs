using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// CG0302 / CG0303: a network that fits .NET arrays (CG0301) can still be far bigger than anyone
/// means to train on a CPU — typically a Flatten of a large map into a wide Dense layer. Each
/// warning is reported at the layer that contributes most, since that is what to change.
/// </summary>
internal static class SizeBudgetCheck
{
    private const int BytesPerFloat = sizeof(float);

    public static IEnumerable<DiagnosticInfo> Check(NetworkSizes? sizes, SizeBudget budget)
    {
        if (sizes is null || sizes.Layers.Count == 0)
        {
            yield break;
        }
        long parameters = sizes.Layers.Sum(l => l.Parameters);
        if (parameters > budget.MaxParameters)
        {
            var largest = sizes.Layers.OrderByDescending(l => l.Parameters).First();
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.ParameterBudgetExceeded, largest.Location,
                sizes.ClassName, Count(parameters), Bytes(parameters * BytesPerFloat), Count(budget.MaxParameters),
                largest.Subject, Count(largest.Parameters), largest.ParameterText,
                largest.FewerParameters);
        }
        long activationBytes = (sizes.InputLength + sizes.Layers.Sum(l => l.OutputLength)) * BytesPerFloat;
        if (activationBytes > budget.MaxActivationBytes)
        {
            var largest = sizes.Layers.OrderByDescending(l => l.OutputLength).First();
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.ActivationBudgetExceeded, largest.Location,
                sizes.ClassName, Bytes(activationBytes), Bytes(budget.MaxActivationBytes),
                largest.Subject, largest.OutputText, Bytes(largest.OutputLength * BytesPerFloat));
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>512 MiB</c>, <c>80.2 MiB</c>, <c>3.5 KiB</c>, <c>12 bytes</c>.</summary>
    internal static string Bytes(long bytes)
    {
        const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
        return bytes >= GiB ? Format(bytes / GiB, "GiB")
            : bytes >= MiB ? Format(bytes / MiB, "MiB")
            : bytes >= KiB ? Format(bytes / KiB, "KiB")
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }

    private static string Format(double value, string unit) => value.ToString("0.#", CultureInfo.InvariantCulture) + " " + unit;
}
