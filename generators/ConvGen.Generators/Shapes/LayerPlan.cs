using System.Globalization;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Shapes;

/// <summary>
/// A layer with every size resolved: input and output shapes, explicit padding on each side,
/// and where its parameters live in the network's single parameter buffer.
/// </summary>
internal sealed record LayerPlan(
    int Index,
    string Name,
    LayerKind Kind,
    Shape Input,
    Shape Output,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    int PadTop,
    int PadBottom,
    int PadLeft,
    int PadRight,
    PaddingKind Padding,
    ActivationKind Activation,
    double Alpha,
    bool UseBias,
    double Rate,
    int WeightOffset,
    int WeightCount,
    int BiasOffset,
    int BiasCount)
{
    /// <summary>
    /// Indices of the layers whose outputs this layer reads (-1 is the network input): one for
    /// most layers, the two summands for Add. Declaration order is a topological order, so every
    /// source is smaller than <see cref="Index"/>.
    /// </summary>
    public EquatableArray<int> Sources { get; init; } = EquatableArray<int>.Empty;

    /// <summary>Names of <see cref="Sources"/> ("input" for the network input), for comments and the summary's "connected to".</summary>
    public EquatableArray<string> SourceNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The source of a single-input layer.</summary>
    public int Source => Sources.Count == 0 ? Index - 1 : Sources[0];

    /// <summary>Whether the padding came from PadTop / PadBottom / PadLeft / PadRight.</summary>
    public bool HasExplicitPadding { get; init; }

    /// <summary>BatchNorm: epsilon and running-average momentum.</summary>
    public double Epsilon { get; init; }

    public double Momentum { get; init; }

    /// <summary>
    /// BatchNorm's running mean then running variance ([C] each) in the parameter buffer: saved
    /// and loaded with the weights but not trained (no gradient, never passed to the optimizer).
    /// </summary>
    public int StateOffset { get; init; }

    public int StateCount { get; init; }

    /// <summary>All values the layer keeps in the parameter buffer, trainable or not (Keras counts both too).</summary>
    public int ParameterCount => WeightCount + BiasCount + StateCount;

    /// <summary>Layers that do nothing at inference (their output aliases their input buffer).</summary>
    public bool IsIdentityAtInference => Kind is LayerKind.Flatten or LayerKind.Dropout;

    /// <summary>Short configuration as used in comments and the summary, e.g. <c>16@3x3 s1 valid relu</c>.</summary>
    public string Description => Kind switch
    {
        LayerKind.Conv2D => $"{Output.Channels}@{KernelHeight}x{KernelWidth} s{Stride()}{Dilation()} {Pad()}{Act()}{(UseBias ? "" : " no-bias")}",
        LayerKind.MaxPool2D or LayerKind.AvgPool2D => $"{KernelHeight}x{KernelWidth} s{Stride()} {Pad()}",
        LayerKind.Dense => $"{Output.Channels}{Act()}{(UseBias ? "" : " no-bias")}",
        LayerKind.Dropout => $"rate {Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        LayerKind.Activation => ActivationName(Activation),
        LayerKind.Add => string.Join(" + ", SourceNames) + Act(),
        LayerKind.BatchNorm => $"eps {Number(Epsilon)} momentum {Number(Momentum)}",
        _ => "",
    };

    private string Stride() => StrideHeight == StrideWidth ? $"{StrideHeight}" : $"{StrideHeight}x{StrideWidth}";

    private string Dilation() => DilationHeight == 1 && DilationWidth == 1 ? "" : $" d{DilationHeight}";

    private string Pad() => HasExplicitPadding ? $"pad {PadTop},{PadBottom},{PadLeft},{PadRight}" : Padding == PaddingKind.Same ? "same" : "valid";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private string Act() => Activation == ActivationKind.Linear ? "" : " " + ActivationName(Activation);

    public static string ActivationName(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyRelu => "leaky_relu",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
