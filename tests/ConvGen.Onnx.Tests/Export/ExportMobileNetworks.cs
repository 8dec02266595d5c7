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
