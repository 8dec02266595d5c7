using ConvGen;

namespace FashionMnist;

/// <summary>The TensorFlow tutorial's network (published at 0.916 test accuracy).</summary>
[Network(Input = "28x28x1")]
[Conv2D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(1024, Activation = Activation.Relu)]
[Dropout(0.4)]
[Dense(10, Activation = Activation.Softmax)]
public sealed partial class TutorialNet;

/// <summary>A network under 100k parameters.</summary>
[Network(Input = "28x28x1")]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(32, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(48, Activation = Activation.Relu)]
[Dropout(0.25)]
[Dense(10, Activation = Activation.Softmax)]
public sealed partial class SmallNet;

/// <summary>
/// <see cref="SmallNet"/> without the dropout, for short schedules: in three epochs dropout's
/// regularisation costs more accuracy than it saves (no time to overfit).
/// </summary>
[Network(Input = "28x28x1")]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(32, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(48, Activation = Activation.Relu)]
[Dense(10, Activation = Activation.Softmax)]
public sealed partial class BriefNet;
