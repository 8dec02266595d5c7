using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

/// <summary>
/// One test per rule: the diagnostic's ID, its formatted message and its exact span (marked
/// <c>{|#0:...|}</c> in the source), and no other diagnostic. Every source also runs through a
/// plain driver that must record no generator exception.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string Usings = "using ConvGen;\n\nnamespace Samples;\n\n";

    // ---- the class itself ----

    [Fact]
    public Task Class_not_partial() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        public sealed class {|#0:NotPartial|};
        """,
        Error(DiagnosticDescriptors.ClassNotPartialId, 0,
            "Network class 'NotPartial' must be declared partial so ConvGen can add the generated members"));

    [Fact]
    public Task Generic_class() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        public sealed partial class {|#0:GenericNet|}<T>;
        """,
        Error(DiagnosticDescriptors.UnsupportedClassShapeId, 0,
            "Network class 'GenericNet' is generic; a network's shapes must be fixed at compile time, so remove the type parameters"));

    [Fact]
    public Task Static_class() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        public static partial class {|#0:StaticNet|}
        {
        }
        """,
        Error(DiagnosticDescriptors.UnsupportedClassShapeId, 0,
            "Network class 'StaticNet' is static; a network holds its weights, so it must be an instance class"));

    [Fact]
    public Task Class_nested_in_a_class_that_is_not_partial() => VerifyAsync(Usings + """
        public class Outer
        {
            [Network(Input = "4x4x1")]
            [Flatten]
            public sealed partial class {|#0:Inner|};
        }
        """,
        Error(DiagnosticDescriptors.ContainingTypeNotPartialId, 0,
            "Network class 'Inner' is nested in non-partial 'Outer'; add 'partial' to 'Outer' so the generated members can be added inside"));

    [Fact]
    public Task Class_nested_in_two_classes_that_are_not_partial() => VerifyAsync(Usings + """
        public static class Models
        {
            internal class Vision
            {
                [Network(Input = "4x4x1")]
                [Flatten]
                public sealed partial class {|#0:Net|};
            }
        }
        """,
        Error(DiagnosticDescriptors.ContainingTypeNotPartialId, 0,
            "Network class 'Net' is nested in non-partial 'Models' and 'Vision'; add 'partial' to each of them so the generated members can be added inside"));

    [Fact]
    public Task Class_nested_in_a_generic_class() => VerifyAsync(Usings + """
        public partial class Outer<T>
        {
            [Network(Input = "4x4x1")]
            [Flatten]
            public sealed partial class {|#0:Inner|};
        }
        """,
        Error(DiagnosticDescriptors.UnsupportedClassShapeId, 0,
            "Network class 'Inner' is nested in the generic type 'Outer'; move the network out of it"));

    // Each stray attribute is reported where it is, naming exactly what to move.
    [Fact]
    public Task Layer_attributes_on_two_partial_declarations() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        public sealed partial class SplitNet;

        [{|#0:Dense(2)|}, {|#1:Dropout(0.5, Name = "late")|}]
        public sealed partial class SplitNet;
        """,
        Error(DiagnosticDescriptors.LayerAttributeOnOtherDeclarationId, 0,
            "Layer attribute [Dense(2)] is on a partial declaration of 'SplitNet' that does not carry [Network], so its place in the layer order is ambiguous; move it to the declaration with [Network]"),
        Error(DiagnosticDescriptors.LayerAttributeOnOtherDeclarationId, 1,
            "Layer attribute [Dropout(0.5, Name = \"late\")] is on a partial declaration of 'SplitNet' that does not carry [Network], so its place in the layer order is ambiguous; move it to the declaration with [Network]"));

    [Fact]
    public Task Record() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        public sealed partial record {|#0:RecordNet|};
        """,
        Error(DiagnosticDescriptors.UnsupportedClassShapeId, 0,
            "Network class 'RecordNet' is a record; ConvGen adds its members to a partial class, so declare it 'partial class'"));

    // ---- input shape ----

    [Fact]
    public Task Missing_input() => VerifyAsync(Usings + """
        [{|#0:Network|}]
        [Flatten]
        public sealed partial class NoInputNet;
        """,
        Error(DiagnosticDescriptors.MissingInputId, 0,
            "Network 'NoInputNet' declares no input shape: set [Network(Input = \"HxWxC\")], e.g. Input = \"28x28x1\", or start the text form with 'input HxWxC'"));

    [Theory]
    [InlineData("80x80")]
    [InlineData("80x80x0")]
    [InlineData("80x80x3x1")]
    [InlineData("eighty")]
    public Task Malformed_input(string input) => VerifyAsync(Usings + $$"""
        [Network(Input = {|#0:"{{input}}"|})]
        [Flatten]
        public sealed partial class BadInputNet;
        """,
        Error(DiagnosticDescriptors.MalformedInputId, 0,
            $"Input shape '{input}' is not of the form HxWxC with three positive integers (height x width x channels), e.g. \"80x80x3\""));

    // ---- layer arguments ----

    [Fact]
    public Task Non_positive_filters() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(0, 3)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 Conv2D 'conv2d': filters is 0, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_square_kernel() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3)]
        [{|#0:Conv2D(8, -1, Name = "head")|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 1 Conv2D 'head': kernel size is -1, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_kernel_width() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(8, 3, 0)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 Conv2D 'conv2d': kernel width is 0, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_conv_stride() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(8, 3, Stride = 0)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 Conv2D 'conv2d': stride is 0, but it must be a positive integer"));

    [Fact]
    public Task Negative_pool_stride() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:MaxPool2D(2, Stride = -2)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 MaxPool2D 'max_pooling2d': stride is -2, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_pool_size() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:AvgPool2D(0)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 AvgPool2D 'average_pooling2d': pool size is 0, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_units() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [{|#0:Dense(0)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 1 Dense 'dense': units is 0, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_dilation() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(8, 3, Dilation = 0)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 Conv2D 'conv2d': dilation is 0, but it must be a positive integer"));

    [Fact]
    public Task Non_positive_filters_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x1
            {|#0:conv2d 0 3 relu|}
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 Conv2D 'conv2d': filters is 0, but it must be a positive integer"));

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("-0.1", "-0.1")]
    [InlineData("1.5", "1.5")]
    public Task Dropout_rate_out_of_range(string written, string shown) => VerifyAsync(Usings + $$"""
        [Network(Input = "8x8x1")]
        [Flatten]
        [Dropout({|#0:{{written}}|})]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.DropoutRateOutOfRangeId, 0,
            $"layer 1 Dropout 'dropout': rate {shown} is outside [0, 1); it is the probability of dropping a value, e.g. 0.5"));

    [Fact]
    public Task Undefined_activation_value() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [{|#0:Dense(2, Activation = (Activation)99)|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.UndefinedOptionValueId, 0,
            "layer 1 Dense 'dense': Activation = 99 is not a defined value; use one of Linear, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Gelu, Relu6, HardSigmoid, HardSwish, Silu, Mish"));

    [Fact]
    public Task Undefined_padding_value() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:MaxPool2D(2, Padding = (Padding)(-1))|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.UndefinedOptionValueId, 0,
            "layer 0 MaxPool2D 'max_pooling2d': Padding = -1 is not a defined value; use one of Valid, Same"));

    [Fact]
    public Task No_layers() => VerifyAsync(Usings + """
        [{|#0:Network(Input = "8x8x1")|}]
        public sealed partial class EmptyNet;
        """,
        Error(DiagnosticDescriptors.NoLayersId, 0,
            "Network 'EmptyNet' has no layers: add layer attributes such as [Conv2D(8, 3)] after [Network], or lines to the text form"));

    [Fact]
    public Task Duplicate_layer_name() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3, Name = "features")]
        [{|#0:Conv2D(4, 3, Name = "features")|}]
        public sealed partial class Net;
        """,
        Error(DiagnosticDescriptors.DuplicateLayerNameId, 0,
            "layer 1 Conv2D 'features': the name is already used by layer 0 Conv2D; layer names must be unique because parameters are named after them"));

    [Fact]
    public Task Layers_in_both_forms() => VerifyAsync(Usings + """
        [{|#0:Network("input 8x8x1\nflatten")|}]
        [Dense(2)]
        public sealed partial class BothNet;
        """,
        Error(DiagnosticDescriptors.LayersInBothFormsId, 0,
            "Network 'BothNet' declares layers both as attributes and in the text form; use one of them"));

    // ---- text form: spans point at the token inside the string literal ----

    [Fact]
    public Task Text_unknown_layer() => VerifyAsync(Usings + """"
        [Network("""
            input 28x28x1
            {|#0:conv3d|} 8 3 relu
            flatten
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 2, column 1: unknown layer 'conv3d'; expected one of conv2d, maxpool2d, avgpool2d, globalmaxpool2d, globalavgpool2d, flatten, dense, dropout, activation (or an activation name), add, batchnorm, conv2dtranspose, upsampling2d, concatenate, cropping2d, depthwiseconv2d, separableconv2d, zeropadding2d, multiply, reshape, groupnorm, layernorm"));

    [Fact]
    public Task Text_bad_kernel_number() => VerifyAsync(Usings + """"
        [Network("""
            input 28x28x1
            conv2d 8 3 relu
            conv2d 16 {|#0:3y3|} relu
            flatten
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 3, column 11: '3y3' is not a window size; expected N or HxW, e.g. 3 or 3x5"));

    // A regular string with \n escapes: columns are found inside each escaped line.
    [Fact]
    public Task Text_error_in_an_escaped_string() => VerifyAsync(Usings + """
        [Network("input 28x28x1\nconv2d 8 3 stride={|#0:two|}\nflatten")]
        public sealed partial class TextNet;
        """,
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0, "Network text line 2, column 19: 'two' is not a whole number (stride)"));

    [Fact]
    public Task Text_malformed_input_line() => VerifyAsync(Usings + """"
        [Network("""
            input {|#0:80x80|}
            flatten
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 1, column 7: '80x80' is not an input shape; expected 'input HxWxC' with three positive integers, e.g. 'input 28x28x1'"));

    [Fact]
    public Task Text_wrong_number_of_sizes() => VerifyAsync(Usings + """"
        [Network("""
            input 28x28x1
            {|#0:conv2d|} 8
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 2, column 1: conv2d takes 2 numbers but 1 was given; write conv2d FILTERS KERNEL, e.g. 'conv2d 32 3' or 'conv2d 32 3x5'"));

    [Fact]
    public Task Text_input_given_twice() => VerifyAsync(Usings + """"
        [Network(Input = "28x28x1", Layers = """
            {|#0:input|} 28x28x1
            flatten
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 1, column 1: the input shape is given both here and in Input; keep one"));

    // The misspelt line is missing from the layer list; without it the Dense would have no
    // Flatten, but that follow-up error must not be reported.
    [Fact]
    public Task Text_error_does_not_cascade_into_shape_errors() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x1
            conv2d 4 3
            {|#0:flaten|}
            dense 10
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 3, column 1: unknown layer 'flaten'; expected one of conv2d, maxpool2d, avgpool2d, globalmaxpool2d, globalavgpool2d, flatten, dense, dropout, activation (or an activation name), add, batchnorm, conv2dtranspose, upsampling2d, concatenate, cropping2d, depthwiseconv2d, separableconv2d, zeropadding2d, multiply, reshape, groupnorm, layernorm"));

    [Fact]
    public Task Text_input_given_twice_points_at_the_indented_keyword() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1", Layers = "  {|#0:input|} 8x8x1\nflatten")]
        public sealed partial class TextNet;
        """,
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0,
            "Network text line 1, column 3: the input shape is given both here and in Input; keep one"));

    [Fact]
    public Task Text_with_no_layers() => VerifyAsync(Usings + """
        [{|#0:Network("input 28x28x1")|}]
        public sealed partial class TextNet;
        """,
        Error(DiagnosticDescriptors.NoLayersId, 0,
            "Network 'TextNet' has no layers: add layer attributes such as [Conv2D(8, 3)] after [Network], or lines to the text form"));

    // ---- shapes ----

    [Fact]
    public Task Kernel_larger_than_its_input_at_depth() => VerifyAsync(Usings + """
        [Network(Input = "16x16x3")]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [MaxPool2D(2)]
        [{|#0:Conv2D(32, 5)|}]
        [Flatten]
        [Dense(10)]
        public sealed partial class DeepNet;
        """,
        Error(DiagnosticDescriptors.WindowLargerThanInputId, 0,
            "layer 3 Conv2D 'conv2d_1' (5x5, valid) cannot slide over its 4x4x16 input: the output would be 0x0x32; use Padding.Same or a smaller kernel"));

    [Fact]
    public Task Dilated_kernel_larger_than_its_input() => VerifyAsync(Usings + """
        [Network(Input = "6x9x2")]
        [{|#0:Conv2D(4, 3, Dilation = 3)|}]
        public sealed partial class DilatedNet;
        """,
        Error(DiagnosticDescriptors.WindowLargerThanInputId, 0,
            "layer 0 Conv2D 'conv2d' (3x3 dilated 3, valid) cannot slide over its 6x9x2 input: the output would be 0x3x4; use Padding.Same or a smaller kernel or dilation"));

    [Fact]
    public Task Pool_window_larger_than_its_input() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [MaxPool2D(2)]
        [{|#0:MaxPool2D(3, Name = "late_pool")|}]
        public sealed partial class PoolNet;
        """,
        Error(DiagnosticDescriptors.WindowLargerThanInputId, 0,
            "layer 1 MaxPool2D 'late_pool' (3x3, valid) cannot slide over its 2x2x1 input: the output would be 0x0x1; use Padding.Same, a smaller pool size, or remove an earlier downsampling layer"));

    [Fact]
    public Task Dense_on_a_spatial_tensor_without_flatten() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3)]
        [{|#0:Dense(10)|}]
        public sealed partial class NoFlattenNet;
        """,
        Error(DiagnosticDescriptors.DenseNeedsFlatInputId, 0,
            "layer 1 Dense 'dense' receives a 6x6x4 tensor, but Dense takes a flat vector; insert [Flatten] (giving [144]) or a global pooling layer before it"));

    [Fact]
    public Task Conv2D_after_flatten() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [{|#0:Conv2D(4, 3)|}]
        public sealed partial class FlatNet;
        """,
        Error(DiagnosticDescriptors.SpatialLayerOnFlatInputId, 0,
            "layer 1 Conv2D 'conv2d' needs an HxWxC input, but receives the flat vector [16] produced by layer 0 Flatten 'flatten'; move it before the Flatten / Dense / global pooling layer"));

    [Fact]
    public Task Pooling_after_global_pooling() => VerifyAsync(Usings + """
        [Network(Input = "4x4x3")]
        [GlobalAvgPool2D]
        [{|#0:MaxPool2D(2)|}]
        public sealed partial class FlatNet;
        """,
        Error(DiagnosticDescriptors.SpatialLayerOnFlatInputId, 0,
            "layer 1 MaxPool2D 'max_pooling2d' needs an HxWxC input, but receives the flat vector [3] produced by layer 0 GlobalAvgPool2D 'global_average_pooling2d'; move it before the Flatten / Dense / global pooling layer"));

    [Fact]
    public Task Text_form_shape_errors_point_at_the_line() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x1
            conv2d 4 3
            {|#0:dense 10 relu|}
            """)]
        public sealed partial class TextNet;
        """",
        Error(DiagnosticDescriptors.DenseNeedsFlatInputId, 0,
            "layer 1 Dense 'dense' receives a 6x6x4 tensor, but Dense takes a flat vector; insert a 'flatten' line (giving [144]) or a global pooling layer before it"));

    // ---- limits: everything must fit one .NET array ----

    [Fact]
    public Task Input_too_large() => VerifyAsync(Usings + """
        [Network(Input = {|#0:"100000x100000x100000"|})]
        [GlobalAvgPool2D]
        public sealed partial class HugeNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "Network 'HugeNet' input 100000x100000x100000: 1,000,000,000,000,000 values per sample, more than the 2,147,483,591 a .NET array can hold; use a smaller input"));

    [Fact]
    public Task Layer_output_too_large() => VerifyAsync(Usings + """
        [Network(Input = "40000x40000x1")]
        [{|#0:Conv2D(2, 1)|}]
        public sealed partial class HugeNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 0 Conv2D 'conv2d' output 40000x40000x2: 3,200,000,000 values per sample, more than the 2,147,483,591 a .NET array can hold; downsample earlier or use fewer filters"));

    [Fact]
    public Task Dense_weights_too_large() => VerifyAsync(Usings + """
        [Network(Input = "1x1x100000")]
        [Flatten]
        [{|#0:Dense(100000)|}]
        public sealed partial class HugeNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 1 Dense 'dense' weights [100000,100000]: 10,000,000,000 values, more than the 2,147,483,591 a .NET array can hold; use fewer units, or downsample (pooling, strides) before Flatten"));

    [Fact]
    public Task Conv_weights_too_large() => VerifyAsync(Usings + """
        [Network(Input = "8x8x50000")]
        [{|#0:Conv2D(50000, 1)|}]
        public sealed partial class HugeNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 0 Conv2D 'conv2d' weights [1,1,50000,50000]: 2,500,000,000 values, more than the 2,147,483,591 a .NET array can hold; use a smaller kernel or fewer filters"));

    [Fact]
    public Task Parameters_too_many_in_total() => VerifyAsync(Usings + """
        [Network(Input = "1x1x40000")]
        [Flatten]
        [Dense(40000)]
        [{|#0:Dense(40000)|}]
        public sealed partial class HugeNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 2 Dense 'dense_1' parameters up to this layer: 3,200,080,000 values, more than the 2,147,483,591 a .NET array can hold; use fewer units or filters, or downsample before Flatten"));

    [Fact]
    public Task Pool_window_with_too_many_taps() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:MaxPool2D(65536, Padding = Padding.Same)|}]
        public sealed partial class HugeNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 0 MaxPool2D 'max_pooling2d' window 65536x65536: 4,294,967,296 taps, more than the 2,147,483,591 a .NET array can hold; use a smaller window"));
}
