namespace ConvGen;

/// <summary>DepthwiseConv2D; pads resolved as for <see cref="ConvolutionConfig"/>. Output channels are input channels x <paramref name="DepthMultiplier"/>.</summary>
/// <param name="DepthMultiplier">Filters per input channel.</param>
/// <param name="KernelHeight">Window rows.</param>
/// <param name="KernelWidth">Window columns.</param>
/// <param name="StrideHeight">Step between output rows.</param>
/// <param name="StrideWidth">Step between output columns.</param>
/// <param name="DilationHeight">Spacing of the window's rows (1: dense).</param>
/// <param name="DilationWidth">Spacing of the window's columns.</param>
/// <param name="PadTop">Zero rows above the input.</param>
/// <param name="PadBottom">Zero rows below the input.</param>
/// <param name="PadLeft">Zero columns left of the input.</param>
/// <param name="PadRight">Zero columns right of the input.</param>
/// <param name="Padding">The padding mode written; meaningless when <paramref name="ExplicitPadding"/> is true.</param>
/// <param name="ExplicitPadding">Whether the pads were written as <c>PadTop</c> / <c>PadBottom</c> / <c>PadLeft</c> / <c>PadRight</c>.</param>
/// <param name="Activation">Non-linearity applied to the output.</param>
/// <param name="Alpha">The activation's slope or scale (LeakyRelu, Elu), its default filled in; 0 for the others.</param>
/// <param name="UseBias">Whether a bias is added.</param>
public sealed record DepthwiseConvolutionConfig(
    int DepthMultiplier,
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
    Padding Padding,
    bool ExplicitPadding,
    Activation Activation,
    float Alpha,
    bool UseBias) : LayerConfig;

/// <summary>SeparableConv2D: the depthwise part (window, multiplier, no bias), then a 1x1 convolution to <paramref name="Filters"/> channels with the bias and the activation; pads resolved as for <see cref="ConvolutionConfig"/>.</summary>
/// <param name="Filters">Output channels of the pointwise part.</param>
/// <param name="DepthMultiplier">Depthwise filters per input channel.</param>
/// <param name="KernelHeight">Window rows.</param>
/// <param name="KernelWidth">Window columns.</param>
/// <param name="StrideHeight">Step between output rows.</param>
/// <param name="StrideWidth">Step between output columns.</param>
/// <param name="DilationHeight">Spacing of the window's rows (1: dense).</param>
/// <param name="DilationWidth">Spacing of the window's columns.</param>
/// <param name="PadTop">Zero rows above the input.</param>
/// <param name="PadBottom">Zero rows below the input.</param>
/// <param name="PadLeft">Zero columns left of the input.</param>
/// <param name="PadRight">Zero columns right of the input.</param>
/// <param name="Padding">The padding mode written; meaningless when <paramref name="ExplicitPadding"/> is true.</param>
/// <param name="ExplicitPadding">Whether the pads were written as <c>PadTop</c> / <c>PadBottom</c> / <c>PadLeft</c> / <c>PadRight</c>.</param>
/// <param name="Activation">Non-linearity applied to the output.</param>
/// <param name="Alpha">The activation's slope or scale (LeakyRelu, Elu), its default filled in; 0 for the others.</param>
/// <param name="UseBias">Whether the pointwise part adds a bias.</param>
public sealed record SeparableConvolutionConfig(
    int Filters,
    int DepthMultiplier,
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
    Padding Padding,
    bool ExplicitPadding,
    Activation Activation,
    float Alpha,
    bool UseBias) : LayerConfig;

/// <summary>ZeroPadding2D: zero rows and columns around each channel.</summary>
/// <param name="Top">Zero rows above.</param>
/// <param name="Bottom">Zero rows below.</param>
/// <param name="Left">Zero columns left.</param>
/// <param name="Right">Zero columns right.</param>
public sealed record ZeroPaddingConfig(int Top, int Bottom, int Left, int Right) : LayerConfig;
