using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// Networks as graphs: Input routing, Add, explicit padding and BatchNorm options.
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Input_naming_no_layer_lists_the_earlier_names() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "stem")]
        [{|#0:Conv2D(4, 3, Padding = Padding.Same, Input = "stme")|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class RoutedNet;
        """,
        Error(DiagnosticDescriptors.UnknownInputLayerId, 0,
            "layer 1 Conv2D 'conv2d' reads 'stme', but no layer has that name (layers before it: 'stem', and 'input' for the network input); a layer can only read the output of a layer declared before it"));

    [Fact]
    public Task Input_naming_a_later_layer() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "stem")]
        [{|#0:Add("stem", "tail")|}]
        [Conv2D(4, 1, Name = "tail")]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class RoutedNet;
        """,
        Error(DiagnosticDescriptors.UnknownInputLayerId, 0,
            "layer 1 Add 'add' reads 'tail', but 'tail' is layer 2, declared after this one; a layer can only read the output of a layer declared before it"));

    [Fact]
    public Task Input_on_an_Add_is_refused_not_a_crash() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "stem")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "block")]
        [{|#0:Add("block", "stem", Input = "stem")|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class RoutedNet;
        """,
        Error(DiagnosticDescriptors.UnknownInputLayerId, 0,
            "layer 2 Add 'add' reads 'stem', but Add reads exactly the two layers named in its arguments ('block' and 'stem') and takes no Input; a layer can only read the output of a layer declared before it"));

    [Fact]
    public Task Input_naming_the_layer_itself() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "stem")]
        [{|#0:Conv2D(4, 3, Padding = Padding.Same, Input = "loop", Name = "loop")|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class RoutedNet;
        """,
        Error(DiagnosticDescriptors.UnknownInputLayerId, 0,
            "layer 1 Conv2D 'loop' reads 'loop', but that is this layer itself; a layer can only read the output of a layer declared before it"));

    [Fact]
    public Task Add_of_different_channel_counts_advises_a_projection() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "stem")]
        [Conv2D(8, 3, Padding = Padding.Same, Name = "wide")]
        [{|#0:Add("wide", "stem")|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class RoutedNet;
        """,
        Error(DiagnosticDescriptors.AddShapeMismatchId, 0,
            "layer 2 Add 'add' sums 'wide' (8x8x8) and 'stem' (8x8x4), but Add adds element by element and needs equal shapes; give the shortcut a 1x1 Conv2D with the block's filter count (a projection shortcut)"));

    [Fact]
    public Task Add_of_different_sizes_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            conv2d 4 3 same name=stem
            conv2d 4 3 stride=2 same name=down
            {|#0:add down stem relu|}
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class RoutedNet;
        """",
        Error(DiagnosticDescriptors.AddShapeMismatchId, 0,
            "layer 2 Add 'add' sums 'down' (4x4x4) and 'stem' (8x8x4), but Add adds element by element and needs equal shapes; downsample the shortcut by the same stride, e.g. a 1x1 Conv2D or a pooling layer with that stride"));

    [Fact]
    public Task Layer_nobody_reads() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "stem")]
        [{|#0:Conv2D(4, 3, Padding = Padding.Same, Name = "lost")|}]
        [Conv2D(4, 3, Padding = Padding.Same, Input = "stem")]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class RoutedNet;
        """,
        Error(DiagnosticDescriptors.UnusedLayerOutputId, 0,
            "layer 1 Conv2D 'lost' computes 8x8x4, but no later layer reads it and it is not the last layer (the network output); read it with Input = \"lost\" or Add, or remove it"));

    [Fact]
    public Task Explicit_padding_with_same_padding() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [{|#0:MaxPool2D(3, Stride = 2, Padding = Padding.Same, PadTop = 1)|}]
        [Conv2D(4, 1)]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class PaddedNet;
        """,
        Error(DiagnosticDescriptors.InvalidExplicitPaddingId, 0,
            "layer 0 MaxPool2D 'max_pooling2d': explicit padding (PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 0) cannot be combined with Padding.Same; keep one of them"));

    [Fact]
    public Task Explicit_padding_that_is_negative() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [{|#0:Conv2D(4, 3, PadLeft = -1)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class PaddedNet;
        """,
        Error(DiagnosticDescriptors.InvalidExplicitPaddingId, 0,
            "layer 0 Conv2D 'conv2d': explicit padding (PadTop = 0, PadBottom = 0, PadLeft = -1, PadRight = 0) has a negative side; padding counts rows and columns of zeros, 0 or more"));

    [Fact]
    public Task Explicit_padding_as_wide_as_the_window_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            {|#0:avgpool2d 2 pads=0,2,0,0|}
            conv2d 4 1
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class PaddedNet;
        """",
        Error(DiagnosticDescriptors.InvalidExplicitPaddingId, 0,
            "layer 0 AvgPool2D 'average_pooling2d': explicit padding (pads=0,2,0,0) is not smaller than the 2x2 window on every side, so some windows would cover only padding; use at most 1 rows and 1 columns"));

    [Fact]
    public Task BatchNorm_epsilon_must_be_positive() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, UseBias = false)]
        [{|#0:BatchNorm(Epsilon = 0)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """,
        Error(DiagnosticDescriptors.BatchNormOptionOutOfRangeId, 0,
            "layer 1 BatchNorm 'batch_normalization': Epsilon is 0, but it must be a small positive number that keeps the division defined, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)"));

    [Fact]
    public Task BatchNorm_momentum_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            conv2d 4 3 bias=false
            {|#0:batchnorm momentum=-0.1|}
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class NormNet;
        """",
        Error(DiagnosticDescriptors.BatchNormOptionOutOfRangeId, 0,
            "layer 1 BatchNorm 'batch_normalization': Momentum is -0.1, but it must be in [0, 1]: the weight of the old running statistics in each update, e.g. 0.99 (Keras) or 0.9 (PyTorch's 0.1 counted the other way)"));

    [Fact]
    public Task Text_add_needs_two_names() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            conv2d 4 3 same name=stem
            add stem {|#0:relu=1|}
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class RoutedNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 3, column 10: add takes the names of the two layers it sums; write add NAME1 NAME2, e.g. 'add conv2d_3 block1 relu'"));

    // A window that does not fit even with its explicit pads: same padding is not advised, because
    // it cannot be combined with them.
    [Fact]
    public Task Window_larger_than_its_explicitly_padded_input() => VerifyAsync(Usings + """
        [Network(Input = "3x3x1")]
        [{|#0:Conv2D(4, 5, PadTop = 1, PadLeft = 1)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class PaddedNet;
        """,
        Error(DiagnosticDescriptors.WindowLargerThanInputId, 0,
            "layer 0 Conv2D 'conv2d' (5x5, pad 1,0,1,0) cannot slide over its 3x3x1 input: the output would be 0x0x4; use a smaller kernel"));
}
