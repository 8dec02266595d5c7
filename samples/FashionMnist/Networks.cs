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

/// <summary>
/// <see cref="BriefNet"/> narrowed for the same three-epoch schedule on slower cores: 12 and 24
/// filters, 64 units (668k multiply-adds a picture against brief's 1.09M). On two AVX2 cores it
/// trains an epoch in about 2.3 s against brief's 2.9 s, and like brief it reaches 0.91 with some
/// seeds and not others (see README.md).
/// </summary>
[Network(Input = "28x28x1")]
[Conv2D(12, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(24, 3, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(64, Activation = Activation.Relu)]
[Dense(10, Activation = Activation.Softmax)]
public sealed partial class LeanNet;
