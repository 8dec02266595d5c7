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
    public int ParameterCount => WeightCount + BiasCount;

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
        _ => "",
    };

    private string Stride() => StrideHeight == StrideWidth ? $"{StrideHeight}" : $"{StrideHeight}x{StrideWidth}";

    private string Dilation() => DilationHeight == 1 && DilationWidth == 1 ? "" : $" d{DilationHeight}";

    private string Pad() => Padding == PaddingKind.Same ? "same" : "valid";

    private string Act() => Activation == ActivationKind.Linear ? "" : " " + ActivationName(Activation);

    public static string ActivationName(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyRelu => "leaky_relu",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
