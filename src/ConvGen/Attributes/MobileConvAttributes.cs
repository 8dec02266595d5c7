using System;

namespace ConvGen;

/// <summary>
/// Depthwise 2-D convolution: each input channel convolved with its own <see cref="DepthMultiplier"/>
/// filters (no mixing between channels), weights <c>[kh][kw][channels][multiplier]</c> as in Keras;
/// output channel <c>c * multiplier + j</c> is filter <c>j</c> of input channel <c>c</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DepthwiseConv2DAttribute : LayerAttribute
{
    /// <summary>Square kernel.</summary>
    public DepthwiseConv2DAttribute(int kernel) : this(kernel, kernel) { }

    /// <summary>Kernel of <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/>.</summary>
    public DepthwiseConv2DAttribute(int kernelHeight, int kernelWidth)
    {
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Filters per input channel (default 1): the layer has <c>channels * DepthMultiplier</c> outputs.</summary>
    public int DepthMultiplier { get; set; } = 1;
    /// <summary>Step between windows, both axes (default 1).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Spacing between kernel taps, both axes (default 1).</summary>
    public int Dilation { get; set; } = 1;
    /// <summary>Border handling (default <see cref="ConvGen.Padding.Valid"/>).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Non-linearity fused into the layer (default linear).</summary>
    public Activation Activation { get; set; } = Activation.Linear;
    /// <summary>Slope / scale for <see cref="ConvGen.Activation.LeakyRelu"/> and <see cref="ConvGen.Activation.Elu"/>; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
    /// <summary>Whether the layer adds a per-output-channel bias (default true).</summary>
    public bool UseBias { get; set; } = true;
    /// <summary>Explicit zero padding above the input (rows); with any Pad* set, unset sides are 0. Not with <see cref="ConvGen.Padding.Same"/>.</summary>
    public int PadTop { get; set; }
    /// <summary>Explicit zero padding below the input (rows).</summary>
    public int PadBottom { get; set; }
    /// <summary>Explicit zero padding left of the input (columns).</summary>
    public int PadLeft { get; set; }
    /// <summary>Explicit zero padding right of the input (columns).</summary>
    public int PadRight { get; set; }
}

/// <summary>
/// Depthwise separable 2-D convolution (Keras <c>SeparableConv2D</c>): a depthwise convolution
/// (<see cref="DepthMultiplier"/> filters per input channel, no bias) then a pointwise 1x1
/// convolution to <c>filters</c> channels with the bias and the activation. Its tensors are
/// <c>{name}.depthwise_weight</c>, <c>{name}.pointwise_weight</c> and <c>{name}.bias</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SeparableConv2DAttribute : LayerAttribute
{
    /// <summary>Square kernel.</summary>
    public SeparableConv2DAttribute(int filters, int kernel) : this(filters, kernel, kernel) { }

    /// <summary>Kernel of <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/>.</summary>
    public SeparableConv2DAttribute(int filters, int kernelHeight, int kernelWidth)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Output channels of the pointwise convolution.</summary>
    public int Filters { get; }
    /// <summary>Depthwise kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>Depthwise kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Depthwise filters per input channel (default 1).</summary>
    public int DepthMultiplier { get; set; } = 1;
    /// <summary>Step between windows of the depthwise part, both axes (default 1).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Spacing between kernel taps, both axes (default 1).</summary>
    public int Dilation { get; set; } = 1;
    /// <summary>Border handling (default <see cref="ConvGen.Padding.Valid"/>).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Non-linearity applied after the pointwise part (default linear).</summary>
    public Activation Activation { get; set; } = Activation.Linear;
    /// <summary>Slope / scale for LeakyRelu and Elu; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
    /// <summary>Whether the pointwise part adds a per-filter bias (default true).</summary>
    public bool UseBias { get; set; } = true;
    /// <summary>Explicit zero padding above the input (rows); with any Pad* set, unset sides are 0. Not with <see cref="ConvGen.Padding.Same"/>.</summary>
    public int PadTop { get; set; }
    /// <summary>Explicit zero padding below the input (rows).</summary>
    public int PadBottom { get; set; }
    /// <summary>Explicit zero padding left of the input (columns).</summary>
    public int PadLeft { get; set; }
    /// <summary>Explicit zero padding right of the input (columns).</summary>
    public int PadRight { get; set; }
}

/// <summary>Frames each channel with rows and columns of zeros: <c>[H,W,C]</c> to <c>[H+top+bottom, W+left+right, C]</c> (Keras <c>ZeroPadding2D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ZeroPadding2DAttribute : LayerAttribute
{
    /// <summary>The same padding on all four sides.</summary>
    public ZeroPadding2DAttribute(int padding) : this(padding, padding, padding, padding) { }

    /// <summary><paramref name="vertical"/> rows above and below, <paramref name="horizontal"/> columns left and right (Keras's <c>((v, v), (h, h))</c> as <c>(v, h)</c>).</summary>
    public ZeroPadding2DAttribute(int vertical, int horizontal) : this(vertical, vertical, horizontal, horizontal) { }

    /// <summary>Each side on its own.</summary>
    public ZeroPadding2DAttribute(int top, int bottom, int left, int right)
    {
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>Zero rows above.</summary>
    public int Top { get; }
    /// <summary>Zero rows below.</summary>
    public int Bottom { get; }
    /// <summary>Zero columns on the left.</summary>
    public int Left { get; }
    /// <summary>Zero columns on the right.</summary>
    public int Right { get; }
}
