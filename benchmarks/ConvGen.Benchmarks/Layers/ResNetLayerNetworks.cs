using ConvGen;

// The distinct forward convolution shapes of ResNet-18 (samples/TransferLearning/ResNet18Layers.cs)
// as one-layer networks for ResNetLayerBenchmarks, each as inference runs it: the BatchNorm after it
// folded into a bias, the Relu after that (3x3 and the stem) fused into the store; the 1x1
// projections are linear (their Relu comes after the Add). Forward only, at batch 1: the deep
// layers' weights (up to 9.4 MB) are larger than their pictures, which is what the generator's
// picture plan (generators/ConvGen.Generators/Emit/PicturePlan.cs) is for.
namespace ConvGen.Benchmarks.Layers;

/// <summary>resnet stem: Conv2D 64@7x7 s2 pads 3,2,3,2 relu [224,224,3] -> [112,112,64].</summary>
[Network(Input = "224x224x3")]
[Conv2D(64, 7, Stride = 2, PadTop = 3, PadBottom = 2, PadLeft = 3, PadRight = 2, Activation = Activation.Relu)]
public sealed partial class ResNetStem;

/// <summary>resnet stage 1: Conv2D 64@3x3 same relu [56,56,64] -> [56,56,64].</summary>
[Network(Input = "56x56x64")]
[Conv2D(64, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class ResNetConv64;

/// <summary>resnet stage 2 entry: Conv2D 128@3x3 s2 pads 1,0,1,0 relu [56,56,64] -> [28,28,128].</summary>
[Network(Input = "56x56x64")]
[Conv2D(128, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Activation = Activation.Relu)]
public sealed partial class ResNetDown128;

/// <summary>resnet stage 2 projection: Conv2D 128@1x1 s2 [56,56,64] -> [28,28,128].</summary>
[Network(Input = "56x56x64")]
[Conv2D(128, 1, Stride = 2, Padding = Padding.Same)]
public sealed partial class ResNetProjection128;

/// <summary>resnet stage 2: Conv2D 128@3x3 same relu [28,28,128] -> [28,28,128].</summary>
[Network(Input = "28x28x128")]
[Conv2D(128, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class ResNetConv128;

/// <summary>resnet stage 3 entry: Conv2D 256@3x3 s2 pads 1,0,1,0 relu [28,28,128] -> [14,14,256].</summary>
[Network(Input = "28x28x128")]
[Conv2D(256, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Activation = Activation.Relu)]
public sealed partial class ResNetDown256;

/// <summary>resnet stage 3 projection: Conv2D 256@1x1 s2 [28,28,128] -> [14,14,256].</summary>
[Network(Input = "28x28x128")]
[Conv2D(256, 1, Stride = 2, Padding = Padding.Same)]
public sealed partial class ResNetProjection256;

/// <summary>resnet stage 3: Conv2D 256@3x3 same relu [14,14,256] -> [14,14,256].</summary>
[Network(Input = "14x14x256")]
[Conv2D(256, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class ResNetConv256;

/// <summary>resnet stage 4 entry: Conv2D 512@3x3 s2 pads 1,0,1,0 relu [14,14,256] -> [7,7,512].</summary>
[Network(Input = "14x14x256")]
[Conv2D(512, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Activation = Activation.Relu)]
public sealed partial class ResNetDown512;

/// <summary>resnet stage 4 projection: Conv2D 512@1x1 s2 [14,14,256] -> [7,7,512].</summary>
[Network(Input = "14x14x256")]
[Conv2D(512, 1, Stride = 2, Padding = Padding.Same)]
public sealed partial class ResNetProjection512;

/// <summary>resnet stage 4: Conv2D 512@3x3 same relu [7,7,512] -> [7,7,512].</summary>
[Network(Input = "7x7x512")]
[Conv2D(512, 3, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class ResNetConv512;
