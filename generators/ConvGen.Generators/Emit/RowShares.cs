using System;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The loops of a window body that inference can split over threads (see the runtime's
/// <c>ConvGen.Kernels.Rows</c>): the body takes <c>Rows rows</c> instead of a batch size and
/// computes only its share of the batch's output rows, sample after sample, so that the threads
/// that share one picture each write their own rows. Training and one-thread inference pass the
/// batch size, which converts to all the rows: the same loops then run over every row.
/// </summary>
internal static class RowShares
{
    /// <summary>The body's last parameter, in place of <c>int batch</c>.</summary>
    public const string Parameter = "Rows rows";

    /// <summary>The loop over the samples with rows in the share, <c>n</c>, of a layer <paramref name="height"/> rows high.</summary>
    public static IDisposable OpenSamples(IndentedTextWriter w, int height) => w.WriteBlock($"foreach (int n in rows.Samples({I(height)}))");

    /// <summary>The loop over sample <c>n</c>'s output rows in the share.</summary>
    public static string RowLoop(int height) => $"foreach (int oy in rows.Of(n, {I(height)}))";
}
