using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// Hostile values: each is reported at the argument that holds it, and nothing else breaks
// (VerifyAsync also fails on a generator exception or any compiler diagnostic not listed).
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Alpha_beyond_float32_is_reported_at_the_argument() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(4, 3, Activation = Activation.LeakyRelu, {|#0:Alpha = 1e300|})]
        [Flatten]
        [Dense(2)]
        public sealed partial class LeakyNet;
        """,
        Error(DiagnosticDescriptors.FloatOptionNotFiniteId, 0,
            "layer 0 Conv2D 'conv2d': Alpha = 1E+300 is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); it is the slope of leaky_relu below zero or the scale of elu, e.g. 0.01 or 1.0"));

    [Fact]
    public Task NaN_alpha_is_reported() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [Dense(2, Activation = Activation.Elu, {|#0:Alpha = double.NaN|})]
        public sealed partial class EluNet;
        """,
        Error(DiagnosticDescriptors.FloatOptionNotFiniteId, 0,
            "layer 1 Dense 'dense': Alpha = NaN is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); it is the slope of leaky_relu below zero or the scale of elu, e.g. 0.01 or 1.0"));

    [Fact]
    public Task BatchNorm_epsilon_beyond_float32_is_reported_at_the_argument() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, UseBias = false)]
        [BatchNorm({|#0:Epsilon = 1e308|}, {|#1:Momentum = double.PositiveInfinity|})]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """,
        Error(DiagnosticDescriptors.FloatOptionNotFiniteId, 0,
            "layer 1 BatchNorm 'batch_normalization': Epsilon = 1E+308 is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); use a small positive number, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)"),
        Error(DiagnosticDescriptors.FloatOptionNotFiniteId, 1,
            "layer 1 BatchNorm 'batch_normalization': Momentum = Infinity is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); use a number in [0, 1], e.g. 0.99"));

    // Positive as a double, 0 as the float32 the code divides by.
    [Fact]
    public Task BatchNorm_epsilon_that_is_zero_as_float32() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, UseBias = false)]
        [{|#0:BatchNorm(Epsilon = 1e-50)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class NormNet;
        """,
        Error(DiagnosticDescriptors.BatchNormOptionOutOfRangeId, 0,
            "layer 1 BatchNorm 'batch_normalization': Epsilon is 1E-50, but it must be a small positive number that keeps the division defined, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)"));

    [Fact]
    public Task Infinite_dropout_rate_is_reported_at_the_argument() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [Dropout({|#0:double.PositiveInfinity|})]
        [Dense(2)]
        public sealed partial class DropNet;
        """,
        Error(DiagnosticDescriptors.FloatOptionNotFiniteId, 0,
            "layer 1 Dropout 'dropout': rate = Infinity is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); it is the probability of dropping a value, in [0, 1), e.g. 0.5"));

    // Below 1 as a double, exactly 1 as float32: the kept values would be scaled by 1/0.
    [Fact]
    public Task Dropout_rate_that_is_one_as_float32() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [Dropout({|#0:0.99999999999|})]
        [Dense(2)]
        public sealed partial class DropNet;
        """,
        Error(DiagnosticDescriptors.DropoutRateOutOfRangeId, 0,
            "layer 1 Dropout 'dropout': rate 0.99999999999 is outside [0, 1); it is the probability of dropping a value, e.g. 0.5"));

    [Fact]
    public Task Text_form_alpha_beyond_double() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x1
            {|#0:conv2d 4 3 leaky_relu alpha=1e400|}
            flatten
            dense 2
            """)]
        public sealed partial class LeakyNet;
        """",
        Error(DiagnosticDescriptors.FloatOptionNotFiniteId, 0,
            "layer 0 Conv2D 'conv2d': alpha = Infinity is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); it is the slope of leaky_relu below zero or the scale of elu, e.g. 0.01 or 1.0"));

    [Fact]
    public Task Layer_name_with_a_newline_is_reported_at_the_name() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [Dense(2, {|#0:Name = "head\nlogits"|})]
        public sealed partial class NamedNet;
        """,
        Error(DiagnosticDescriptors.UnsafeLayerNameId, 0,
            "layer 1 Dense 'head\\nlogits': the name contains a line break (U+000A) at position 4, which cannot be written into the generated code's comments and layer table; use letters, digits and punctuation such as '_', '/', '.' or '-', e.g. \"block1_conv\""));

    [Fact]
    public Task Layer_name_with_a_bidirectional_override_is_reported() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Flatten]
        [Dense(2, {|#0:Name = "head\u202Eevil"|})]
        public sealed partial class NamedNet;
        """,
        Error(DiagnosticDescriptors.UnsafeLayerNameId, 0,
            "layer 1 Dense 'head\\u202eevil': the name contains the invisible control character U+202E at position 4, which cannot be written into the generated code's comments and layer table; use letters, digits and punctuation such as '_', '/', '.' or '-', e.g. \"block1_conv\""));

    [Fact]
    public Task Text_form_name_with_a_line_separator() => VerifyAsync(Usings + """"
        [Network({|#0:"input 8x8x1\nflatten\ndense 2 name=a\u0001b"|})]
        public sealed partial class NamedNet;
        """",
        Error(DiagnosticDescriptors.UnsafeLayerNameId, 0,
            "layer 1 Dense 'a\\u0001b': the name contains the invisible control character U+0001 at position 1, which cannot be written into the generated code's comments and layer table; use letters, digits and punctuation such as '_', '/', '.' or '-', e.g. \"block1_conv\""));

    [Fact]
    public Task Add_of_null_is_reported_at_the_argument() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(2, 3, Padding = Padding.Same, Name = "a")]
        [Add("a", {|#0:null!|})]
        [Flatten]
        [Dense(2)]
        public sealed partial class AddNet;
        """,
        Error(DiagnosticDescriptors.MissingTextArgumentId, 0,
            "layer 1 Add: the second layer name is null; name an earlier layer, e.g. Add(\"conv2d\", \"conv2d_1\")"));

    [Fact]
    public Task Empty_layer_input_and_name_are_reported() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(2, 3, {|#0:Input = ""|})]
        [Flatten({|#1:Name = ""|})]
        [Dense(2)]
        public sealed partial class InputNet;
        """,
        Error(DiagnosticDescriptors.MissingTextArgumentId, 0,
            "layer 0 Conv2D: Input is empty; name an earlier layer, or leave Input out to read the previous layer"),
        Error(DiagnosticDescriptors.MissingTextArgumentId, 1,
            "layer 0 Flatten: Name is empty; give the layer a name, or leave Name out for the Keras default (conv2d, conv2d_1, ...)"));

    [Fact]
    public Task Null_network_input_is_reported() => VerifyAsync(Usings + """
        [Network(Input = {|#0:null!|})]
        [Flatten]
        [Dense(2)]
        public sealed partial class NoInputNet;
        """,
        Error(DiagnosticDescriptors.MissingTextArgumentId, 0,
            "Network 'NoInputNet': Input is null; write the input shape as HxWxC, e.g. Input = \"28x28x1\""));

    [Fact]
    public Task Blank_text_form_is_reported() => VerifyAsync(Usings + """
        [Network({|#0:"  \n "|})]
        public sealed partial class BlankNet;
        """,
        Error(DiagnosticDescriptors.MissingTextArgumentId, 0,
            "Network 'BlankNet': the text form is empty; write one layer per line, e.g. \"input 28x28x1\\nconv2d 8 3 relu\\nflatten\\ndense 10 softmax\", or declare the layers as attributes"));

    [Fact]
    public Task Layer_reading_itself_is_reported() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(2, 3, Name = "loop", Input = "loop")|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class LoopNet;
        """,
        Error(DiagnosticDescriptors.UnknownInputLayerId, 0,
            "layer 0 Conv2D 'loop' reads 'loop', but that is this layer itself; a layer can only read the output of a layer declared before it"));

    [Fact]
    public Task Too_many_layers_for_a_configured_limit() => VerifyAsync(Usings + """
        [{|#0:Network(Input = "8x8x1")|}]
        [Conv2D(2, 3)]
        [Flatten]
        [Dense(2)]
        public sealed partial class DeepNet;
        """,
        "build_property.ConvGenMaxLayers = 2",
        Error(DiagnosticDescriptors.GeneratedCodeTooLargeId, 0,
            "Network 'DeepNet' would generate about 32.1 KiB of code for 3 layers; the limit is 64 MiB and 2 layers (MSBuild properties ConvGenMaxGeneratedCodeBytes and ConvGenMaxLayers), beyond which compiling it takes minutes and gigabytes; split it into several networks (the output of one is the input of the next) or use fewer layers"));

    [Fact]
    public Task Text_form_input_beyond_int() => VerifyAsync(Usings + """"
        [Network("""
            {|#0:input 99999999x99999999x3|}
            flatten
            dense 2
            """)]
        public sealed partial class HugeNet;
        """",
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "Network 'HugeNet' input 99999999x99999999x3: 29,999,999,400,000,003 values per sample, more than the 2,147,483,591 a .NET array can hold; use a smaller input"));

    [Fact]
    public Task Filters_int_MaxValue() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [{|#0:Conv2D(int.MaxValue, 1)|}]
        [Flatten]
        public sealed partial class WideNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 0 Conv2D 'conv2d' weights [1,1,1,2147483647]: 2,147,483,647 values, more than the 2,147,483,591 a .NET array can hold; use a smaller kernel or fewer filters"));

    [Fact]
    public Task Kernel_of_two_to_the_thirty() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [{|#0:Conv2D(2, 1 << 30, Padding = Padding.Same)|}]
        [Flatten]
        public sealed partial class WideNet;
        """,
        Error(DiagnosticDescriptors.SizeLimitExceededId, 0,
            "layer 0 Conv2D 'conv2d' window 1073741824x1073741824: 1,152,921,504,606,846,976 taps, more than the 2,147,483,591 a .NET array can hold; use a smaller window"));
}
