using ConvGen;

namespace TransferLearning;

/// <summary>The pretrained backbone alone: 224x224 BGR image minus the mean image -> 512 features.</summary>
[Network(ResNet18Layers.Text)]
public sealed partial class ResNet18Features;

/// <summary>The new head, trained on cached features while the backbone is frozen: 512 -> classes.</summary>
[Network(Input = "1x1x512")]
[Flatten(Name = "flatten")]
[Dense(HeadClasses.Count, Activation = Activation.Softmax, Name = "head")]
public sealed partial class FeatureHead;

/// <summary>
/// Backbone and head in one network, for fine-tuning the last stage: its layers and tensors carry
/// the same names as in <see cref="ResNet18Features"/> and <see cref="FeatureHead"/>, so weights
/// move between them by name.
/// </summary>
[Network(ResNet18Layers.Text + "\nflatten name=flatten\ndense " + HeadClasses.Text + " softmax name=head")]
public sealed partial class ResNet18Classifier;

/// <summary>
/// The comparison: a small CNN of the kind one would train from scratch on the same 224x224
/// pictures (about 30 k parameters, 0.08 GFLOP per picture against ResNet-18's 1.8).
/// </summary>
[Network(Input = "224x224x3")]
[Conv2D(16, 5, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]   // [112,112,16]
[MaxPool2D(2)]                                                                        // [56,56,16]
[Conv2D(32, 3, Activation = Activation.Relu)]                                       // [54,54,32]
[MaxPool2D(2)]                                                                        // [27,27,32]
[Conv2D(64, 3, Activation = Activation.Relu)]                                       // [25,25,64]
[GlobalAvgPool2D]                                                                     // [64]
[Dropout(0.3)]
[Dense(HeadClasses.Count, Activation = Activation.Softmax)]
public sealed partial class ScratchNet;
