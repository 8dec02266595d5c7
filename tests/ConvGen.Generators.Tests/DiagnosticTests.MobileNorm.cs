using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// Squeeze-and-excitation's layers: Multiply, Reshape, GlobalPool KeepDims, Dense on a map.
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Multiply_of_a_vector_and_a_map_advises_keeping_rank() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "features")]
        [GlobalAvgPool2D]
        [Dense(4, Activation = Activation.Sigmoid, Name = "gate")]
        [{|#0:Multiply("features", "gate")|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class SeNet;
        """,
        Error(DiagnosticDescriptors.MultiplyShapeMismatchId, 0,
            "layer 3 Multiply 'multiply' multiplies 'features' (8x8x4) and 'gate' (4), but Multiply needs equal shapes or a 1x1xC factor of an HxWxC map with the same C; give the vector rank 3 with [Reshape(1, 1, 4)] or GlobalAvgPool2D(KeepDims = true)"));

    [Fact]
    public Task Multiply_with_a_gate_of_other_channels() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "features")]
        [GlobalAvgPool2D(KeepDims = true)]
        [Dense(3, Activation = Activation.Sigmoid, Name = "gate")]
        [{|#0:Multiply("gate", "features")|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class SeNet;
        """,
        Error(DiagnosticDescriptors.MultiplyShapeMismatchId, 0,
            "layer 3 Multiply 'multiply' multiplies 'gate' (1x1x3) and 'features' (8x8x4), but Multiply needs equal shapes or a 1x1xC factor of an HxWxC map with the same C; make the channel counts equal, e.g. end the gate branch with a layer of 4 units or filters"));

    [Fact]
    public Task Multiply_of_two_maps_of_different_sizes_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            conv2d 4 3 same name=big
            conv2d 4 3 stride=2 same name=small
            {|#0:multiply big small|}
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class SeNet;
        """",
        Error(DiagnosticDescriptors.MultiplyShapeMismatchId, 0,
            "layer 2 Multiply 'multiply' multiplies 'big' (8x8x4) and 'small' (4x4x4), but Multiply needs equal shapes or a 1x1xC factor of an HxWxC map with the same C; pool one of them to 1x1 (GlobalAvgPool2D with KeepDims) or bring both to the same size"));

    [Fact]
    public Task Reshape_to_another_number_of_values() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same)]
        [GlobalAvgPool2D]
        [{|#0:Reshape(1, 1, 5)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class SeNet;
        """,
        Error(DiagnosticDescriptors.ReshapeCountMismatchId, 0,
            "layer 2 Reshape 'reshape' reshapes 4 (4 values) to 1x1x5 (5 values); the target must hold as many values as the input, e.g. Reshape(1, 1, 4) or Reshape(4)"));

    [Fact]
    public Task Reshape_with_a_zero_dimension_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 4x4x1
            {|#0:reshape 0x4x4|}
            flatten
            dense 2
            """)]
        public sealed partial class SeNet;
        """",
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0,
            "layer 0 Reshape 'reshape': target height is 0, but it must be a positive integer"));

    // Dense keeps a 1x1 map a map (Keras applies it on the last axis); the whole SE block compiles without a diagnostic.
    [Fact]
    public Task Squeeze_and_excitation_block_is_clean() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "features")]
        [GlobalAvgPool2D(KeepDims = true)]
        [Dense(2, Activation = Activation.Relu)]
        [Dense(4, Activation = Activation.HardSigmoid, Name = "gate")]
        [Multiply("features", "gate")]
        [GlobalMaxPool2D(KeepDims = true)]
        [Reshape(4)]
        [Dense(2)]
        public sealed partial class SeNet;
        """);

    [Fact]
    public Task GroupNormalization_with_groups_that_do_not_divide_the_channels() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(12, 3, Padding = Padding.Same)]
        [{|#0:GroupNormalization(5)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """,
        Error(DiagnosticDescriptors.GroupsDoNotDivideChannelsId, 0,
            "layer 1 GroupNormalization 'group_normalization' splits 12 channels into 5 groups, but 5 does not divide 12; use a divisor of 12, e.g. 4"));

    [Fact]
    public Task GroupNormalization_with_zero_groups_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 4x4x2
            conv2d 4 3 same
            {|#0:groupnorm 0|}
            flatten
            dense 2
            """)]
        public sealed partial class NormNet;
        """",
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0,
            "layer 1 GroupNormalization 'group_normalization': groups is 0, but it must be a positive integer"));

    [Fact]
    public Task LayerNormalization_with_a_zero_epsilon() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same)]
        [{|#0:LayerNormalization(Epsilon = 1e-50)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """,
        Error(DiagnosticDescriptors.NormalizationEpsilonNotPositiveId, 0,
            "layer 1 LayerNormalization 'layer_normalization': Epsilon is 1E-50, but it must be a small positive number that keeps the division defined when a group is constant, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)"));
}
