using ConvGen.Generators.Diagnostics;

namespace ConvGen.Generators.Model;

/// <summary>Layer types the DSL knows (names as in Keras).</summary>
internal enum LayerKind
{
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    GlobalMaxPool2D,
    GlobalAvgPool2D,
    Flatten,
    Dense,
    Dropout,
    Activation,
}

/// <summary>Mirror of the runtime's <c>ConvGen.Activation</c> (same numeric values).</summary>
internal enum ActivationKind
{
    Linear = 0,
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
    Softmax,
    Elu,
    Gelu,
}

/// <summary>Mirror of the runtime's <c>ConvGen.Padding</c>.</summary>
internal enum PaddingKind
{
    Valid = 0,
    Same,
}

/// <summary>
/// One declared layer exactly as written (before shape inference). Unused fields keep their
/// defaults: <see cref="Size"/> is filters for Conv2D and units for Dense; strides of 0 on
/// pools mean "the window size".
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    string? Name,
    int Size,
    int KernelHeight,
    int KernelWidth,
    int Stride,
    int Dilation,
    PaddingKind Padding,
    ActivationKind Activation,
    double Alpha,
    bool UseBias,
    double Rate,
    LocationInfo? Location)
{
    public static LayerSpec Of(LayerKind kind, LocationInfo? location) =>
        new(kind, null, 0, 0, 0, kind is LayerKind.MaxPool2D or LayerKind.AvgPool2D ? 0 : 1, 1, PaddingKind.Valid,
            ActivationKind.Linear, double.NaN, true, 0, location);
}
