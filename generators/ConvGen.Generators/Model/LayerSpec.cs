using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;

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
    Add,
    BatchNorm,
    Conv2DTranspose,
    UpSampling2D,
    Concatenate,
    Cropping2D,
    DepthwiseConv2D,
    SeparableConv2D,
    ZeroPadding2D,
    Multiply,
    Reshape,
    GroupNormalization,
    LayerNormalization,
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
    Relu6,
    HardSigmoid,
    HardSwish,
    Silu,
    Mish,
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
    /// <summary>
    /// Names of the layers read instead of the previous one: <c>Input = "..."</c> (one name), or
    /// the two summands of <c>Add</c>. Empty: the previous layer (or the network input).
    /// </summary>
    public EquatableArray<string> Sources { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Explicit padding per side (top, bottom, left, right); null when no Pad* option was written.</summary>
    public ExplicitPadding? Pads { get; init; }

    /// <summary>Whether Alpha was written (it may then be any value, NaN included, and is checked); unset, the activation's default applies.</summary>
    public bool HasAlpha { get; init; }

    /// <summary>BatchNorm's epsilon and momentum (Keras defaults).</summary>
    public double Epsilon { get; init; } = 1e-3;

    public double Momentum { get; init; } = 0.99;

    /// <summary>Options only one kind has, in a record its descriptor defines (null for the kinds so far).</summary>
    public KindData? KindOptions { get; init; }

    /// <summary>Where each written argument is (attribute form), so a bad value is reported at itself rather than the whole layer.</summary>
    public EquatableArray<OptionLocation> OptionLocations { get; init; } = EquatableArray<OptionLocation>.Empty;

    /// <summary>The argument <paramref name="option"/> (<c>Alpha</c>, <c>rate</c>, ...) if its place is known, else the layer.</summary>
    public LocationInfo? LocationOf(string option)
    {
        foreach (var entry in OptionLocations)
        {
            if (entry.Option == option)
            {
                return entry.Location;
            }
        }
        return Location;
    }

    public static LayerSpec Of(LayerKind kind, LocationInfo? location) =>
        new(kind, null, 0, 0, 0, kind is LayerKind.MaxPool2D or LayerKind.AvgPool2D ? 0 : 1, 1, PaddingKind.Valid,
            ActivationKind.Linear, double.NaN, true, 0, location);
}

/// <summary>
/// Data only one layer kind has: options on a <see cref="LayerSpec"/>, resolved values on a
/// <see cref="LayerPlan"/>. The kind's descriptor (Layers/) derives a sealed record from this, so
/// a new kind brings its own fields without widening the shared records; records compare by value,
/// so the incremental pipeline's caching keeps working.
/// </summary>
internal abstract record KindData;

/// <summary>One written argument's place: named arguments by their name, positional ones as documented on the attribute (e.g. <c>rate</c>).</summary>
internal sealed record OptionLocation(string Option, LocationInfo? Location);

/// <summary>Explicit padding as written (<c>PadTop</c>, ...), sides not written are 0.</summary>
internal sealed record ExplicitPadding(int Top, int Bottom, int Left, int Right)
{
    public override string ToString() => $"pad {Top},{Bottom},{Left},{Right}";
}
