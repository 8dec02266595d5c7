using ConvGen;

namespace ConvGen.Tests.Training;

/// <summary>Small networks that touch every backward kernel, for finite-difference checks.</summary>
[Network(Input = "7x6x3")]
[Conv2D(5, 3, 2, Padding = Padding.Same, Stride = 2, Activation = Activation.Tanh)]
[MaxPool2D(2, Padding = Padding.Same)]
[Conv2D(9, 2, Activation = Activation.Elu)]
[Flatten]
[Dense(6, Activation = Activation.Sigmoid)]
[Dense(4)]
public sealed partial class MixedGradientNet;

[Network(Input = "9x9x2")]
[Conv2D(17, 3, Dilation = 2, Activation = Activation.Gelu)]
[AvgPool2D(2, Stride = 1, Padding = Padding.Same)]
[Conv2D(8, 1, UseBias = false, Activation = Activation.LeakyRelu, Alpha = 0.2)]
[GlobalAvgPool2D]
[Dense(3, Activation = Activation.Softmax)]
public sealed partial class DilatedGradientNet;

[Network(Input = "6x6x4")]
[Conv2D(3, 3, Padding = Padding.Same, Activation = Activation.Sigmoid)]
[Activation(Activation.Tanh)]
[GlobalMaxPool2D]
[Dropout(0.3)]
[Dense(2)]
public sealed partial class GlobalMaxGradientNet;

/// <summary>A 5x5 layer whose weight gradient runs as Winograd F(2x2, 5x5) (Winograd5x5WeightGradientPlan): unpadded, 14x14 -> 10x10.</summary>
[Network(Input = "14x14x32")]
[Conv2D(64, 5, Activation = Activation.Tanh)]
[GlobalAvgPool2D]
[Dense(3)]
public sealed partial class Winograd5x5WeightGradientNet;

/// <summary>The same with padding 2 on an odd map (11x11: the last 2x2 tiles overhang the edges) and no bias.</summary>
[Network(Input = "11x11x32")]
[Conv2D(64, 5, Padding = Padding.Same, UseBias = false, Activation = Activation.Tanh)]
[GlobalAvgPool2D]
[Dense(3)]
public sealed partial class PaddedWinograd5x5WeightGradientNet;

/// <summary>
/// A 5x5 layer whose input gradient runs as Winograd F(2x2, 5x5) (Winograd5x5InputGradientPlan): fashion's conv2
/// (14x14, 32 -> 64, pad 2), behind a 1x1 layer whose gradients take that input gradient.
/// </summary>
[Network(Input = "14x14x3")]
[Conv2D(32, 1, Activation = Activation.Tanh)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Tanh)]
[GlobalAvgPool2D]
[Dense(3)]
public sealed partial class Winograd5x5InputGradientNet;

/// <summary>The same unpadded (the gather padded by 4) on an odd map, 32 -> 32: 15x15 -> 11x11.</summary>
[Network(Input = "15x15x2")]
[Conv2D(32, 1, Activation = Activation.Tanh)]
[Conv2D(32, 5, UseBias = false, Activation = Activation.Tanh)]
[GlobalAvgPool2D]
[Dense(3)]
public sealed partial class UnpaddedWinograd5x5InputGradientNet;
