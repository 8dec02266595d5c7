using ConvGen.Generators.Tests.Infrastructure;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Golden files of the emitted source for networks that exercise different emit paths. Each
/// also compiles the generated code with the user's and requires zero errors and zero warnings,
/// so a snapshot can never approve code that does not build.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Lecture_network() => VerifySnapshot(NetworkSources.LectureNet, "Samples.LectureNet.g.cs", "LectureNet");

    // Odd channel counts leave scalar tails after the vector blocks; stride 2 and dilation 2 with
    // same padding put the odd padding cell at the bottom / right.
    [Fact]
    public void Same_padded_strided_and_dilated_convolutions_with_odd_channels() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "30x30x3")]
        [Conv2D(17, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
        [Conv2D(9, 3, Dilation = 2, Padding = Padding.Same, Activation = Activation.LeakyRelu)]
        [Conv2D(5, 2, 3, UseBias = false, Activation = Activation.Tanh)]
        [AvgPool2D(2, Padding = Padding.Same)]
        [Flatten]
        [Dense(10, Activation = Activation.Softmax)]
        public sealed partial class StridedNet;
        """, "Samples.StridedNet.g.cs", "StridedNet");

    // MobileNet's building blocks: zero padding, depthwise with and without multiplier, BatchNorm
    // folded into a depthwise convolution, a separable convolution (its pointwise part a 1x1 Conv2D).
    [Fact]
    public void Depthwise_separable_and_zero_padding() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "16x16x3")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [ZeroPadding2D(0, 1, 0, 1)]
        [DepthwiseConv2D(3, Stride = 2, UseBias = false)]
        [BatchNorm]
        [Activation(Activation.Relu)]
        [DepthwiseConv2D(3, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.Relu)]
        [SeparableConv2D(16, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [GlobalAvgPool2D]
        [Dense(4, Activation = Activation.Softmax)]
        public sealed partial class MobileNet;
        """, "Samples.MobileNet.g.cs", "MobileNet");

    // More than 8 vectors of output channels: the channel blocks repeat in a loop.
    [Fact]
    public void Wide_layers_repeat_the_channel_block_loop() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "8x8x4")]
        [Conv2D(130, 3, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(150, Activation = Activation.Relu)]
        [Dense(70)]
        public sealed partial class WideNet;
        """, "Samples.WideNet.g.cs", "WideNet");

    [Fact]
    public void Global_average_pooling_and_sigmoid_head() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "16x16x1")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [GlobalAvgPool2D]
        [Dense(1, Activation = Activation.Sigmoid)]
        public sealed partial class BinaryNet;
        """, "Samples.BinaryNet.g.cs", "BinaryNet");

    // A residual network as imported from ONNX: explicit pads, BatchNorm, a projected shortcut
    // declared after the block (Input), Add with a fused ReLU, and a layer with three readers.
    [Fact]
    public void Residual_network_with_batch_norm() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "16x16x3")]
        [Conv2D(8, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, UseBias = false, Name = "stem")]
        [BatchNorm(Epsilon = 1e-5, Name = "stem_bn")]
        [Activation(Activation.Relu, Name = "stem_relu")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "conv_a")]
        [Conv2D(8, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
        [BatchNorm(Name = "bn_b")]
        [Add("bn_b", "stem_relu", Activation = Activation.Relu, Name = "block1")]
        [Conv2D(16, 1, Stride = 2, Padding = Padding.Same, Name = "projection")]
        [Conv2D(16, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu, Input = "block1", Name = "conv_c")]
        [Add("conv_c", "projection", Name = "block2")]
        [GlobalAvgPool2D]
        [Dense(4, Activation = Activation.Softmax)]
        public sealed partial class ResidualNet;
        """, "Samples.ResidualNet.g.cs", "ResidualNet");

    // A small U-Net with valid convolutions: the skip is cropped to the decoder's size, the
    // decoder upsamples twice (learned and bilinear) and Concatenate joins three maps, the
    // previous layer last, so two sources take their gradient through stashes.
    [Fact]
    public void Encoder_decoder_with_skip_connections() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "20x20x1")]
        [Conv2D(4, 3, Activation = Activation.Relu, Name = "encoder")]
        [MaxPool2D(2)]
        [Conv2D(8, 3, Activation = Activation.Relu, Name = "bottleneck")]
        [Conv2DTranspose(4, 2, Stride = 2, Name = "up")]
        [Cropping2D(2, Input = "encoder", Name = "skip")]
        [UpSampling2D(2, Interpolation = UpSamplingInterpolation.Bilinear, Input = "bottleneck", Name = "resized")]
        [Concatenate("up", "skip", "resized")]
        [Conv2D(3, 1, Activation = Activation.Softmax)]
        public sealed partial class UNet;
        """, "Samples.UNet.g.cs", "UNet");

    [Fact]
    public void Text_form() => VerifySnapshot(""""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network("""
            input 28x28x1
            conv2d 8 3 relu
            maxpool2d 2
            conv2d 16 3x3 padding=same relu name=features   # named, so parameters are Features*
            globalmaxpool2d
            dense 32 gelu
            dropout 0.25
            dense 10 softmax
            """)]
        public sealed partial class TextNet;
        """", "Samples.TextNet.g.cs", "TextNet");

    [Fact]
    public void Network_in_the_global_namespace() => VerifySnapshot("""
        using ConvGen;

        /// <summary>A test network.</summary>

        [Network(Input = "4x4x2")]
        [Flatten]
        [Dense(3, Activation = Activation.Softmax)]
        public partial class GlobalNet;
        """, "GlobalNet.g.cs", "GlobalNet");

    [Fact]
    public void Network_nested_in_a_partial_class() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>Holds a network.</summary>
        public partial class Models
        {
            /// <summary>A test network.</summary>
            [Network(Input = "6x6x1")]
            [Conv2D(4, 3, Activation = Activation.Relu)]
            [Flatten]
            [Dense(2)]
            internal sealed partial class Inner;
        }
        """, "Samples.Models.Inner.g.cs", "NestedNet");

    private static void VerifySnapshot(string source, string hintName, string snapshotName)
    {
        var run = GeneratorHarness.Run(source);

        run.ShouldNotHaveThrown();
        // Information is allowed (the lecture network's second pool leaves out one row: CG0105).
        run.GeneratorProblems.ShouldBeEmpty();
        run.CompilationProblems.ShouldBeEmpty();
        run.Result.GeneratedSources.ShouldHaveSingleItem().HintName.ShouldBe(hintName);
        GoldenFile.Verify(run.Source(hintName), snapshotName);
    }

    // A MobileNetV3-style squeeze-and-excitation block: HardSwish and Relu6 fused into the
    // convolutions, a kept-rank squeeze, Dense on 1x1 maps, a HardSigmoid gate broadcast by Multiply.
    [Fact]
    public void Squeeze_and_excitation_block() => VerifySnapshot("""
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "8x8x3")]
        [Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.HardSwish, Name = "features")]
        [GlobalAvgPool2D(KeepDims = true)]
        [Dense(4, Activation = Activation.Relu6)]
        [Dense(16, Activation = Activation.HardSigmoid, Name = "gate")]
        [Multiply("features", "gate")]
        [Conv2D(8, 1, Activation = Activation.Silu)]
        [GlobalAvgPool2D]
        [Reshape(1, 1, 8)]
        [Flatten]
        [Dense(3, Activation = Activation.Softmax)]
        public sealed partial class SeNet;
        """, "Samples.SeNet.g.cs", "SeNet");
}
