using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// Encoder-decoder layers: Concatenate, Cropping2D, UpSampling2D and Conv2DTranspose.
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Concatenate_of_unequal_sizes_says_by_how_much_and_suggests_cropping() => VerifyAsync(Usings + """
        [Network(Input = "20x20x1")]
        [Conv2D(8, 3, Activation = Activation.Relu, Name = "encoder")]
        [MaxPool2D(2)]
        [Conv2D(16, 3, Activation = Activation.Relu)]
        [Conv2DTranspose(8, 2, Stride = 2, Name = "up")]
        [{|#0:Concatenate("up", "encoder")|}]
        [Conv2D(2, 1, Activation = Activation.Softmax)]
        public sealed partial class UNet;
        """,
        Error(DiagnosticDescriptors.ConcatenateShapeMismatchId, 0, "layer 4 Concatenate 'concatenate' joins 'up' (14x14x8), 'encoder' (18x18x8) along the channels, which needs the same height and width, but 'encoder' is 18x18x8, 4 rows more and 4 columns more than 'up' (14x14x8); crop 'encoder' to 14x14 with [Cropping2D(2, Input = \"encoder\")] and join that layer instead (as U-Net does with valid convolutions), or give the convolutions Padding.Same so the sizes stay equal"));

    [Fact]
    public Task Concatenate_of_three_in_the_text_form_names_each_odd_one() => VerifyAsync(Usings + """"
        [Network("""
            input 12x12x2
            conv2d 4 3 name=a
            conv2d 4 3 same input=a name=b
            conv2d 4 5 input=a name=c
            {|#0:concatenate b a c|}
            conv2d 2 1
            """)]
        public sealed partial class JoinNet;
        """",
        Error(DiagnosticDescriptors.ConcatenateShapeMismatchId, 0, "layer 3 Concatenate 'concatenate' joins 'b' (10x10x4), 'a' (10x10x4), 'c' (6x6x4) along the channels, which needs the same height and width, but 'c' is 6x6x4, 4 rows fewer and 4 columns fewer than 'b' (10x10x4); crop 'b' to 6x6 with 'cropping2d 2 input=b' and join that layer instead (as U-Net does with valid convolutions), or give the convolutions padding=same so the sizes stay equal"));

    [Fact]
    public Task Concatenate_of_a_map_and_a_vector() => VerifyAsync(Usings + """
        [Network(Input = "8x8x2")]
        [Conv2D(4, 3, Name = "map")]
        [GlobalAvgPool2D(Name = "vector")]
        [{|#0:Concatenate("map", "vector")|}]
        public sealed partial class JoinNet;
        """,
        Error(DiagnosticDescriptors.ConcatenateShapeMismatchId, 0, "layer 2 Concatenate 'concatenate' joins 'map' (6x6x4), 'vector' (4) along the channels, which needs the same height and width, but 'vector' is a vector (4) and 'map' a map (6x6x4); join spatial maps with spatial maps and vectors with vectors (Flatten or global pooling makes a vector)"));

    [Fact]
    public Task Input_on_a_Concatenate_is_refused() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "a")]
        [Conv2D(4, 3, Padding = Padding.Same, Name = "b")]
        [Concatenate("a", "b", {|#0:Input = "a"|})]
        public sealed partial class JoinNet;
        """,
        Error(DiagnosticDescriptors.UnknownInputLayerId, 0, "layer 2 Concatenate 'concatenate' reads 'a', but Concatenate reads exactly the layers named in its arguments ('a', 'b') and takes no Input; a layer can only read the output of a layer declared before it"));

    [Fact]
    public Task Concatenate_with_one_name_in_the_text_form() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x3
            conv2d 4 3 name=a
            concatenate {|#0:a|}
            """)]
        public sealed partial class JoinNet;
        """",
        Error(DiagnosticDescriptors.TextSyntaxErrorId, 0, "Network text line 3, column 13: concatenate takes the names of the two or more layers it joins; write concatenate NAME1 NAME2 ..., e.g. 'concatenate up_sampling2d conv2d_1'"));

    [Fact]
    public Task Concatenate_third_name_null_is_reported_at_it() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [Conv2D(2, 3, Padding = Padding.Same, Name = "a")]
        [Concatenate("input", "a", {|#0:null!|})]
        public sealed partial class JoinNet;
        """,
        Error(DiagnosticDescriptors.MissingTextArgumentId, 0, "layer 1 Concatenate: layer name 3 is null; name an earlier layer, e.g. Concatenate(\"conv2d\", \"conv2d_1\")"));

    [Fact]
    public Task Cropping_more_than_the_input() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [Conv2D(4, 3)]
        [{|#0:Cropping2D(1, 3)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class CropNet;
        """,
        Error(DiagnosticDescriptors.CroppingRemovesEverythingId, 0, "layer 1 Cropping2D 'cropping2d' removes 6 columns of its 6x6x4 input, which has 6, so nothing is left; crop at most 5 columns in total"));

    [Fact]
    public Task Negative_cropping() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [{|#0:Cropping2D(0, -1, 0, 0)|}]
        [UpSampling2D(2)]
        public sealed partial class CropNet;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 Cropping2D 'cropping2d': bottom crop is -1, but it must be a positive integer"));

    [Fact]
    public Task Zero_upsampling_factor() => VerifyAsync(Usings + """
        [Network(Input = "8x8x3")]
        [{|#0:UpSampling2D(0, 2)|}]
        public sealed partial class UpNet;
        """,
        Error(DiagnosticDescriptors.NonPositiveArgumentId, 0, "layer 0 UpSampling2D 'up_sampling2d': upsampling height is 0, but it must be a positive integer"));

    [Fact]
    public Task Output_padding_at_the_stride_is_reported_at_it() => VerifyAsync(Usings + """
        [Network(Input = "8x8x4")]
        [Conv2DTranspose(4, 3, Stride = 2, Padding = Padding.Same, {|#0:OutputPadding = 2|})]
        public sealed partial class UpNet;
        """,
        Error(DiagnosticDescriptors.TransposedOutputPaddingInvalidId, 0, "layer 0 Conv2DTranspose 'conv2d_transpose' has OutputPadding 2, but it must be at least 0 and smaller than the stride 2 (or -1, Keras's None, to let the padding decide the output size)"));
}
