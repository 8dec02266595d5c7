using ConvGen;

namespace ConvGen.Tests.Training;

/// <summary>Detects which of three patterns (horizontal bar, vertical bar, bright dot) an image contains.</summary>
[Network(Input = "10x10x1")]
[Conv2D(8, 3, Activation = Activation.Relu)]
[GlobalMaxPool2D]
[Dense(3, Activation = Activation.Sigmoid)]
public sealed partial class MultiLabelNet;

/// <summary>Two smooth functions of four inputs.</summary>
[Network(Input = "1x1x4")]
[Flatten]
[Dense(32, Activation = Activation.Tanh)]
[Dense(2)]
public sealed partial class RegressionNet;

/// <summary>Four shape classes on 12x12 images, with dropout.</summary>
[Network(Input = "12x12x1")]
[Conv2D(8, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[GlobalAvgPool2D]
[Dropout(0.1)]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class ShapesNet;

/// <summary>The four shape classes with a residual block and BatchNorm (a small ResNet).</summary>
[Network(Input = "12x12x1")]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu, Name = "stem")]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm(Name = "main")]
[Add("main", "stem", Activation = Activation.Relu)]
[GlobalAvgPool2D]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class ResidualShapesNet;

/// <summary>The four shape classes through a Dense layer normalised by BatchNorm: with one sample per thread, per-thread statistics would erase its output.</summary>
[Network(Input = "12x12x1")]
[Conv2D(4, 3, Activation = Activation.Relu)]
[GlobalAvgPool2D]
[Dense(8, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[Dense(4, Activation = Activation.Softmax)]
public sealed partial class DenseBatchNormNet;
