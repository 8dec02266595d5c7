using ConvGen;

namespace ConvGen.Tool.Tests;

/// <summary>A small classifier whose weights the summary, inspect and visualize tests save.</summary>
[Network(Input = "12x12x3")]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(5, 2, Stride = 2, Activation = Activation.Tanh)]
[Flatten]
[Dense(3, Activation = Activation.Softmax)]
public sealed partial class ToolNet;

/// <summary>ToolNet's first three layers: its output is ToolNet's conv2d_1 feature maps.</summary>
[Network(Input = "12x12x3")]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(5, 2, Stride = 2, Activation = Activation.Tanh)]
public sealed partial class ToolNetPrefix;

/// <summary>A chain the ONNX exporter writes and the importer reads back.</summary>
[Network(Input = "10x10x1")]
[Conv2D(3, 3, Activation = Activation.Relu)]
[AvgPool2D(2)]
[Flatten]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class ExportedNet;

/// <summary>Dilation, same padding everywhere, no bias, ELU and GELU: the reference forward pass's harder cases.</summary>
[Network(Input = "11x11x2")]
[Conv2D(3, 3, Dilation = 2, Padding = Padding.Same, UseBias = false, Activation = Activation.Elu)]
[AvgPool2D(2, Padding = Padding.Same)]
[Conv2D(4, 2, Activation = Activation.Gelu)]
[MaxPool2D(2, Stride = 1, Padding = Padding.Same)]
[Flatten]
[Dense(2)]
public sealed partial class DilatedNet;

/// <summary>DilatedNet's first four layers.</summary>
[Network(Input = "11x11x2")]
[Conv2D(3, 3, Dilation = 2, Padding = Padding.Same, UseBias = false, Activation = Activation.Elu)]
[AvgPool2D(2, Padding = Padding.Same)]
[Conv2D(4, 2, Activation = Activation.Gelu)]
[MaxPool2D(2, Stride = 1, Padding = Padding.Same)]
public sealed partial class DilatedNetPrefix;

/// <summary>Batch normalisation between a convolution and a dense head: checkpoints with running statistics.</summary>
[Network(Input = "8x8x2")]
[Conv2D(3, 3, UseBias = false)]
[BatchNorm]
[MaxPool2D(2)]
[Flatten]
[Dense(2)]
public sealed partial class NormedNet;

/// <summary>
/// Explicit uneven pads on a stride-2 and on a dilated convolution and on a pool, custom alphas,
/// and a residual Add: the visualize pass must take every pad from the saved configuration.
/// </summary>
[Network(Input = "12x12x3")]
[Conv2D(4, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 2, PadRight = 1, Activation = Activation.LeakyRelu, Alpha = 0.2)]
[Conv2D(4, 3, Dilation = 2, PadTop = 2, PadBottom = 2, PadLeft = 1, PadRight = 3, Activation = Activation.Elu, Alpha = 0.5)]
[MaxPool2D(2, Stride = 1, PadTop = 0, PadBottom = 1, PadLeft = 1, PadRight = 0)]
[Add("conv2d", "max_pooling2d", Activation = Activation.Relu)]
[GlobalAvgPool2D]
[Dense(2)]
public sealed partial class PaddedResidualNet;

/// <summary>PaddedResidualNet's first three layers.</summary>
[Network(Input = "12x12x3")]
[Conv2D(4, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 2, PadRight = 1, Activation = Activation.LeakyRelu, Alpha = 0.2)]
[Conv2D(4, 3, Dilation = 2, PadTop = 2, PadBottom = 2, PadLeft = 1, PadRight = 3, Activation = Activation.Elu, Alpha = 0.5)]
[MaxPool2D(2, Stride = 1, PadTop = 0, PadBottom = 1, PadLeft = 1, PadRight = 0)]
public sealed partial class PaddedResidualNetPrefix;

/// <summary>MobileNet's blocks for the reference forward pass: zero padding, a strided depthwise convolution with multiplier 2.</summary>
[Network(Input = "12x12x3")]
[ZeroPadding2D(1, 0, 1, 0)]
[DepthwiseConv2D(3, DepthMultiplier = 2, Stride = 2, Activation = Activation.Relu)]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false, Activation = Activation.Tanh)]
[Conv2D(4, 1)]
[GlobalAvgPool2D]
[Dense(2)]
public sealed partial class MobileToolNet;

/// <summary>MobileToolNet's first three layers.</summary>
[Network(Input = "12x12x3")]
[ZeroPadding2D(1, 0, 1, 0)]
[DepthwiseConv2D(3, DepthMultiplier = 2, Stride = 2, Activation = Activation.Relu)]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false, Activation = Activation.Tanh)]
public sealed partial class MobileToolNetPrefix;
