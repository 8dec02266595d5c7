using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using ConvGen.Generators.Tests.Infrastructure;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The text form is the attribute form in another syntax: the same network written both ways
/// (same class name) must give the same model — layer table, shapes, parameter layout — and
/// therefore byte-identical generated code.
/// </summary>
public sealed class TextFormEquivalenceTests
{
    [Fact]
    public void Lecture_network_is_the_same_in_both_forms() =>
        ShouldBeEquivalent(NetworkSources.LectureNet, NetworkSources.LectureNetText);

    // Every option the text form knows, next to its attribute spelling.
    [Fact]
    public void Every_option_is_the_same_in_both_forms() => ShouldBeEquivalent("""
        using ConvGen;

        namespace Samples;

        [Network(Input = "32x24x3")]
        [Conv2D(16, 3, 5, Stride = 2, Padding = Padding.Same, Activation = Activation.LeakyRelu, Alpha = 0.2, Name = "stem", UseBias = false)]
        [Conv2D(12, 3, Dilation = 2, Padding = Padding.Same, Activation = Activation.Elu)]
        [AvgPool2D(3, Stride = 2, Padding = Padding.Same)]
        [MaxPool2D(2, 1)]
        [Activation(Activation.Tanh)]
        [GlobalMaxPool2D]
        [Dense(20, Activation = Activation.Gelu, Name = "hidden")]
        [Dropout(0.3)]
        [Dense(5, Activation = Activation.Sigmoid)]
        public sealed partial class OptionsNet;
        """, """"
        using ConvGen;

        namespace Samples;

        [Network("""
            input 32x24x3
            conv2d 16 3x5 stride=2 padding=same leaky_relu alpha=0.2 name=stem nobias
            conv2d 12 3 dilation=2 same elu      # flags and key=value mix freely
            avgpool2d 3 stride=2 padding=same
            maxpool2d 2x1
            tanh
            globalmaxpool2d
            dense 20 activation=gelu name=hidden
            dropout 0.3
            dense 5 sigmoid
            """)]
        public sealed partial class OptionsNet;
        """");

    // DepthwiseConv2D, SeparableConv2D and ZeroPadding2D with each of their options.
    [Fact]
    public void Mobile_convolutions_are_the_same_in_both_forms() => ShouldBeEquivalent("""
        using ConvGen;

        namespace Samples;

        [Network(Input = "33x30x3")]
        [ZeroPadding2D(1)]
        [ZeroPadding2D(0, 1)]
        [ZeroPadding2D(1, 0, 2, 0, Name = "pad")]
        [DepthwiseConv2D(3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu, UseBias = false)]
        [DepthwiseConv2D(3, 5, DepthMultiplier = 2, Dilation = 2, Padding = Padding.Same, Name = "dw")]
        [DepthwiseConv2D(3, PadTop = 1, PadLeft = 1, Activation = Activation.LeakyRelu, Alpha = 0.2)]
        [SeparableConv2D(16, 3, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.Relu)]
        [SeparableConv2D(8, 3, 1, Stride = 2, UseBias = false, Name = "sep")]
        public sealed partial class MobileNet;
        """, """"
        using ConvGen;

        namespace Samples;

        [Network("""
            input 33x30x3
            zeropadding2d 1
            zeropad 0 1
            zero_padding2d 1 0 2 0 name=pad
            depthwiseconv2d 3 stride=2 same relu nobias
            dwconv 3x5 multiplier=2 dilation=2 padding=same name=dw
            depthwise_conv2d 3 pads=1,0,1,0 leaky_relu alpha=0.2
            separableconv2d 16 3 depth_multiplier=2 same relu
            sepconv 8 3x1 stride=2 nobias name=sep
            """)]
        public sealed partial class MobileNet;
        """");

    // The encoder-decoder layers with every form of their arguments and options.
    [Fact]
    public void Encoder_decoder_network_is_the_same_in_both_forms() => ShouldBeEquivalent("""
        using ConvGen;

        namespace Samples;

        [Network(Input = "24x24x2")]
        [Conv2D(4, 3, Activation = Activation.Relu, Name = "encoder")]
        [MaxPool2D(2)]
        [Conv2D(8, 3, Name = "bottleneck")]
        [Conv2DTranspose(4, 3, Stride = 2, Padding = Padding.Same, OutputPadding = 1, Activation = Activation.Relu, UseBias = false, Name = "up")]
        [Cropping2D(2, Input = "encoder", Name = "skip")]
        [UpSampling2D(2, Interpolation = UpSamplingInterpolation.Bilinear, Input = "bottleneck", Name = "resized")]
        [Concatenate("up", "skip", "resized", Name = "joined")]
        [Conv2DTranspose(4, 2, 3, Dilation = 2)]
        [Cropping2D(0, 1, 2, 3)]
        [Cropping2D(1, 2)]
        [UpSampling2D(2, 1)]
        [Conv2D(3, 1, Activation = Activation.Softmax)]
        public sealed partial class UNet;
        """, """"
        using ConvGen;

        namespace Samples;

        [Network("""
            input 24x24x2
            conv2d 4 3 relu name=encoder
            maxpool2d 2
            conv2d 8 3 name=bottleneck
            conv2dtranspose 4 3 stride=2 same output_padding=1 relu nobias name=up
            cropping2d 2 input=encoder name=skip
            upsampling2d 2 interpolation=bilinear input=bottleneck name=resized
            concatenate up skip resized name=joined
            deconv 4 2x3 dilation=2
            crop 0 1 2 3
            cropping2d 1 2
            upsample 2x1
            conv2d 3 1 softmax
            """)]
        public sealed partial class UNet;
        """");

    // The graph and ResNet options exactly as ConvGen.Onnx writes them in both forms
    // (DeclarationWriter, TextFormWriter): pads=, batchnorm eps= momentum=, add A B, input=NAME.
    [Fact]
    public void Residual_network_is_the_same_in_both_forms() => ShouldBeEquivalent("""
        using ConvGen;

        namespace Samples;

        [Network(Input = "32x32x3")]
        [Conv2D(16, 7, Stride = 2, PadTop = 3, PadBottom = 2, PadLeft = 3, PadRight = 2, UseBias = false, Name = "stem")]
        [BatchNorm(Epsilon = 1E-05, Momentum = 0.9883497, Name = "stem_bn")]
        [Activation(Activation.Relu, Name = "stem_relu")]
        [MaxPool2D(3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Name = "pool")]
        [Conv2D(32, 1, Stride = 2, Padding = Padding.Same, UseBias = false, Name = "projection")]
        [BatchNorm(Name = "projection_bn")]
        [Conv2D(32, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, UseBias = false, Input = "pool", Name = "conv_a")]
        [BatchNorm(Epsilon = 1E-05, Name = "bn_a")]
        [Activation(Activation.Relu, Name = "relu_a")]
        [Conv2D(32, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
        [BatchNorm(Momentum = 0.9, Name = "bn_b")]
        [Add("bn_b", "projection_bn", Activation = Activation.Relu, Name = "sum")]
        [AvgPool2D(4, Stride = 1, Name = "features")]
        public sealed partial class ResidualNet;
        """, """"
        using ConvGen;

        namespace Samples;

        [Network("""
            input 32x32x3
            conv2d 16 7 stride=2 pads=3,2,3,2 bias=false name=stem
            batchnorm eps=1E-05 momentum=0.9883497 name=stem_bn
            activation relu name=stem_relu
            maxpool2d 3 stride=2 pads=1,0,1,0 name=pool
            conv2d 32 1 stride=2 same bias=false name=projection
            batchnorm name=projection_bn
            conv2d 32 3 stride=2 pads=1,0,1,0 bias=false input=pool name=conv_a
            batchnorm eps=1E-05 name=bn_a
            activation relu name=relu_a
            conv2d 32 3 same bias=false name=conv_b
            batchnorm momentum=0.9 name=bn_b
            add bn_b projection_bn relu name=sum
            avgpool2d 4 stride=1 name=features
            """)]
        public sealed partial class ResidualNet;
        """");

    [Fact]
    public void Text_form_in_the_Layers_property_with_Input_is_the_same() => ShouldBeEquivalent(NetworkSources.LectureNet, """"
        using ConvGen;

        namespace Samples;

        [Network(Input = "80x80x3", Layers = """
            conv2d 8 3 activation=relu
            maxpool2d 2
            conv2d 16 3 activation=relu
            maxpool2d 2
            flatten
            dense 64 relu
            dropout 0.5
            dense 8 softmax
            """)]
        public sealed partial class LectureNet;
        """");

    // The pretrained ResNet-18 as ConvGen.Onnx writes it in both forms (docs/onnx). Its 1x1
    // stride-2 projections skip the last row and column by design: CG0104, the same in both.
    [Fact]
    public void Imported_ResNet18_is_the_same_in_both_forms()
    {
        string docs = System.IO.Path.Combine(TestPaths.RepositoryRoot, "docs", "onnx");
        string attributeForm = System.IO.File.ReadAllText(System.IO.Path.Combine(docs, "ResNet18.imported.cs.txt"));
        string text = System.IO.File.ReadAllText(System.IO.Path.Combine(docs, "ResNet18.imported.txt"));
        string textForm = "using ConvGen;\n\nnamespace Pretrained;\n\n[Network(\"\"\"\"\n" + text + "\"\"\"\")]\npublic sealed partial class ResNet18;\n";
        ShouldBeEquivalent(attributeForm, textForm, DiagnosticDescriptors.StrideSkipsInputId);
    }

    private static void ShouldBeEquivalent(string attributeForm, string textForm, string? expectedWarning = null)
    {
        var fromAttributes = GeneratorHarness.Run(attributeForm);
        var fromText = GeneratorHarness.Run(textForm);
        foreach (var run in new[] { fromAttributes, fromText })
        {
            run.ShouldNotHaveThrown();
            run.GeneratorProblems.ShouldAllBe(d => d.Id == expectedWarning);
        }
        // Information (such as CG0105 on the lecture network) is the same in both forms, only its advice is in each form's syntax.
        fromText.GeneratorDiagnostics.Select(d => d.Id).ShouldBe(fromAttributes.GeneratorDiagnostics.Select(d => d.Id));

        var attributeModel = SingleModel(fromAttributes);
        var textModel = SingleModel(fromText);
        // Layer by layer first, so a difference names the layer and field.
        textModel.Layers.Count.ShouldBe(attributeModel.Layers.Count);
        for (int i = 0; i < attributeModel.Layers.Count; i++)
        {
            textModel.Layers[i].ShouldBe(attributeModel.Layers[i], $"layer {i}");
        }
        textModel.ShouldBe(attributeModel);
        fromText.SingleSource.ShouldBe(fromAttributes.SingleSource);
    }

    private static NetworkModel SingleModel(GeneratorRun run) =>
        (NetworkModel)run.Result.TrackedSteps[NetworkGenerator.Steps.Model].ShouldHaveSingleItem().Outputs.ShouldHaveSingleItem().Value;

    // The mobile activations, fused, standalone, with every spelling the text form accepts.
    [Fact]
    public void Mobile_activations_are_the_same_in_both_forms() => ShouldBeEquivalent("""
        using ConvGen;

        namespace Samples;

        [Network(Input = "16x16x3")]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
        [Conv2D(8, 1, Activation = Activation.HardSwish)]
        [Activation(Activation.HardSigmoid)]
        [Conv2D(8, 3, Activation = Activation.Silu)]
        [Activation(Activation.Mish)]
        [Conv2D(8, 1, Activation = Activation.HardSwish)]
        [GlobalAvgPool2D]
        [Dense(6, Activation = Activation.Silu)]
        [Dense(4, Activation = Activation.HardSigmoid)]
        public sealed partial class MobileActivationNet;
        """, """"
        using ConvGen;

        namespace Samples;

        [Network("""
            input 16x16x3
            conv2d 8 3 same relu6
            conv2d 8 1 activation=hard_swish
            hardsigmoid
            conv2d 8 3 swish
            mish
            conv2d 8 1 hardswish
            globalavgpool2d
            dense 6 activation=silu
            dense 4 hard_sigmoid
            """)]
        public sealed partial class MobileActivationNet;
        """");
}
