using System.Collections.Generic;

namespace ConvGen.Onnx.Import;

/// <summary>Layer kinds the importer produces, named as the ConvGen attributes they become.</summary>
public enum ImportedLayerKind
{
    /// <summary><c>[Conv2D]</c>.</summary>
    Conv2D,
    /// <summary><c>[BatchNorm]</c> (inference form: gamma, beta, running mean and variance).</summary>
    BatchNorm,
    /// <summary><c>[Activation]</c>.</summary>
    Activation,
    /// <summary><c>[Add]</c>: element-wise sum of two layers, optionally followed by an activation.</summary>
    Add,
    /// <summary><c>[MaxPool2D]</c>.</summary>
    MaxPool2D,
    /// <summary><c>[AvgPool2D]</c> (padded cells not counted, like ConvGen and TensorFlow).</summary>
    AvgPool2D,
    /// <summary><c>[GlobalAvgPool2D]</c>.</summary>
    GlobalAvgPool2D,
    /// <summary><c>[GlobalMaxPool2D]</c>.</summary>
    GlobalMaxPool2D,
    /// <summary><c>[Flatten]</c> (NHWC order).</summary>
    Flatten,
    /// <summary><c>[Dense]</c> with IO weights.</summary>
    Dense,
    /// <summary><c>[DepthwiseConv2D]</c>: a Conv with one group per input channel, weights <c>[kh,kw,C,multiplier]</c>.</summary>
    DepthwiseConv2D,
    /// <summary><c>[ZeroPadding2D]</c>: a Pad of the spatial axes with zeros (its sides in PadTop ... PadRight).</summary>
    ZeroPadding2D,
    /// <summary><c>[Multiply]</c>: element-wise product of two layers (x · sigmoid(x) as exported SiLU, gates).</summary>
    Multiply,
    /// <summary><c>[Conv2DTranspose]</c> with Keras HWOI weights <c>[kh][kw][filters][in]</c>.</summary>
    Conv2DTranspose,
    /// <summary><c>[UpSampling2D]</c>: factors in <see cref="ImportedLayer.StrideHeight"/> / <see cref="ImportedLayer.StrideWidth"/>.</summary>
    UpSampling2D,
    /// <summary><c>[Concatenate]</c>: the layers in <see cref="ImportedLayer.Inputs"/> joined along the channels, in order.</summary>
    Concatenate,
    /// <summary><c>[Cropping2D]</c>: rows and columns removed in <see cref="ImportedLayer.PadTop"/> .. <see cref="ImportedLayer.PadRight"/>.</summary>
    Cropping2D,
    /// <summary><c>[Reshape]</c>: the same values in another shape, channels-last order (<see cref="ImportedLayer.OutputShape"/> is the target).</summary>
    Reshape,
    /// <summary><c>[GroupNormalization]</c> with gamma and beta (groups in <see cref="ImportedLayer.Units"/>).</summary>
    GroupNormalization,
    /// <summary><c>[LayerNormalization]</c> over each position's channels, with gamma and beta.</summary>
    LayerNormalization,
}

/// <summary>
/// One ConvGen layer recovered from one or more ONNX nodes, with every size resolved and its
/// NHWC output shape inferred. Fields that do not apply to a kind keep their defaults.
/// </summary>
/// <param name="Name">ConvGen layer name (the ONNX node name made a valid identifier).</param>
/// <param name="Kind">Layer kind.</param>
/// <param name="Inputs">Names of the layers feeding this one (<c>"input"</c> = network input); two for Add, two or more for Concatenate.</param>
/// <param name="InputShape">Shape of the (first) input, NHWC per sample.</param>
/// <param name="OutputShape">Inferred NHWC output shape.</param>
/// <param name="SourceNodes">The ONNX nodes this layer was made from, e.g. <c>Conv 'Convolution249'</c>.</param>
public sealed record ImportedLayer(
    string Name,
    ImportedLayerKind Kind,
    IReadOnlyList<string> Inputs,
    TensorShape InputShape,
    TensorShape OutputShape,
    IReadOnlyList<string> SourceNodes)
{
    /// <summary>Conv2D filters / Dense units / DepthwiseConv2D output channels / GroupNormalization groups.</summary>
    public int Units { get; init; }

    /// <summary>DepthwiseConv2D: output channels per input channel.</summary>
    public int DepthMultiplier { get; init; } = 1;

    /// <summary>Window height (conv and pools).</summary>
    public int KernelHeight { get; init; }

    /// <summary>Window width.</summary>
    public int KernelWidth { get; init; }

    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; init; } = 1;

    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; init; } = 1;

    /// <summary>Vertical dilation (conv only).</summary>
    public int DilationHeight { get; init; } = 1;

    /// <summary>Horizontal dilation.</summary>
    public int DilationWidth { get; init; } = 1;

    /// <summary>
    /// Explicit padding, as ONNX stores it (may be asymmetric). Conv2DTranspose: rows of the full
    /// result cut at each side (bottom / right negative: rows the output padding adds). Cropping2D:
    /// rows and columns removed.
    /// </summary>
    public int PadTop { get; init; }

    /// <summary>Rows added below.</summary>
    public int PadBottom { get; init; }

    /// <summary>Columns added on the left.</summary>
    public int PadLeft { get; init; }

    /// <summary>Columns added on the right.</summary>
    public int PadRight { get; init; }

    /// <summary>Activation applied to the layer's output (Conv2D, Dense, Add, Activation).</summary>
    public Activation Activation { get; init; } = Activation.Linear;

    /// <summary>Slope / scale of LeakyRelu and Elu; NaN = ConvGen's default.</summary>
    public double Alpha { get; init; } = double.NaN;

    /// <summary>Whether a bias tensor exists (Conv2D, Dense).</summary>
    public bool UseBias { get; init; }

    /// <summary>BatchNorm, GroupNormalization and LayerNormalization epsilon.</summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>BatchNorm momentum (same convention in ONNX and Keras: running = m·running + (1−m)·batch).</summary>
    public double Momentum { get; init; } = 0.99;

    /// <summary>Conv2DTranspose: the Keras output-size rule that gives <see cref="PadTop"/> .. <see cref="PadRight"/>.</summary>
    public Padding TransposedPadding { get; init; } = Padding.Valid;

    /// <summary>Conv2DTranspose: Keras's <c>output_padding</c>, -1 when not set (Keras's None).</summary>
    public int OutputPadding { get; init; } = -1;

    /// <summary>UpSampling2D: nearest or bilinear (half-pixel centres).</summary>
    public UpSamplingInterpolation Interpolation { get; init; } = UpSamplingInterpolation.Nearest;

    /// <summary>GlobalAvgPool2D / GlobalMaxPool2D: the output stays a <c>[1,1,C]</c> map (ONNX's <c>[N,C,1,1]</c>).</summary>
    public bool KeepDims { get; init; }

    /// <summary>True when the padding is not zero on every side.</summary>
    public bool HasPadding => PadTop != 0 || PadBottom != 0 || PadLeft != 0 || PadRight != 0;
}
