using ConvGen;

// The depthwise layers of the mobilenet throughput network (MobileNetwork.cs, samples/MobileNet) as
// one-layer networks for LayerBenchmarks, in the three forms of LayerNetworks.cs (alone, behind a
// 1x1 prefix, the prefix alone). Each is the layer as inference runs it: the BatchNorm after it
// folded into a bias and the activation after that fused into the store, so the forward is the one
// memory-bound pass whose GB/s the '% bandwidth' column compares with the `bandwidth` probe.
namespace ConvGen.Benchmarks.Layers;

/// <summary>mobilenet block 1 depthwise: DepthwiseConv2D 3x3 s2 same relu6 [40,40,48] -> [20,20,48].</summary>
[Network(Input = "40x40x48")]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public sealed partial class MobileNetDw1;

/// <summary><see cref="MobileNetDw1"/> behind a 1x1 prefix.</summary>
[Network(Input = "40x40x1")]
[Conv2D(48, 1)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public sealed partial class MobileNetDw1Chained;

/// <summary>Prefix of <see cref="MobileNetDw1Chained"/>.</summary>
[Network(Input = "40x40x1")]
[Conv2D(48, 1)]
public sealed partial class MobileNetDw1Prefix;

/// <summary>mobilenet block 2 depthwise: DepthwiseConv2D 3x3 s1 same relu6 [20,20,72] -> [20,20,72].</summary>
[Network(Input = "20x20x72")]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu6)]
public sealed partial class MobileNetDw2;

/// <summary><see cref="MobileNetDw2"/> behind a 1x1 prefix.</summary>
[Network(Input = "20x20x1")]
[Conv2D(72, 1)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.Relu6)]
public sealed partial class MobileNetDw2Chained;

/// <summary>Prefix of <see cref="MobileNetDw2Chained"/>.</summary>
[Network(Input = "20x20x1")]
[Conv2D(72, 1)]
public sealed partial class MobileNetDw2Prefix;

/// <summary>mobilenet block 3 depthwise: DepthwiseConv2D 3x3 s2 same hardswish [20,20,72] -> [10,10,72].</summary>
[Network(Input = "20x20x72")]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.HardSwish)]
public sealed partial class MobileNetDw3;

/// <summary><see cref="MobileNetDw3"/> behind a 1x1 prefix.</summary>
[Network(Input = "20x20x1")]
[Conv2D(72, 1)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.HardSwish)]
public sealed partial class MobileNetDw3Chained;

/// <summary>Prefix of <see cref="MobileNetDw3Chained"/>.</summary>
[Network(Input = "20x20x1")]
[Conv2D(72, 1)]
public sealed partial class MobileNetDw3Prefix;

/// <summary>mobilenet block 4 depthwise: DepthwiseConv2D 3x3 s1 same hardswish [10,10,120] -> [10,10,120].</summary>
[Network(Input = "10x10x120")]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.HardSwish)]
public sealed partial class MobileNetDw4;

/// <summary><see cref="MobileNetDw4"/> behind a 1x1 prefix.</summary>
[Network(Input = "10x10x1")]
[Conv2D(120, 1)]
[DepthwiseConv2D(3, Padding = Padding.Same, Activation = Activation.HardSwish)]
public sealed partial class MobileNetDw4Chained;

/// <summary>Prefix of <see cref="MobileNetDw4Chained"/>.</summary>
[Network(Input = "10x10x1")]
[Conv2D(120, 1)]
public sealed partial class MobileNetDw4Prefix;

/// <summary>mobilenet block 5 depthwise: DepthwiseConv2D 3x3 s2 same hardswish [10,10,160] -> [5,5,160].</summary>
[Network(Input = "10x10x160")]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.HardSwish)]
public sealed partial class MobileNetDw5;

/// <summary><see cref="MobileNetDw5"/> behind a 1x1 prefix.</summary>
[Network(Input = "10x10x1")]
[Conv2D(160, 1)]
[DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.HardSwish)]
public sealed partial class MobileNetDw5Chained;

/// <summary>Prefix of <see cref="MobileNetDw5Chained"/>.</summary>
[Network(Input = "10x10x1")]
[Conv2D(160, 1)]
public sealed partial class MobileNetDw5Prefix;
