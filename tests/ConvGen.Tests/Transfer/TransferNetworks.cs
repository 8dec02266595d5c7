namespace ConvGen.Tests.Transfer;

/// <summary>A "pretrained" network: a named backbone and a 4-class head.</summary>
[Network(Input = "12x12x1")]
[Conv2D(8, 3, Activation = Activation.Relu, Name = "stem")]
[MaxPool2D(2, Name = "pool")]
[Conv2D(16, 3, Activation = Activation.Relu, Name = "block")]
[GlobalAvgPool2D(Name = "features")]
[Dense(4, Activation = Activation.Softmax, Name = "old_head")]
public sealed partial class BackboneWithOldHead;

/// <summary>The same backbone with a new head (another name, so not transferred): only the backbone's tensors can transfer.</summary>
[Network(Input = "12x12x1")]
[Conv2D(8, 3, Activation = Activation.Relu, Name = "stem")]
[MaxPool2D(2, Name = "pool")]
[Conv2D(16, 3, Activation = Activation.Relu, Name = "block")]
[GlobalAvgPool2D(Name = "features")]
[Dense(4, Activation = Activation.Softmax, Name = "new_head")]
public sealed partial class BackboneWithNewHead;

/// <summary>The same layer names with a wider second convolution: its tensors must be refused.</summary>
[Network(Input = "12x12x1")]
[Conv2D(8, 3, Activation = Activation.Relu, Name = "stem")]
[MaxPool2D(2, Name = "pool")]
[Conv2D(24, 3, Activation = Activation.Relu, Name = "block")]
[GlobalAvgPool2D(Name = "features")]
[Dense(4, Activation = Activation.Softmax, Name = "new_head")]
public sealed partial class WiderBackbone;
