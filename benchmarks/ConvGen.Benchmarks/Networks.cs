using ConvGen;

namespace ConvGen.Benchmarks;

/// <summary>`seed`: the lecture's model, 80x80x3 to 8 classes.</summary>
[Network(Input = "80x80x3")]
[Conv2D(8, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
[Dense(8)]
public sealed partial class SeedNet;

/// <summary>`lenet`: LeNet-5 style on 28x28x1.</summary>
[Network(Input = "28x28x1")]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation = Activation.Relu)]
[Dense(84, Activation = Activation.Relu)]
[Dense(10)]
public sealed partial class LeNet;

/// <summary>`fashion`: the TensorFlow tutorial's two-convolution Fashion-MNIST network.</summary>
[Network(Input = "28x28x1")]
[Conv2D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(1024, Activation = Activation.Relu)]
[Dropout(0.4)]
[Dense(10)]
public sealed partial class FashionNet;
