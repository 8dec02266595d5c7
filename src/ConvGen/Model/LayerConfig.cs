using System;

namespace ConvGen;

/// <summary>
/// A layer's configuration as the generator resolved it, one record per layer kind, written
/// into the layer table (<see cref="LayerInfo.Config"/>) as literal values. Tools that rebuild
/// the computation (ONNX export, <c>convgen visualize</c>) read these fields; the
/// <see cref="LayerInfo.Description"/> text is for people only.
/// </summary>
public abstract record LayerConfig;

/// <summary>
/// Conv2D. The pads are resolved for every padding mode (zero for <see cref="Padding.Valid"/>,
/// Keras's split with the odd cell at the bottom / right for <see cref="Padding.Same"/>), so a
/// reader never recomputes them.
/// </summary>
/// <param name="Filters">Output channels.</param>
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
public sealed record ConvolutionConfig(
    int Filters,
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

/// <summary>MaxPool2D and AvgPool2D (which one is <see cref="LayerInfo.Kind"/>); pads resolved as for <see cref="ConvolutionConfig"/>. Padding cells take no part in the maximum or the average.</summary>
/// <param name="KernelHeight">Window rows.</param>
/// <param name="KernelWidth">Window columns.</param>
/// <param name="StrideHeight">Step between output rows.</param>
/// <param name="StrideWidth">Step between output columns.</param>
/// <param name="PadTop">Padding rows above the input.</param>
/// <param name="PadBottom">Padding rows below the input.</param>
/// <param name="PadLeft">Padding columns left of the input.</param>
/// <param name="PadRight">Padding columns right of the input.</param>
/// <param name="Padding">The padding mode written; meaningless when <paramref name="ExplicitPadding"/> is true.</param>
/// <param name="ExplicitPadding">Whether the pads were written as <c>PadTop</c> / <c>PadBottom</c> / <c>PadLeft</c> / <c>PadRight</c>.</param>
public sealed record PoolConfig(
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PadTop,
    int PadBottom,
    int PadLeft,
    int PadRight,
    Padding Padding,
    bool ExplicitPadding) : LayerConfig;

/// <summary>GlobalMaxPool2D and GlobalAvgPool2D: one value per channel; nothing to configure.</summary>
public sealed record GlobalPoolConfig : LayerConfig;

/// <summary>Flatten: HWC order, nothing to configure.</summary>
public sealed record FlattenConfig : LayerConfig;

/// <summary>Dense.</summary>
/// <param name="Units">Output values.</param>
/// <param name="Activation">Non-linearity applied to the output.</param>
/// <param name="Alpha">The activation's slope or scale (LeakyRelu, Elu), its default filled in; 0 for the others.</param>
/// <param name="UseBias">Whether a bias is added.</param>
public sealed record DenseConfig(int Units, Activation Activation, float Alpha, bool UseBias) : LayerConfig;

/// <summary>Dropout (identity at inference).</summary>
/// <param name="Rate">Fraction of values dropped in training.</param>
public sealed record DropoutConfig(double Rate) : LayerConfig;

/// <summary>A stand-alone Activation layer.</summary>
/// <param name="Activation">The non-linearity.</param>
/// <param name="Alpha">Its slope or scale (LeakyRelu, Elu), the default filled in; 0 for the others.</param>
public sealed record ActivationConfig(Activation Activation, float Alpha) : LayerConfig;

/// <summary>Add: the element-wise sum of the two layers named in <see cref="LayerInfo.Inputs"/>, then an activation.</summary>
/// <param name="Activation">Non-linearity applied to the sum.</param>
/// <param name="Alpha">Its slope or scale (LeakyRelu, Elu), the default filled in; 0 for the others.</param>
public sealed record AddConfig(Activation Activation, float Alpha) : LayerConfig;

/// <summary>BatchNorm over the channels.</summary>
/// <param name="Epsilon">Added to the variance before the square root.</param>
/// <param name="Momentum">Weight of the old running statistics in each training update.</param>
public sealed record BatchNormConfig(double Epsilon, double Momentum) : LayerConfig;
