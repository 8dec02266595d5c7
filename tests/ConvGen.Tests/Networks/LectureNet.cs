using ConvGen;

namespace ConvGen.Tests.Networks;

/// <summary>The lecture's Keras model for 80x80x3 images and 8 classes.</summary>
[Network(Input = "80x80x3")]
[Conv2D(8, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
[Dropout(0.5)]
[Dense(8, Activation = Activation.Softmax)]
public sealed partial class LectureNet;

/// <summary>The same network in the text form.</summary>
[Network("""
    input 80x80x3
    conv2d 8 3 relu
    maxpool2d 2
    conv2d 16 3 relu
    maxpool2d 2
    flatten
    dense 64 relu
    dropout 0.5
    dense 8 softmax
    """)]
public sealed partial class LectureNetText;
