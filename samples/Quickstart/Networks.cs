using ConvGen;

namespace Quickstart;

/// <summary>The lecture's Keras model for 80x80 RGB pictures and 8 classes.</summary>
[Network(Input = "80x80x3")]
[Conv2D(8, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
[Dense(8, Activation = Activation.Softmax)]
public sealed partial class LectureNet;

/// <summary>The same model with dropout before the last layer: the lecture's first fix for overfitting.</summary>
[Network(Input = "80x80x3")]
[Conv2D(8, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
[Dropout(0.5)]
[Dense(8, Activation = Activation.Softmax)]
public sealed partial class LectureDropoutNet;
