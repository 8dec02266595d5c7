using ConvGen;

namespace MobileNetSample;

/// <summary>
/// A MobileNetV2 / V3-style network for the lecture's 80x80x3 pictures and 8 classes. Each
/// inverted residual block expands its channels with a 1x1 convolution, filters every channel on
/// its own with a 3x3 depthwise convolution (stride 2 where the map halves), and projects back
/// to few channels with a linear 1x1 bottleneck; where input and output shapes agree, the block
/// adds its input back. As in MobileNetV3, the later blocks use HardSwish instead of Relu6 and
/// rescale their channels with squeeze-and-excitation (average over the map, two Dense layers,
/// a HardSigmoid gate, Multiply). Convolutions before a BatchNorm have no bias: BatchNorm's beta
/// is the bias, and at inference BatchNorm folds into the convolution.
/// </summary>
[Network(Input = "80x80x3")]
// Stem: [40,40,16].
[Conv2D(16, 3, Stride = 2, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish)]
// Block 1, Relu6, stride 2, no residual: [40,40,16] -> expand 48 -> depthwise s2 [20,20,48] -> project [20,20,24].
[Conv2D(48, 1, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu6)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu6)]
[Conv2D(24, 1, UseBias = false)]
[BatchNorm(Name = "block1")]
// Block 2, Relu6, residual: [20,20,24] -> expand 72 -> depthwise -> project [20,20,24] + block 1.
[Conv2D(72, 1, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu6)]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu6)]
[Conv2D(24, 1, UseBias = false)]
[BatchNorm(Name = "block2_project")]
[Add("block2_project", "block1", Name = "block2")]
// Block 3, HardSwish, stride 2, squeeze-and-excitation: [20,20,24] -> expand 72 -> depthwise s2 [10,10,72] -> SE -> project [10,10,40].
[Conv2D(72, 1, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish, Name = "block3_depthwise")]
[GlobalAvgPool2D(KeepDims = true)]
[Dense(24, Activation = Activation.Relu)]
[Dense(72, Activation = Activation.HardSigmoid, Name = "block3_gate")]
[Multiply("block3_depthwise", "block3_gate")]
[Conv2D(40, 1, UseBias = false)]
[BatchNorm(Name = "block3")]
// Block 4, HardSwish, squeeze-and-excitation, residual: [10,10,40] -> expand 120 -> depthwise -> SE -> project [10,10,40] + block 3.
[Conv2D(120, 1, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish)]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish, Name = "block4_depthwise")]
[GlobalAvgPool2D(KeepDims = true)]
[Dense(32, Activation = Activation.Relu)]
[Dense(120, Activation = Activation.HardSigmoid, Name = "block4_gate")]
[Multiply("block4_depthwise", "block4_gate")]
[Conv2D(40, 1, UseBias = false)]
[BatchNorm(Name = "block4_project")]
[Add("block4_project", "block3", Name = "block4")]
// Block 5, HardSwish, stride 2, squeeze-and-excitation: [10,10,40] -> expand 160 -> depthwise s2 [5,5,160] -> SE -> project [5,5,64].
[Conv2D(160, 1, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish, Name = "block5_depthwise")]
[GlobalAvgPool2D(KeepDims = true)]
[Dense(40, Activation = Activation.Relu)]
[Dense(160, Activation = Activation.HardSigmoid, Name = "block5_gate")]
[Multiply("block5_depthwise", "block5_gate")]
[Conv2D(64, 1, UseBias = false)]
[BatchNorm]
// Head: 1x1 to 256 channels, average over the map, classify.
[Conv2D(256, 1, UseBias = false)]
[BatchNorm]
[Activation(Activation.HardSwish)]
[GlobalAvgPool2D]
[Dropout(0.2)]
[Dense(8, Activation = Activation.Softmax)]
public sealed partial class MobileNet;
