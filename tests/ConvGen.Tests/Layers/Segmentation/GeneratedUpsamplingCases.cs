using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Segmentation;

/// <summary>
/// The generated upsampling kernels' own paths, shared by the forward and gradient tests:
/// Conv2DTranspose with the kernel equal to the stride (each kernel row a register-tiled 1x1
/// convolution writing every other output row), at the sample U-Net's channel counts (48 -> 24
/// -> 12, which are not whole Vector512s per filter), with and without bias, with a fused ReLU,
/// same padding, 3x3 stride 3, and a 1x1 kernel; and bilinear / nearest upsampling of odd sizes
/// and factors, where the edge groups and the interior loop of each axis differ.
/// </summary>
internal static class GeneratedUpsamplingCases
{
    public static IEnumerable<ForwardCase> Pointwise()
    {
        yield return Case("ConvTP_k2_s2_relu_48to24", 3, 5, 48, new Conv2DTransposeLayer(24, 2, 2, Stride: 2, Activation: Activation.Relu));
        yield return Case("ConvTP_k2_s2_relu_24to12", 5, 3, 24, new Conv2DTransposeLayer(12, 2, 2, Stride: 2, Activation: Activation.Relu));
        yield return Case("ConvTP_k2_s2_nobias_12", 3, 4, 12, new Conv2DTransposeLayer(12, 2, 2, Stride: 2, UseBias: false));
        yield return Case("ConvTP_k2_s2_nobias_relu_24", 4, 3, 12, new Conv2DTransposeLayer(24, 2, 2, Stride: 2, Activation: Activation.Relu, UseBias: false));
        yield return Case("ConvTP_k2_s2_same_leaky_5", 3, 3, 7, new Conv2DTransposeLayer(5, 2, 2, Stride: 2, Same: true, Activation: Activation.LeakyRelu, Alpha: 0.2));
        yield return Case("ConvTP_k3_s3_relu6_10", 2, 3, 3, new Conv2DTransposeLayer(10, 3, 3, Stride: 3, Activation: Activation.Relu6));
        yield return Case("ConvTP_k1_s1_16", 3, 3, 9, new Conv2DTransposeLayer(16, 1, 1));
        yield return new ForwardCase("ConvTP_unet_decoder", 3, 3, 2,
            new Conv2DLayer(48, 1, 1),
            new Conv2DTransposeLayer(24, 2, 2, Stride: 2, Activation: Activation.Relu),
            new Conv2DTransposeLayer(12, 2, 2, Stride: 2, Activation: Activation.Relu),
            new Conv2DLayer(3, 1, 1));
    }

    /// <summary>The general gather at the same channel counts: kernel 3 stride 2 same, and 4 stride 2 valid with a fused ReLU.</summary>
    public static IEnumerable<ForwardCase> Gather()
    {
        yield return Case("ConvTG_k3_s2_same_relu_24to12", 3, 4, 24, new Conv2DTransposeLayer(12, 3, 3, Stride: 2, Same: true, Activation: Activation.Relu));
        yield return Case("ConvTG_k4_s2_valid_16", 3, 2, 5, new Conv2DTransposeLayer(16, 4, 4, Stride: 2));
        yield return Case("ConvTG_k2_s2_op1_relu_8", 3, 3, 4, new Conv2DTransposeLayer(8, 2, 2, Stride: 2, OutputPadding: 1, Activation: Activation.Relu));
    }

    public static IEnumerable<ForwardCase> Resampling()
    {
        yield return Case("UpG_bilinear_3_odd_12", 5, 7, 12, new UpSampling2DLayer(3, 3, Bilinear: true));
        yield return Case("UpG_bilinear_3x2_odd_7", 3, 5, 7, new UpSampling2DLayer(3, 2, Bilinear: true));
        yield return Case("UpG_bilinear_2_odd_16", 3, 5, 16, new UpSampling2DLayer(2, 2, Bilinear: true));
        yield return Case("UpG_bilinear_5_two_rows_48", 2, 3, 48, new UpSampling2DLayer(5, 5, Bilinear: true));
        yield return Case("UpG_nearest_3_odd_12", 3, 5, 12, new UpSampling2DLayer(3, 3));
        yield return Case("UpG_nearest_2x3_odd_32", 5, 3, 32, new UpSampling2DLayer(2, 3));
    }

    private static ForwardCase Case(string name, int height, int width, int channels, TestLayer layer) =>
        Gradients.GradientCases.WithTrainableInput(name, height, width, channels, layer);

    public static readonly IReadOnlyList<ForwardCase> All = ForwardCase.Unique(
        System.Linq.Enumerable.Concat(Pointwise(), System.Linq.Enumerable.Concat(Gather(), Resampling())));
}
