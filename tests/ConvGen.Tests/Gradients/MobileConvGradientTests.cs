using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// DepthwiseConv2D, SeparableConv2D and ZeroPadding2D backward (weight, bias and input gradients)
/// against finite differences: strides 1 and 2, multipliers 1 and 2 (and 3), same and valid
/// padding, dilation, with and without bias, fused activations. Each sits above a trainable 1x1
/// convolution, which checks its input gradient.
/// </summary>
public sealed class MobileConvGradientTests(MobileConvGradientTests.Networks networks)
    : IClassFixture<MobileConvGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(MobileConvGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(DepthwiseCases().Concat(SeparableCases()).Concat(PaddingCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> DepthwiseCases()
    {
        foreach (int stride in new[] { 1, 2 })
        foreach (int multiplier in new[] { 1, 2 })
        foreach (bool same in new[] { false, true })
        {
            int channels = multiplier == 1 ? 9 : 3;
            var activation = (stride + multiplier) % 2 == 0 ? Activation.Tanh : Activation.Linear;
            bool bias = !(same && stride == 2);
            yield return GradientCases.WithTrainableInput($"DepthwiseGrad_k3_s{stride}_m{multiplier}_{(same ? "same" : "valid")}_{activation}{(bias ? "" : "_nobias")}".ToLowerInvariant(),
                5, 6, channels, new DepthwiseConv2DLayer(3, 3, multiplier, stride, Same: same, Activation: activation, UseBias: bias));
        }
        yield return GradientCases.WithTrainableInput("DepthwiseGrad_k2x3_m3_d2_same", 5, 5, 2, new DepthwiseConv2DLayer(2, 3, 3, Dilation: 2, Same: true));
        yield return GradientCases.WithTrainableInput("DepthwiseGrad_k5_s2_pads", 6, 7, 4,
            new DepthwiseConv2DLayer(5, 5, Stride: 2, Pads: new Reference.Pads(2, 1, 2, 1), Activation: Activation.Relu));
    }

    private static IEnumerable<ForwardCase> SeparableCases()
    {
        yield return GradientCases.WithTrainableInput("SeparableGrad_k3_same_c4to6", 5, 5, 4, new SeparableConv2DLayer(6, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("SeparableGrad_k3_m2_s2_valid_c3to9_tanh", 6, 7, 3,
            new SeparableConv2DLayer(9, 3, 3, Multiplier: 2, Stride: 2, Activation: Activation.Tanh));
        yield return GradientCases.WithTrainableInput("SeparableGrad_k3_s2_same_c8to17_nobias", 5, 6, 8,
            new SeparableConv2DLayer(17, 3, 3, Stride: 2, Same: true, UseBias: false));
    }

    private static IEnumerable<ForwardCase> PaddingCases()
    {
        yield return GradientCases.WithTrainableInput("ZeroPadGrad_1", 3, 4, 3, new ZeroPadding2DLayer(1, 1, 1, 1), new DepthwiseConv2DLayer(3, 3, Stride: 2));
        yield return GradientCases.WithTrainableInput("ZeroPadGrad_0_1_2_0", 4, 3, 5, new ZeroPadding2DLayer(0, 1, 2, 0), new Conv2DLayer(4, 2, 2, Activation: Activation.Tanh));
    }
}
