using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Shapes;

/// <summary>
/// CG0306: generated code grows with the number of layers (each gets shape-specialised forward,
/// backward and gradient kernels), and the compiler needs many times the file's size in memory.
/// A 10,000-line text form would write about 180 MB of C# and take the compiler past 14 GB, so
/// the size is estimated from the inferred layers, before anything is emitted, and refused
/// beyond fixed limits. Fixed rather than configurable: emission depends only on the network, so
/// that changing a limit never re-emits code (see <see cref="NetworkGenerator"/>).
/// </summary>
internal static class CodeBudget
{
    /// <summary>Several times the deepest Keras application models (DenseNet-201 has 707 layers).</summary>
    public const int MaxLayers = 2_000;

    /// <summary>Estimated characters of C#; the larger snapshot networks are a few hundred KB.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>
    /// What the emitter may actually write before it stops (<see cref="Emit.NetworkEmitter"/>):
    /// well above <see cref="MaxBytes"/>, since the estimate is approximate, and far below what
    /// exhausts the compiler.
    /// </summary>
    public const long HardMaxBytes = 4 * MaxBytes;

    public static DiagnosticInfo? Check(NetworkSpec spec, IReadOnlyList<LayerPlan> plans)
    {
        long bytes = Estimate(plans);
        if (plans.Count <= MaxLayers && bytes <= MaxBytes)
        {
            return null;
        }
        return DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedCodeTooLarge, spec.Location,
            spec.ClassName, SizeBudgetCheck.Bytes(bytes), plans.Count.ToString("N0", CultureInfo.InvariantCulture),
            SizeBudgetCheck.Bytes(MaxBytes), MaxLayers.ToString("N0", CultureInfo.InvariantCulture),
            "split the network into several networks (the output of one is the input of the next) or use fewer layers");
    }

    /// <summary>Characters of generated C#: a fixed part plus each layer's estimate.</summary>
    public static long Estimate(IReadOnlyList<LayerPlan> plans) => FixedBytes + plans.Sum(LayerBytes);

    // Calibrated against the emitter's output for each layer kind (CodeBudgetTests keeps the
    // estimate within a factor of two of the real size, so the limit means what it says).
    private const long FixedBytes = 12_000;

    private static long LayerBytes(LayerPlan layer) => layer.Kind switch
    {
        LayerKind.Conv2D => 14_000 + 1_500L * Emit.ChannelBlock.Split(layer.Output.Channels).Count + 120L * System.Math.Min(layer.KernelHeight * layer.KernelWidth, Emit.WindowLoops.UnrollTapBudget),
        LayerKind.MaxPool2D or LayerKind.AvgPool2D => 6_000 + 120L * System.Math.Min(layer.KernelHeight * layer.KernelWidth, Emit.WindowLoops.UnrollTapBudget),
        LayerKind.Dense => 3_000,
        LayerKind.BatchNorm => 3_000,
        _ => 1_500,
    };
}
