using ConvGen;

namespace ConvGen.Onnx.Tests.Export;

/// <summary>The five mobile activations, fused into Conv2D and Dense and as standalone layers.</summary>
[Network(Input = "7x6x3")]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
[Conv2D(8, 1, Activation = Activation.HardSwish)]
[Activation(Activation.Mish)]
[Conv2D(6, 3, Stride = 2, Activation = Activation.Silu)]
[GlobalAvgPool2D]
[Dense(5, Activation = Activation.HardSigmoid)]
public sealed partial class ExportMobileActivationNet;

/// <summary>The activations that map onto one ONNX operator each (Clip, HardSigmoid), so the export reads back layer for layer.</summary>
[Network(Input = "6x5x2")]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
[Activation(Activation.HardSigmoid)]
[Flatten]
[Dense(4, Activation = Activation.Relu6)]
public sealed partial class ExportRelu6HardSigmoidNet;

/// <summary>A squeeze-and-excitation block both ways: kept rank with Dense on 1x1 maps and the gate first, and a flat squeeze reshaped to 1x1xC.</summary>
[Network(Input = "6x5x3")]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.HardSwish, Name = "features")]
[GlobalAvgPool2D(KeepDims = true)]
[Dense(4, Activation = Activation.Relu)]
[Dense(8, Activation = Activation.HardSigmoid, Name = "gate")]
[Multiply("gate", "features", Name = "excited")]
[GlobalMaxPool2D]
[Dense(6, Activation = Activation.Sigmoid)]
[Reshape(1, 1, 6, Name = "gate2")]
[Conv2D(6, 1, Input = "excited", Name = "projected")]
[Multiply("projected", "gate2")]
[Reshape(180)]
[Dense(3)]
public sealed partial class ExportSqueezeExcitationNet;

/// <summary>GroupNormalization and LayerNormalization on maps and vectors, with and without gamma and beta, and an equal-shape Multiply.</summary>
[Network(Input = "5x4x2")]
[Conv2D(12, 3, Padding = Padding.Same, Name = "a")]
[GroupNormalization(3, Epsilon = 1e-5)]
[Conv2D(12, 1, Activation = Activation.Silu)]
[LayerNormalization(Center = false)]
[GroupNormalization(12, Scale = false, Name = "instance")]
[Conv2D(12, 1, Activation = Activation.Sigmoid, Input = "a", Name = "gate")]
[Multiply("instance", "gate")]
[Flatten]
[Dense(8)]
[LayerNormalization]
[GroupNormalization(2)]
[Dense(3)]
public sealed partial class ExportNormalizationNet;

/// <summary>Activations the export writes as products (SiLU as x·Sigmoid(x), HardSwish as x·HardSigmoid(x)) and an equal-shape Multiply: the import folds the products back into the activations.</summary>
[Network(Input = "5x4x2")]
[Conv2D(6, 3, Padding = Padding.Same, Activation = Activation.Silu)]
[Conv2D(6, 1, Activation = Activation.HardSwish, Name = "hs")]
[Conv2D(6, 1, Activation = Activation.Relu6, Name = "gate")]
[Multiply("hs", "gate")]
[Flatten]
[Dense(3)]
public sealed partial class ExportProductNet;
