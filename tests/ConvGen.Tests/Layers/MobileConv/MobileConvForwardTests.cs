using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Layers.MobileConv;

/// <summary>
/// DepthwiseConv2D, SeparableConv2D and ZeroPadding2D against the reference loops: kernels 1..5
/// and non-square, strides 1..3, dilation 2, valid / same / explicit padding, multipliers 1..3,
/// channel counts below, at and above a vector (1, 3, 8, 17, 40), fused activations, no bias;
/// padding of one, two and four sides, and a MobileNet-style block (pad, depthwise stride 2,
/// pointwise) put together.
/// </summary>
public sealed class MobileConvForwardTests(MobileConvForwardTests.Networks networks)
    : IClassFixture<MobileConvForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(MobileConvForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases =
        ForwardCase.Unique(DepthwiseCases().Concat(SeparableCases()).Concat(PaddingCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> DepthwiseCases()
    {
        var grid = new (int Kh, int Kw, int Multiplier, int Stride, int Dilation, bool Same, int C, Activation Activation, bool Bias)[]
        {
            (3, 3, 1, 1, 1, true, 8, Activation.Relu, true),
            (3, 3, 1, 2, 1, true, 17, Activation.Linear, true),
            (3, 3, 2, 1, 1, false, 3, Activation.Relu, false),
            (5, 5, 1, 2, 1, true, 40, Activation.Tanh, true),
            (1, 1, 3, 1, 1, false, 1, Activation.Linear, true),
            (2, 3, 1, 3, 1, false, 8, Activation.LeakyRelu, true),
            (3, 3, 2, 1, 2, true, 5, Activation.Linear, true),
            (4, 4, 1, 1, 1, true, 3, Activation.Sigmoid, false),
        };
        foreach (var (kh, kw, m, stride, dilation, same, c, activation, bias) in grid)
        {
            yield return new ForwardCase($"Depthwise_k{kh}x{kw}_m{m}_s{stride}_d{dilation}_{(same ? "same" : "valid")}_c{c}_{activation}{(bias ? "" : "_nobias")}".ToLowerInvariant(),
                7, 8, c, new DepthwiseConv2DLayer(kh, kw, m, stride, dilation, same, activation, UseBias: bias));
        }
        yield return new ForwardCase("Depthwise_explicit_pads", 6, 7, 4, new DepthwiseConv2DLayer(3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0)));
    }

    private static IEnumerable<ForwardCase> SeparableCases()
    {
        yield return new ForwardCase("Separable_k3_same_c8to16_relu", 6, 6, 8, new SeparableConv2DLayer(16, 3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("Separable_k3_m2_s2_valid_c3to5", 7, 8, 3, new SeparableConv2DLayer(5, 3, 3, Multiplier: 2, Stride: 2));
        yield return new ForwardCase("Separable_k5x3_same_c17to9_nobias_tanh", 5, 6, 17, new SeparableConv2DLayer(9, 5, 3, Same: true, Activation: Activation.Tanh, UseBias: false));
    }

    private static IEnumerable<ForwardCase> PaddingCases()
    {
        yield return new ForwardCase("ZeroPad_1", 4, 5, 3, new ZeroPadding2DLayer(1, 1, 1, 1));
        yield return new ForwardCase("ZeroPad_2_1", 3, 3, 8, new ZeroPadding2DLayer(2, 2, 1, 1));
        yield return new ForwardCase("ZeroPad_0_1_2_0", 4, 3, 17, new ZeroPadding2DLayer(0, 1, 2, 0));
        // MobileNetV2's downsampling: pad the bottom/right (TensorFlow's correct_pad), depthwise 3x3 stride 2 valid, pointwise.
        yield return new ForwardCase("ZeroPad_mobilenet_block", 8, 8, 8,
            new ZeroPadding2DLayer(0, 1, 0, 1), new DepthwiseConv2DLayer(3, 3, Stride: 2, Activation: Activation.Relu, UseBias: false),
            new Conv2DLayer(16, 1, 1));
    }
}
