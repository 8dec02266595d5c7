using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// The generated depthwise weight, bias and input gradients against finite differences, on the
/// variants written differently: channels 12, 24, 40 and 72 (a tail vector whose overlapped lanes the
/// weight gradient masks), 16 and more (the Vector512 bodies), strides 1 (the input gradient is
/// the tiled correlation with the flipped kernel) and 2 (its gather skips the taps that land
/// between output pixels), same / valid / explicit
/// padding, multiplier 2, 3x3 sums in registers and 5x5 ones in memory (on AVX2), Relu6 and
/// HardSwish fused, and SeparableConv2D's depthwise part. Each sits above a trainable 1x1
/// convolution, which checks the input gradient.
/// </summary>
public sealed class GeneratedDepthwiseGradientTests(GeneratedDepthwiseGradientTests.Networks networks)
    : IClassFixture<GeneratedDepthwiseGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GeneratedDepthwiseGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(GradientCasesList());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    internal static IEnumerable<ForwardCase> GradientCasesList()
    {
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s2_same_c12_relu6", 5, 6, 12, new DepthwiseConv2DLayer(3, 3, Stride: 2, Same: true, Activation: Activation.Relu6));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s1_same_c24_hardswish", 4, 5, 24, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.HardSwish));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s2_valid_c40_nobias", 5, 5, 40, new DepthwiseConv2DLayer(3, 3, Stride: 2, UseBias: false));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s1_same_c16", 4, 4, 16, new DepthwiseConv2DLayer(3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s2_same_c32_relu6", 5, 5, 32, new DepthwiseConv2DLayer(3, 3, Stride: 2, Same: true, Activation: Activation.Relu6));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_m2_s2_same_c12", 5, 4, 12, new DepthwiseConv2DLayer(3, 3, Multiplier: 2, Stride: 2, Same: true));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_m2_s1_valid_c8", 5, 5, 8, new DepthwiseConv2DLayer(3, 3, Multiplier: 2));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k5_s2_pads_c20", 6, 6, 20,
            new DepthwiseConv2DLayer(5, 5, Stride: 2, Pads: new Reference.Pads(2, 1, 1, 2)));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s3_same_c12", 7, 7, 12, new DepthwiseConv2DLayer(3, 3, Stride: 3, Same: true));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_d2_same_c12", 5, 5, 12, new DepthwiseConv2DLayer(3, 3, Dilation: 2, Same: true));
        // The stride-1 input gradient as a tiled correlation with the flipped kernel: interiors
        // that are not a multiple of the tile, narrower than a tile, 72 channels (an overlapping
        // last vector), 5x5 valid (padded by 4 for the correlation), dilation with asymmetric
        // padding, multiplier 2.
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s1_same_c72_w11_relu6", 4, 11, 72, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.Relu6));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s1_same_c16_w2", 4, 2, 16, new DepthwiseConv2DLayer(3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k5_s1_valid_c24_w9", 6, 9, 24, new DepthwiseConv2DLayer(5, 5));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_s1_d2_pads_c20_w10", 6, 10, 20,
            new DepthwiseConv2DLayer(3, 3, Dilation: 2, Pads: new Reference.Pads(2, 1, 0, 2), Activation: Activation.HardSwish));
        yield return GradientCases.WithTrainableInput("GenDwGrad_k3_m2_s1_same_c12_w13", 4, 13, 12, new DepthwiseConv2DLayer(3, 3, Multiplier: 2, Same: true));
        yield return GradientCases.WithTrainableInput("GenSepGrad_k3_s2_same_c12to24_hardswish", 5, 5, 12,
            new SeparableConv2DLayer(24, 3, 3, Stride: 2, Same: true, Activation: Activation.HardSwish));
    }
}

/// <summary>The cases of 16 channels and more (and the multiplier-2 ones) on the Vector256 bodies, as every AVX2-only CPU runs them.</summary>
public sealed class GeneratedDepthwiseVector256GradientTests(GeneratedDepthwiseVector256GradientTests.Networks networks)
    : IClassFixture<GeneratedDepthwiseVector256GradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GeneratedDepthwiseVector256GradientTests), Cases, forceVector256: true);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(GeneratedDepthwiseGradientTests.GradientCasesList()
        .Where(c => c.Channels >= 16 || c.Name.Contains("_m2_", System.StringComparison.Ordinal)));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);
}
