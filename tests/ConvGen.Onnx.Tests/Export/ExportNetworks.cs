using ConvGen;

namespace ConvGen.Onnx.Tests.Export;

/// <summary>Non-square input, same and valid padding, a non-square kernel, padded average pooling, flatten of a spatial map, dropout, softmax.</summary>
[Network(Input = "12x10x3")]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(6, 3, 2, Activation = Activation.Tanh)]
[AvgPool2D(3, Stride = 1, Padding = Padding.Same)]
[Flatten]
[Dense(16, Activation = Activation.Elu)]
[Dropout(0.5)]
[Dense(5, Activation = Activation.Softmax)]
public sealed partial class ExportChainNet;

/// <summary>Stride-2 "same" convolution without bias, dilation, separate and fused activations, global pooling.</summary>
[Network(Input = "9x9x2")]
[Conv2D(5, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Sigmoid, UseBias = false)]
[Conv2D(4, 2, Dilation = 2, Activation = Activation.LeakyRelu)]
[Activation(Activation.Gelu)]
[GlobalMaxPool2D]
[Dense(3)]
public sealed partial class ExportGlobalPoolNet;

/// <summary>A spatial output (transposed back to NHWC by the export) and a padded stride-2 max pool.</summary>
[Network(Input = "6x6x3")]
[Conv2D(4, 1, Activation = Activation.Relu)]
[MaxPool2D(3, Stride = 2, Padding = Padding.Same)]
public sealed partial class ExportSpatialOutputNet;

/// <summary>Global average pooling into a dense head.</summary>
[Network(Input = "5x7x2")]
[Conv2D(3, 3, Padding = Padding.Same)]
[GlobalAvgPool2D]
[Dense(4, Activation = Activation.Relu)]
public sealed partial class ExportGlobalAvgNet;

/// <summary>A ResNet downsampling block: explicit pads, BatchNorm, a projected shortcut read through Input, Add with ReLU.</summary>
[Network(Input = "10x10x3")]
[Conv2D(8, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, UseBias = false, Name = "stem")]
[BatchNorm(Epsilon = 1e-5, Name = "stem_bn")]
[Activation(Activation.Relu, Name = "stem_relu")]
[MaxPool2D(3, Stride = 1, PadTop = 1, PadBottom = 1, PadLeft = 0, PadRight = 2, Name = "pool")]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm(Name = "main")]
[Conv2D(8, 1, Input = "pool", Name = "projection")]
[Add("main", "projection", Activation = Activation.Relu)]
[AvgPool2D(2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0)]
[Flatten]
[BatchNorm]
[Dense(3)]
public sealed partial class ExportResidualNet;

/// <summary>
/// Explicit uneven pads with stride 2 and dilation 2, a dilated "same" branch, a residual Add,
/// and custom activation alphas: every value comes from <see cref="LayerInfo.Config"/>.
/// </summary>
[Network(Input = "11x9x2")]
[Conv2D(6, 3, Stride = 2, Dilation = 2, PadTop = 2, PadBottom = 1, PadLeft = 0, PadRight = 3, Activation = Activation.LeakyRelu, Alpha = 0.2, Name = "entry")]
[Conv2D(6, 3, Dilation = 2, Padding = Padding.Same, Activation = Activation.Elu, Alpha = 0.5, Name = "branch")]
[Add("entry", "branch", Activation = Activation.Relu, Name = "sum")]
[Conv2D(4, 2, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1, Name = "down")]
[Flatten]
[Activation(Activation.LeakyRelu, Alpha = 0.3)]
[Dense(3)]
public sealed partial class ExportDilatedPadNet;

/// <summary>
/// A small U-Net: a cropped skip, a stride-2 transposed convolution (valid, kernel equal to the
/// stride), a bilinear and a nearest upsampling branch, Concatenate of three maps.
/// </summary>
[Network(Input = "12x12x2")]
[Conv2D(4, 3, Activation = Activation.Relu, Name = "encoder")]
[MaxPool2D(2)]
[Conv2D(6, 3, Activation = Activation.Tanh, Name = "bottleneck")]
[Conv2DTranspose(4, 2, Stride = 2, Activation = Activation.Relu, Name = "up")]
[Cropping2D(2, 2, 1, 3, Input = "encoder", Name = "skip")]
[UpSampling2D(2, Interpolation = UpSamplingInterpolation.Bilinear, Input = "bottleneck", Name = "resized")]
[UpSampling2D(2, 2, Input = "bottleneck", Name = "repeated")]
[Concatenate("up", "skip", "resized", "repeated")]
[Conv2D(3, 1, Activation = Activation.Softmax)]
public sealed partial class ExportUNet;

/// <summary>
/// Conv2DTranspose's size rules in ONNX terms: same with an odd row cut at the bottom, output
/// padding, a kernel below the stride (rows past the last tap: output_padding), dilation, no bias;
/// bilinear upsampling by unequal factors.
/// </summary>
[Network(Input = "5x4x3")]
[Conv2DTranspose(4, 3, Stride = 2, Padding = Padding.Same)]
[Conv2DTranspose(3, 3, Stride = 2, Padding = Padding.Same, OutputPadding = 1, Activation = Activation.Tanh)]
[Conv2DTranspose(2, 1, Stride = 3, UseBias = false)]
[Conv2DTranspose(2, 2, 3, Dilation = 2)]
[UpSampling2D(3, 2, Interpolation = UpSamplingInterpolation.Bilinear)]
public sealed partial class ExportTransposedNet;

/// <summary>
/// MobileNet's building blocks: zero padding (bottom / right, as TensorFlow pads before a stride-2
/// depthwise), depthwise convolutions with multiplier 1 and 2 (grouped Convs), a separable
/// convolution (two Convs), explicit pads on a depthwise window.
/// </summary>
[Network(Input = "12x11x3")]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[ZeroPadding2D(0, 1, 0, 1)]
[DepthwiseConv2D(3, Stride = 2, Activation = Activation.Relu, Name = "dw_s2")]
[DepthwiseConv2D(3, DepthMultiplier = 2, Padding = Padding.Same, UseBias = false, Name = "dw_m2")]
[SeparableConv2D(12, 3, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.Tanh, Name = "sep")]
[ZeroPadding2D(1)]
[DepthwiseConv2D(3, 2, PadTop = 1, PadLeft = 1, Activation = Activation.LeakyRelu, Alpha = 0.2)]
[GlobalAvgPool2D]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class ExportMobileNet;
