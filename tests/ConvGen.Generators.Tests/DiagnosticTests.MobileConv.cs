using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// DepthwiseConv2D, SeparableConv2D and ZeroPadding2D reuse the window, size and padding diagnostics.
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Depthwise_window_larger_than_its_input() => VerifyAsync(Usings + """
        [Network(Input = "3x3x2")]
        [{|#0:DepthwiseConv2D(5)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.WindowLargerThanInputId, 0,
            "layer 0 DepthwiseConv2D 'depthwise_conv2d' (5x5, valid) cannot slide over its 3x3x2 input: the output would be 0x0x2; use Padding.Same or a smaller kernel"));

    [Fact]
    public Task Depthwise_multiplier_not_positive() => VerifyAsync(Usings + """
        [Network(Input = "8x8x2")]
        [{|#0:DepthwiseConv2D(3, DepthMultiplier = 0)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 DepthwiseConv2D 'depthwise_conv2d': depth multiplier is 0, but it must be a positive integer"));

    [Fact]
    public Task Separable_multiplier_and_filters_not_positive() => VerifyAsync(Usings + """
        [Network(Input = "8x8x2")]
        [{|#0:SeparableConv2D(0, 3, DepthMultiplier = -1, Name = "sep")|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 SeparableConv2D 'sep': filters is 0, but it must be a positive integer"),
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 SeparableConv2D 'sep': depth multiplier is -1, but it must be a positive integer"));

    [Fact]
    public Task Separable_window_larger_than_its_input() => VerifyAsync(Usings + """
        [Network(Input = "4x2x3")]
        [{|#0:SeparableConv2D(8, 3)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.WindowLargerThanInputId, 0,
            "layer 0 SeparableConv2D 'separable_conv2d' (3x3, valid) cannot slide over its 4x2x3 input: the output would be 2x0x3; use Padding.Same or a smaller kernel"));

    [Fact]
    public Task Zero_padding_with_a_negative_side() => VerifyAsync(Usings + """
        [Network(Input = "8x8x2")]
        [{|#0:ZeroPadding2D(1, -1, 0, 2)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.InvalidExplicitPaddingId, 0,
            "layer 0 ZeroPadding2D 'zero_padding2d': padding (top 1, bottom -1, left 0, right 2) has a negative side; padding counts rows and columns of zeros, 0 or more (to cut the input, use a valid-padded window instead)"));

    [Fact]
    public Task Zero_padding_of_a_flat_input() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [{|#0:ZeroPadding2D(1)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.SpatialLayerOnFlatInputId, 0,
            "layer 1 ZeroPadding2D 'zero_padding2d' needs an HxWxC input, but receives the flat vector [16] produced by layer 0 Flatten 'flatten'; move it before the Flatten / Dense / global pooling layer"));

    // The text form takes ZeroPadding2D's three forms (1, 2 or 4 numbers), not three numbers.
    [Fact]
    public Task Text_zero_padding_with_three_numbers() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x2
            {|#0:zeropad|} 1 2 3
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 2, column 1: zeropad takes 1, 2 or 4 numbers but 3 were given; write zeropad ALL, zeropad VERTICAL HORIZONTAL or zeropad TOP BOTTOM LEFT RIGHT, e.g. 'zeropad 1' or 'zeropad 0 1 0 1'"));

    [Fact]
    public Task Text_depth_multiplier_not_a_number() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x2
            dwconv 3 multiplier={|#0:two|}
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 2, column 21: 'two' is not a whole number (depth multiplier)"));
}
