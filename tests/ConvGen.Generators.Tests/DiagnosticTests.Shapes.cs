using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// Shapes that fit but lose data or do nothing (the errors are in DiagnosticTests.cs).
public sealed partial class DiagnosticTests
{
    // (8 - 3) = 5 is odd: with stride 2 the windows start at 0, 2, 4 and row / column 7 is never read.
    [Fact]
    public Task Conv_stride_that_skips_the_last_row_and_column() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(4, 3, Stride = 2)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class StridedNet;
        """,
        Warning(DiagnosticDescriptors.StrideSkipsInputId, 0,
            "layer 0 Conv2D 'conv2d' (3x3, stride 2, valid) never reads the last 1 row and 1 column of its 8x8x1 input: with valid padding its last window ends before the edge; use Padding.Same to cover them (output 4x4x4 instead of 3x3x4), or pick a stride that divides (input - window)"));

    // Rows tile exactly ((9 - 3) / 3 = 2), columns do not ((8 - 3) = 5 = 3 + 2): only columns are named.
    [Fact]
    public Task Stride_that_skips_columns_only() => VerifyAsync(Usings + """
        [Network(Input = "9x8x1")]
        [{|#0:Conv2D(4, 3, Stride = 3, Name = "stem")|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class StridedNet;
        """,
        Warning(DiagnosticDescriptors.StrideSkipsInputId, 0,
            "layer 0 Conv2D 'stem' (3x3, stride 3, valid) never reads the last 2 columns of its 9x8x1 input: with valid padding its last window ends before the edge; use Padding.Same to cover them (output 3x3x4 instead of 3x2x4), or pick a stride that divides (input - window)"));

    // An overlapping pool (window 3, stride 2) is not the Keras default, so skipping is a warning.
    [Fact]
    public Task Overlapping_pool_that_skips_the_edge() => VerifyAsync(Usings + """
        [Network(Input = "8x8x2")]
        [Conv2D(4, 1)]
        [{|#0:MaxPool2D(3, Stride = 2)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class PoolNet;
        """,
        Warning(DiagnosticDescriptors.StrideSkipsInputId, 0,
            "layer 1 MaxPool2D 'max_pooling2d' (3x3, stride 2, valid) never reads the last 1 row and 1 column of its 8x8x4 input: with valid padding its last window ends before the edge; use Padding.Same to cover them (output 4x4x4 instead of 3x3x4), or pick a stride that divides (input - window)"));

    // The lecture's own network pools 37x37 with 2x2 windows: the usual floor, so information only.
    [Fact]
    public Task Non_overlapping_pool_on_an_odd_size_is_information() => VerifyAsync(Usings + """
        [Network(Input = "7x7x1")]
        [Conv2D(4, 3)]
        [{|#0:MaxPool2D(2)|}]
        [Flatten]
        [Dense(2)]
        public sealed partial class OddNet;
        """,
        Info(DiagnosticDescriptors.PoolingDropsRemainderId, 0,
            "layer 1 MaxPool2D 'max_pooling2d' (2x2, stride 2, valid) leaves out the last 1 row and 1 column of its 5x5x4 input, which do not fill a whole window; use Padding.Same to pool them too (output 3x3x4 instead of 2x2x4)"));

    [Fact]
    public Task Stride_warning_in_the_text_form_gives_text_advice() => VerifyAsync(Usings + """"
        [Network("""
            input 8x8x1
            {|#0:conv2d 4 3 stride=2|}
            flatten
            dense 2
            """)]
        public sealed partial class TextNet;
        """",
        Warning(DiagnosticDescriptors.StrideSkipsInputId, 0,
            "layer 0 Conv2D 'conv2d' (3x3, stride 2, valid) never reads the last 1 row and 1 column of its 8x8x1 input: with valid padding its last window ends before the edge; use padding=same to cover them (output 4x4x4 instead of 3x3x4), or pick a stride that divides (input - window)"));

    [Fact]
    public Task Flatten_of_a_flat_vector() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(8, Activation = Activation.Relu)]
        [{|#0:Flatten|}]
        [Dense(2)]
        public sealed partial class FlatNet;
        """,
        Warning(DiagnosticDescriptors.FlattenOfFlatInputId, 0,
            "layer 2 Flatten 'flatten_1' receives the flat vector [8] from layer 1 Dense 'dense', so it does nothing; remove it"));

    [Fact]
    public Task Flatten_after_global_pooling() => VerifyAsync(Usings + """
        [Network(Input = "4x4x3")]
        [Conv2D(4, 3, Padding = Padding.Same)]
        [GlobalAvgPool2D]
        [{|#0:Flatten(Name = "again")|}]
        [Dense(2)]
        public sealed partial class FlatNet;
        """,
        Warning(DiagnosticDescriptors.FlattenOfFlatInputId, 0,
            "layer 2 Flatten 'again' receives the flat vector [4] from layer 1 GlobalAvgPool2D 'global_average_pooling2d', so it does nothing; remove it"));

    // Same padding always fits, so the fix is offered; the diagnostic tells the code fix so.
    [Fact]
    public Task Window_error_offers_same_padding_to_the_code_fix()
    {
        var run = Infrastructure.GeneratorHarness.Run(Usings + """
            [Network(Input = "4x4x1")]
            [Conv2D(2, 5)]
            [Flatten]
            public sealed partial class Net;
            """);

        run.GeneratorDiagnostics.ShouldHaveSingleItem().Properties[DiagnosticProperties.SamePaddingFixes].ShouldBe("true");
        return Task.CompletedTask;
    }
}
