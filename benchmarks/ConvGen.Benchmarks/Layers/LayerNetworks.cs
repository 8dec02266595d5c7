using ConvGen;

// One-layer networks with the exact input and output shapes of each conv, pool and dense layer of
// the three reference networks (Networks.cs), for LayerBenchmarks. Each shape comes in up to three
// networks:
//   X         the layer alone: its forward; its backward as a first layer computes (activation
//             derivative and weight gradient, no input gradient).
//   XChained  a 1x1 convolution from one channel to the layer's input channels, then the layer: the
//             layer is no longer first, so backward also computes its input gradient, as it does
//             inside its network. (The first layer of each network has none: its backward never
//             computes an input gradient.)
//   XPrefix   that 1x1 convolution alone, whose backward (H*W*C multiply-adds) is subtracted from
//             XChained's to leave the layer's own backward.
// Layers that follow a Flatten take a [H,W,C] input and flatten it (free); layers that take a
// vector take it as [n,1,1] so that the prefix stays one multiply-add per value.
namespace ConvGen.Benchmarks.Layers;

// ---- seed: 80x80x3 -> conv 8@3x3 -> pool -> conv 16@3x3 -> pool -> dense 64 -> dense 8 ----

/// <summary>seed layer 0: Conv2D 8@3x3 valid relu [80,80,3] -> [78,78,8] (first layer).</summary>
[Network(Input = "80x80x3")]
[Conv2D(8, 3, Activation = Activation.Relu)]
public sealed partial class SeedConv1;

/// <summary>seed layer 1: MaxPool2D 2 [78,78,8] -> [39,39,8].</summary>
[Network(Input = "78x78x8")]
[MaxPool2D(2)]
public sealed partial class SeedPool1;

/// <summary><see cref="SeedPool1"/> behind a 1x1 prefix.</summary>
[Network(Input = "78x78x1")]
[Conv2D(8, 1)]
[MaxPool2D(2)]
public sealed partial class SeedPool1Chained;

/// <summary>Prefix of <see cref="SeedPool1Chained"/>.</summary>
[Network(Input = "78x78x1")]
[Conv2D(8, 1)]
public sealed partial class SeedPool1Prefix;

/// <summary>seed layer 2: Conv2D 16@3x3 valid relu [39,39,8] -> [37,37,16].</summary>
[Network(Input = "39x39x8")]
[Conv2D(16, 3, Activation = Activation.Relu)]
public sealed partial class SeedConv2;

/// <summary><see cref="SeedConv2"/> behind a 1x1 prefix.</summary>
[Network(Input = "39x39x1")]
[Conv2D(8, 1)]
[Conv2D(16, 3, Activation = Activation.Relu)]
public sealed partial class SeedConv2Chained;

/// <summary>Prefix of <see cref="SeedConv2Chained"/>.</summary>
[Network(Input = "39x39x1")]
[Conv2D(8, 1)]
public sealed partial class SeedConv2Prefix;

/// <summary>seed layer 3: MaxPool2D 2 [37,37,16] -> [18,18,16].</summary>
[Network(Input = "37x37x16")]
[MaxPool2D(2)]
public sealed partial class SeedPool2;

/// <summary><see cref="SeedPool2"/> behind a 1x1 prefix.</summary>
[Network(Input = "37x37x1")]
[Conv2D(16, 1)]
[MaxPool2D(2)]
public sealed partial class SeedPool2Chained;

/// <summary>Prefix of <see cref="SeedPool2Chained"/>.</summary>
[Network(Input = "37x37x1")]
[Conv2D(16, 1)]
public sealed partial class SeedPool2Prefix;

/// <summary>seed layer 5: Dense 64 relu [5184] -> [64].</summary>
[Network(Input = "18x18x16")]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
public sealed partial class SeedDense1;

/// <summary><see cref="SeedDense1"/> behind a 1x1 prefix.</summary>
[Network(Input = "18x18x1")]
[Conv2D(16, 1)]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
public sealed partial class SeedDense1Chained;

/// <summary>Prefix of <see cref="SeedDense1Chained"/>.</summary>
[Network(Input = "18x18x1")]
[Conv2D(16, 1)]
public sealed partial class SeedDense1Prefix;

/// <summary>seed layer 6: Dense 8 [64] -> [8].</summary>
[Network(Input = "64x1x1")]
[Flatten]
[Dense(8)]
public sealed partial class SeedDense2;

/// <summary><see cref="SeedDense2"/> behind a 1x1 prefix.</summary>
[Network(Input = "64x1x1")]
[Conv2D(1, 1)]
[Flatten]
[Dense(8)]
public sealed partial class SeedDense2Chained;

/// <summary>Prefix of <see cref="SeedDense2Chained"/>.</summary>
[Network(Input = "64x1x1")]
[Conv2D(1, 1)]
public sealed partial class SeedDense2Prefix;

// ---- lenet: 28x28x1 -> conv 6@5x5 same -> pool -> conv 16@5x5 -> pool -> dense 120 -> 84 -> 10 ----

/// <summary>lenet layer 0: Conv2D 6@5x5 same relu [28,28,1] -> [28,28,6] (first layer).</summary>
[Network(Input = "28x28x1")]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class LeNetConv1;

/// <summary>lenet layer 1: MaxPool2D 2 [28,28,6] -> [14,14,6].</summary>
[Network(Input = "28x28x6")]
[MaxPool2D(2)]
public sealed partial class LeNetPool1;

/// <summary><see cref="LeNetPool1"/> behind a 1x1 prefix.</summary>
[Network(Input = "28x28x1")]
[Conv2D(6, 1)]
[MaxPool2D(2)]
public sealed partial class LeNetPool1Chained;

/// <summary>Prefix of <see cref="LeNetPool1Chained"/>.</summary>
[Network(Input = "28x28x1")]
[Conv2D(6, 1)]
public sealed partial class LeNetPool1Prefix;

/// <summary>lenet layer 2: Conv2D 16@5x5 valid relu [14,14,6] -> [10,10,16].</summary>
[Network(Input = "14x14x6")]
[Conv2D(16, 5, Activation = Activation.Relu)]
public sealed partial class LeNetConv2;

/// <summary><see cref="LeNetConv2"/> behind a 1x1 prefix.</summary>
[Network(Input = "14x14x1")]
[Conv2D(6, 1)]
[Conv2D(16, 5, Activation = Activation.Relu)]
public sealed partial class LeNetConv2Chained;

/// <summary>Prefix of <see cref="LeNetConv2Chained"/>.</summary>
[Network(Input = "14x14x1")]
[Conv2D(6, 1)]
public sealed partial class LeNetConv2Prefix;

/// <summary>lenet layer 3: MaxPool2D 2 [10,10,16] -> [5,5,16].</summary>
[Network(Input = "10x10x16")]
[MaxPool2D(2)]
public sealed partial class LeNetPool2;

/// <summary><see cref="LeNetPool2"/> behind a 1x1 prefix.</summary>
[Network(Input = "10x10x1")]
[Conv2D(16, 1)]
[MaxPool2D(2)]
public sealed partial class LeNetPool2Chained;

/// <summary>Prefix of <see cref="LeNetPool2Chained"/>.</summary>
[Network(Input = "10x10x1")]
[Conv2D(16, 1)]
public sealed partial class LeNetPool2Prefix;

/// <summary>lenet layer 5: Dense 120 relu [400] -> [120].</summary>
[Network(Input = "5x5x16")]
[Flatten]
[Dense(120, Activation = Activation.Relu)]
public sealed partial class LeNetDense1;

/// <summary><see cref="LeNetDense1"/> behind a 1x1 prefix.</summary>
[Network(Input = "5x5x1")]
[Conv2D(16, 1)]
[Flatten]
[Dense(120, Activation = Activation.Relu)]
public sealed partial class LeNetDense1Chained;

/// <summary>Prefix of <see cref="LeNetDense1Chained"/>.</summary>
[Network(Input = "5x5x1")]
[Conv2D(16, 1)]
public sealed partial class LeNetDense1Prefix;

/// <summary>lenet layer 6: Dense 84 relu [120] -> [84].</summary>
[Network(Input = "120x1x1")]
[Flatten]
[Dense(84, Activation = Activation.Relu)]
public sealed partial class LeNetDense2;

/// <summary><see cref="LeNetDense2"/> behind a 1x1 prefix.</summary>
[Network(Input = "120x1x1")]
[Conv2D(1, 1)]
[Flatten]
[Dense(84, Activation = Activation.Relu)]
public sealed partial class LeNetDense2Chained;

/// <summary>Prefix of <see cref="LeNetDense2Chained"/>.</summary>
[Network(Input = "120x1x1")]
[Conv2D(1, 1)]
public sealed partial class LeNetDense2Prefix;

/// <summary>lenet layer 7: Dense 10 [84] -> [10].</summary>
[Network(Input = "84x1x1")]
[Flatten]
[Dense(10)]
public sealed partial class LeNetDense3;

/// <summary><see cref="LeNetDense3"/> behind a 1x1 prefix.</summary>
[Network(Input = "84x1x1")]
[Conv2D(1, 1)]
[Flatten]
[Dense(10)]
public sealed partial class LeNetDense3Chained;

/// <summary>Prefix of <see cref="LeNetDense3Chained"/>.</summary>
[Network(Input = "84x1x1")]
[Conv2D(1, 1)]
public sealed partial class LeNetDense3Prefix;

// ---- fashion: 28x28x1 -> conv 32@5x5 same -> pool -> conv 64@5x5 same -> pool -> dense 1024 -> dropout -> dense 10 ----

/// <summary>fashion layer 0: Conv2D 32@5x5 same relu [28,28,1] -> [28,28,32] (first layer).</summary>
[Network(Input = "28x28x1")]
[Conv2D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class FashionConv1;

/// <summary>fashion layer 1: MaxPool2D 2 [28,28,32] -> [14,14,32].</summary>
[Network(Input = "28x28x32")]
[MaxPool2D(2)]
public sealed partial class FashionPool1;

/// <summary><see cref="FashionPool1"/> behind a 1x1 prefix.</summary>
[Network(Input = "28x28x1")]
[Conv2D(32, 1)]
[MaxPool2D(2)]
public sealed partial class FashionPool1Chained;

/// <summary>Prefix of <see cref="FashionPool1Chained"/>.</summary>
[Network(Input = "28x28x1")]
[Conv2D(32, 1)]
public sealed partial class FashionPool1Prefix;

/// <summary>fashion layer 2: Conv2D 64@5x5 same relu [14,14,32] -> [14,14,64].</summary>
[Network(Input = "14x14x32")]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class FashionConv2;

/// <summary><see cref="FashionConv2"/> behind a 1x1 prefix.</summary>
[Network(Input = "14x14x1")]
[Conv2D(32, 1)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu)]
public sealed partial class FashionConv2Chained;

/// <summary>Prefix of <see cref="FashionConv2Chained"/>.</summary>
[Network(Input = "14x14x1")]
[Conv2D(32, 1)]
public sealed partial class FashionConv2Prefix;

/// <summary>fashion layer 3: MaxPool2D 2 [14,14,64] -> [7,7,64].</summary>
[Network(Input = "14x14x64")]
[MaxPool2D(2)]
public sealed partial class FashionPool2;

/// <summary><see cref="FashionPool2"/> behind a 1x1 prefix.</summary>
[Network(Input = "14x14x1")]
[Conv2D(64, 1)]
[MaxPool2D(2)]
public sealed partial class FashionPool2Chained;

/// <summary>Prefix of <see cref="FashionPool2Chained"/>.</summary>
[Network(Input = "14x14x1")]
[Conv2D(64, 1)]
public sealed partial class FashionPool2Prefix;

/// <summary>fashion layer 5: Dense 1024 relu [3136] -> [1024].</summary>
[Network(Input = "7x7x64")]
[Flatten]
[Dense(1024, Activation = Activation.Relu)]
public sealed partial class FashionDense1;

/// <summary><see cref="FashionDense1"/> behind a 1x1 prefix.</summary>
[Network(Input = "7x7x1")]
[Conv2D(64, 1)]
[Flatten]
[Dense(1024, Activation = Activation.Relu)]
public sealed partial class FashionDense1Chained;

/// <summary>Prefix of <see cref="FashionDense1Chained"/>.</summary>
[Network(Input = "7x7x1")]
[Conv2D(64, 1)]
public sealed partial class FashionDense1Prefix;

/// <summary>fashion layer 7: Dense 10 [1024] -> [10] (after the dropout layer 6).</summary>
[Network(Input = "1024x1x1")]
[Flatten]
[Dense(10)]
public sealed partial class FashionDense2;

/// <summary><see cref="FashionDense2"/> behind a 1x1 prefix.</summary>
[Network(Input = "1024x1x1")]
[Conv2D(1, 1)]
[Flatten]
[Dense(10)]
public sealed partial class FashionDense2Chained;

/// <summary>Prefix of <see cref="FashionDense2Chained"/>.</summary>
[Network(Input = "1024x1x1")]
[Conv2D(1, 1)]
public sealed partial class FashionDense2Prefix;
