using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// Activations in the wrong place, and networks training cannot change.
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Softmax_on_a_hidden_layer() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [{|#0:Dense(16, Activation = Activation.Softmax)|}]
        [Dense(2)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.SoftmaxNotLastId, 0,
            "layer 1 Dense 'dense' applies softmax, but 1 layer follows it (layer 2 Dense 'dense_1'); softmax turns the output into class probabilities and belongs on the last layer only: use Activation = Activation.Relu here, or move the following layers before it"));

    // Dropout after the output layer is just as wrong: it zeroes probabilities.
    [Fact]
    public Task Softmax_followed_by_dropout() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [{|#0:Dense(4, Activation = Activation.Softmax, Name = "head")|}]
        [Dropout(0.5)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.SoftmaxNotLastId, 0,
            "layer 1 Dense 'head' applies softmax, but 1 layer follows it (layer 2 Dropout 'dropout'); softmax turns the output into class probabilities and belongs on the last layer only: use Activation = Activation.Relu here, or move the following layers before it"));

    [Fact]
    public Task Softmax_activation_layer_in_the_middle_of_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 4x4x1
            conv2d 2 3
            {|#0:softmax|}
            flatten
            dense 2
            dense 2
            dense 2
            """)]
        public sealed partial class TextNet;
        """",
        Warning(DiagnosticDescriptors.SoftmaxNotLastId, 0,
            "layer 1 Activation 'activation' applies softmax, but 4 layers follow it (layer 2 Flatten 'flatten', layer 3 Dense 'dense', layer 4 Dense 'dense_1', ...); softmax turns the output into class probabilities and belongs on the last layer only: remove this layer, or move it to the end"));

    [Fact]
    public Task Relu_after_a_layer_that_already_applies_relu() => VerifyAsync(Usings + """
        [Network(Input = "6x6x1")]
        [Conv2D(4, 3, Activation = Activation.Relu)]
        [{|#0:Activation(Activation.Relu)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 1 Activation 'activation' applies relu to the output of layer 0 Conv2D 'conv2d', which already applies relu: relu(relu(x)) = relu(x), so this layer does nothing; remove it"));

    [Fact]
    public Task Sigmoid_twice() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(3, Activation = Activation.Sigmoid)]
        [{|#0:Activation(Activation.Sigmoid, Name = "squash")|}]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 2 Activation 'squash' applies sigmoid to the output of layer 1 Dense 'dense', which already applies sigmoid: the second sigmoid squeezes (0, 1) into (0.5, 0.73); remove one of them"));

    // Dropout keeps signs, so it does not separate the two.
    [Fact]
    public Task Relu_after_sigmoid_and_dropout_does_nothing() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(3, Activation = Activation.Sigmoid)]
        [Dropout(0.2)]
        [{|#0:Activation(Activation.Relu)|}]
        [Dense(2)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 3 Activation 'activation' applies relu to the output of layer 1 Dense 'dense', which already applies sigmoid: sigmoid never outputs a negative value, so relu does nothing; remove it"));

    [Fact]
    public Task Relu_after_relu6_does_nothing() => VerifyAsync(Usings + """
        [Network(Input = "6x6x1")]
        [Conv2D(4, 3, Activation = Activation.Relu6)]
        [{|#0:Activation(Activation.Relu)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 1 Activation 'activation' applies relu to the output of layer 0 Conv2D 'conv2d', which already applies relu6: relu6 never outputs a negative value, so relu does nothing; remove it"));

    [Fact]
    public Task Relu6_after_hard_sigmoid_does_nothing() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(3, Activation = Activation.HardSigmoid)]
        [{|#0:Activation(Activation.Relu6)|}]
        [Dense(2)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 2 Activation 'activation' applies relu6 to the output of layer 1 Dense 'dense', which already applies hard_sigmoid: hard_sigmoid outputs values in [0, 1], so relu6 does nothing; remove it"));

    [Fact]
    public Task Relu6_twice() => VerifyAsync(Usings + """
        [Network(Input = "6x6x1")]
        [Conv2D(4, 3, Activation = Activation.Relu6)]
        [{|#0:Activation(Activation.Relu6)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 1 Activation 'activation' applies relu6 to the output of layer 0 Conv2D 'conv2d', which already applies relu6: relu6(relu6(x)) = relu6(x), so this layer does nothing; remove it"));

    [Fact]
    public Task Linear_activation_layer() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(3)]
        [{|#0:Activation(Activation.Linear)|}]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 2 Activation 'activation' applies linear, the identity, so it does nothing; remove it"));

    // The repeated softmax is one mistake: reported once, as the repetition, not also as "softmax not last".
    [Fact]
    public Task Softmax_twice_is_reported_once() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(3, Activation = Activation.Softmax)]
        [{|#0:Activation(Activation.Softmax)|}]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 2 Activation 'activation' applies softmax to the output of layer 1 Dense 'dense', which already applies softmax: a softmax of probabilities pushes them toward uniform; remove one of them"));

    // Removing the relu also leaves the softmax last, so the relu is the one mistake reported.
    [Fact]
    public Task Relu_after_a_softmax_output_is_reported_once() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(3, Activation = Activation.Softmax)]
        [{|#0:Activation(Activation.Relu)|}]
        public sealed partial class Net;
        """,
        Warning(DiagnosticDescriptors.RedundantActivationId, 0,
            "layer 2 Activation 'activation' applies relu to the output of layer 1 Dense 'dense', which already applies softmax: softmax never outputs a negative value, so relu does nothing; remove it"));

    // Different functions in a row are a legitimate choice (the gradient-check networks use sigmoid then tanh).
    [Fact]
    public Task Different_activations_in_a_row_are_fine() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Conv2D(2, 3, Activation = Activation.Sigmoid)]
        [Activation(Activation.Tanh)]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """);

    [Fact]
    public Task Network_without_trainable_parameters() => VerifyAsync(Usings + """
        [{|#0:Network(Input = "4x4x1")|}]
        [MaxPool2D(2)]
        [Flatten]
        public sealed partial class PoolOnlyNet;
        """,
        Warning(DiagnosticDescriptors.NoTrainableParametersId, 0,
            "Network 'PoolOnlyNet' has no trainable parameters: its layers (MaxPool2D, Flatten) only reshape, pool, drop out or activate values, so training cannot change its output; add a Conv2D or Dense layer"));
}
