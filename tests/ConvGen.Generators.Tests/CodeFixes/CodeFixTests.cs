using System.Threading.Tasks;
using ConvGen.CodeFixes.Fixes;

namespace ConvGen.Generators.Tests.CodeFixes;

/// <summary>
/// Each fix on the generator's own diagnostics, in the attribute form and in the text form (raw
/// and escaped string literals), with the fixed code checked to be free of the diagnostic.
/// </summary>
public sealed class CodeFixTests
{
    private const string Usings = "using ConvGen;\n\nnamespace Samples;\n\n";

    // ---- CG0102: insert Flatten ----

    [Fact]
    public Task Flatten_is_inserted_on_its_own_line_before_the_dense_attribute() => CodeFixTest<InsertFlattenCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3)]
        [{|CG0102:Dense(10)|}]
        public sealed partial class Net;
        """, Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3)]
        [Flatten]
        [Dense(10)]
        public sealed partial class Net;
        """);

    [Fact]
    public Task Flatten_is_inserted_into_a_shared_attribute_list_and_qualified_like_dense() => CodeFixTest<InsertFlattenCodeFix>.VerifyAsync("""
        namespace Samples
        {
            [ConvGen.Network(Input = "8x8x1")]
            [ConvGen.Conv2D(4, 3), {|CG0102:ConvGen.Dense(10)|}]
            public sealed partial class Net;
        }
        """, """
        namespace Samples
        {
            [ConvGen.Network(Input = "8x8x1")]
            [ConvGen.Conv2D(4, 3), ConvGen.Flatten, ConvGen.Dense(10)]
            public sealed partial class Net;
        }
        """);

    [Fact]
    public Task Flatten_line_is_inserted_in_a_raw_string() => CodeFixTest<InsertFlattenCodeFix>.VerifyAsync(Usings + """"
        [Network("""
            input 8x8x1
            conv2d 4 3
            {|CG0102:dense 10 relu|}
            """)]
        public sealed partial class Net;
        """", Usings + """"
        [Network("""
            input 8x8x1
            conv2d 4 3
            flatten
            dense 10 relu
            """)]
        public sealed partial class Net;
        """");

    [Fact]
    public Task Flatten_line_is_inserted_in_an_escaped_string() => CodeFixTest<InsertFlattenCodeFix>.VerifyAsync(Usings + """
        [Network("input 8x8x1\nconv2d 4 3\n{|CG0102:dense 10|}")]
        public sealed partial class Net;
        """, Usings + """
        [Network("input 8x8x1\nconv2d 4 3\nflatten\ndense 10")]
        public sealed partial class Net;
        """);

    // ---- CG0123 / CG0111: leave the option out ----

    [Fact]
    public Task Epsilon_that_is_not_positive_is_left_out() => CodeFixTest<LeaveOptionOutCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(8, 3, Padding = Padding.Same)]
        [GroupNormalization(4, Center = false)]
        [{|CG0123:LayerNormalization(Epsilon = 0)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """, Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(8, 3, Padding = Padding.Same)]
        [GroupNormalization(4, Center = false)]
        [LayerNormalization]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """);

    [Fact]
    public Task Epsilon_of_a_group_normalization_is_left_out_with_the_other_options_kept() => CodeFixTest<LeaveOptionOutCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "8x8x8")]
        [{|CG0123:GroupNormalization(4, Epsilon = -1e-3, Center = false)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """, Usings + """
        [Network(Input = "8x8x8")]
        [GroupNormalization(4, Center = false)]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """);

    [Fact]
    public Task Epsilon_option_is_removed_from_a_text_line() => CodeFixTest<LeaveOptionOutCodeFix>.VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            conv2d 8 3 same
            {|CG0123:groupnorm 4 eps=0 name=norm|}
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class NormNet;
        """", Usings + """"
        [Network("""
            input 8x8x3
            conv2d 8 3 same
            groupnorm 4 name=norm
            globalavgpool2d
            dense 2
            """)]
        public sealed partial class NormNet;
        """");

    [Fact]
    public Task Output_padding_not_below_the_stride_is_left_out() => CodeFixTest<LeaveOptionOutCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "8x8x4")]
        [Conv2DTranspose(4, 3, Stride = 2, {|CG0111:OutputPadding = 2|}, Padding = Padding.Same)]
        public sealed partial class UpNet;
        """, Usings + """
        [Network(Input = "8x8x4")]
        [Conv2DTranspose(4, 3, Stride = 2, Padding = Padding.Same)]
        public sealed partial class UpNet;
        """);

    [Fact]
    public Task Output_padding_option_is_removed_from_an_escaped_text_line() => CodeFixTest<LeaveOptionOutCodeFix>.VerifyAsync(Usings + """
        [Network("input 8x8x4\n{|CG0111:conv2dtranspose 4 3 stride=2 output_padding=3 same|}")]
        public sealed partial class UpNet;
        """, Usings + """
        [Network("input 8x8x4\nconv2dtranspose 4 3 stride=2 same")]
        public sealed partial class UpNet;
        """);

    // ---- CG0101 / CG0104 / CG0105: same padding ----

    [Fact]
    public Task Same_padding_is_added_when_the_kernel_does_not_fit() => CodeFixTest<UseSamePaddingCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "16x16x3")]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [MaxPool2D(2)]
        [{|CG0101:Conv2D(32, 5, Activation = Activation.Relu)|}]
        [Flatten]
        [Dense(10)]
        public sealed partial class DeepNet;
        """, Usings + """
        [Network(Input = "16x16x3")]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [MaxPool2D(2)]
        [Conv2D(32, 5, Activation = Activation.Relu, Padding = Padding.Same)]
        [Flatten]
        [Dense(10)]
        public sealed partial class DeepNet;
        """);

    [Fact]
    public Task Valid_padding_is_switched_to_same() => CodeFixTest<UseSamePaddingCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "2x2x1")]
        [{|CG0101:MaxPool2D(3, Padding = Padding.Valid)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class PoolNet;
        """, Usings + """
        [Network(Input = "2x2x1")]
        [MaxPool2D(3, Padding = Padding.Same)]
        [Flatten]
        [Dense(2)]
        public sealed partial class PoolNet;
        """);

    [Fact]
    public Task Same_padding_fixes_a_stride_that_skips_the_edge() => CodeFixTest<UseSamePaddingCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|CG0104:Conv2D(4, 3, Stride = 2)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class StridedNet;
        """, Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3, Stride = 2, Padding = Padding.Same)]
        [Flatten]
        [Dense(2)]
        public sealed partial class StridedNet;
        """);

    [Fact]
    public Task Same_padding_in_the_text_form_replaces_valid() => CodeFixTest<UseSamePaddingCodeFix>.VerifyAsync(Usings + """"
        [Network("""
            input 4x4x16
            {|CG0101:conv2d 32 5 valid relu|}
            flatten
            dense 10
            """)]
        public sealed partial class Net;
        """", Usings + """"
        [Network("""
            input 4x4x16
            conv2d 32 5 same relu
            flatten
            dense 10
            """)]
        public sealed partial class Net;
        """");

    [Fact]
    public Task Same_padding_in_the_text_form_is_appended() => CodeFixTest<UseSamePaddingCodeFix>.VerifyAsync(Usings + """
        [Network("input 7x7x1\nconv2d 4 3\n{|CG0105:maxpool2d 2|}  # pool\nflatten\ndense 2")]
        public sealed partial class Net;
        """, Usings + """
        [Network("input 7x7x1\nconv2d 4 3\nmaxpool2d 2 padding=same  # pool\nflatten\ndense 2")]
        public sealed partial class Net;
        """);

    // ---- CG0106 / CG0202: remove the layer ----

    [Fact]
    public Task Redundant_activation_attribute_is_removed() => CodeFixTest<RemoveLayerCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "6x6x1")]
        [Conv2D(4, 3, Activation = Activation.Relu)]
        [{|CG0202:Activation(Activation.Relu)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """, Usings + """
        [Network(Input = "6x6x1")]
        [Conv2D(4, 3, Activation = Activation.Relu)]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """);

    [Fact]
    public Task Second_flatten_is_removed_from_a_shared_list() => CodeFixTest<RemoveLayerCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten, Dense(8), {|CG0106:Flatten|}, Dense(2)]
        public sealed partial class Net;
        """, Usings + """
        [Network(Input = "4x4x1")]
        [Flatten, Dense(8), Dense(2)]
        public sealed partial class Net;
        """);

    [Fact]
    public Task Redundant_activation_line_is_removed_from_a_raw_string() => CodeFixTest<RemoveLayerCodeFix>.VerifyAsync(Usings + """"
        [Network("""
            input 6x6x1
            conv2d 4 3 relu
            {|CG0202:relu|}   # again
            flatten
            dense 2
            """)]
        public sealed partial class Net;
        """", Usings + """"
        [Network("""
            input 6x6x1
            conv2d 4 3 relu
            flatten
            dense 2
            """)]
        public sealed partial class Net;
        """");

    // ---- CG0001 / CG0012: partial ----

    [Fact]
    public Task Network_class_is_made_partial() => CodeFixTest<MakePartialCodeFix>.VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public sealed class {|CG0001:Net|};
        """, Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """);

    [Fact]
    public Task Containing_classes_are_made_partial() => CodeFixTest<MakePartialCodeFix>.VerifyAsync(Usings + """
        public static class Models
        {
            internal class Vision
            {
                [Network(Input = "4x4x1")]
                [Flatten]
                [Dense(2)]
                public sealed partial class {|CG0012:Net|};
            }
        }
        """, Usings + """
        public static partial class Models
        {
            internal partial class Vision
            {
                [Network(Input = "4x4x1")]
                [Flatten]
                [Dense(2)]
                public sealed partial class Net;
            }
        }
        """);
}
