using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Segmentation;

/// <summary>Encoder-decoder networks shared by the forward and the gradient tests.</summary>
internal static class SegmentationCases
{
    /// <summary>
    /// Conv2DTranspose over Keras's output-size rules: valid with the kernel above, equal to and
    /// below the stride (then the output is in * stride, zeros past the last tap), same with odd
    /// and even kernels, OutputPadding with both paddings, dilation, non-square kernels, a fused
    /// activation and no bias.
    /// </summary>
    public static IEnumerable<ForwardCase> Transposed()
    {
        yield return Case("ConvT_k3_s2_valid", 4, 5, 3, new Conv2DTransposeLayer(5, 3, 3, Stride: 2));
        yield return Case("ConvT_k2_s2_valid", 3, 4, 4, new Conv2DTransposeLayer(3, 2, 2, Stride: 2));
        yield return Case("ConvT_k1_s3_valid", 3, 2, 2, new Conv2DTransposeLayer(2, 1, 1, Stride: 3));
        yield return Case("ConvT_k3_s2_same", 4, 3, 3, new Conv2DTransposeLayer(4, 3, 3, Stride: 2, Same: true, Activation: Activation.Tanh));
        yield return Case("ConvT_k4_s2_same", 3, 3, 2, new Conv2DTransposeLayer(3, 4, 4, Stride: 2, Same: true));
        yield return Case("ConvT_k3_s2_same_op1", 3, 4, 3, new Conv2DTransposeLayer(4, 3, 3, Stride: 2, Same: true, OutputPadding: 1));
        yield return Case("ConvT_k3_s3_valid_op2", 3, 3, 2, new Conv2DTransposeLayer(3, 3, 3, Stride: 3, OutputPadding: 2));
        yield return Case("ConvT_k3_s1_same", 5, 4, 3, new Conv2DTransposeLayer(6, 3, 3, Same: true, UseBias: false));
        yield return Case("ConvT_k2x3_s2_d2_valid", 3, 4, 2, new Conv2DTransposeLayer(3, 2, 3, Stride: 2, Dilation: 2));
        yield return Case("ConvT_k3_s2_sigmoid_17", 3, 3, 5, new Conv2DTransposeLayer(17, 3, 3, Stride: 2, Same: true, Activation: Activation.Sigmoid));
    }

    /// <summary>Nearest and bilinear upsampling, square and not, a 1x1 input (every output reads the one cell) and a factor of 1.</summary>
    public static IEnumerable<ForwardCase> UpSampling()
    {
        foreach (bool bilinear in new[] { false, true })
        {
            string kind = bilinear ? "Bilinear" : "Nearest";
            yield return Case($"Up{kind}_2", 3, 4, 3, new UpSampling2DLayer(2, 2, bilinear));
            yield return Case($"Up{kind}_3x2", 4, 3, 5, new UpSampling2DLayer(3, 2, bilinear));
            yield return Case($"Up{kind}_4_one_pixel", 1, 1, 2, new UpSampling2DLayer(4, 4, bilinear));
            yield return Case($"Up{kind}_1x3", 2, 5, 9, new UpSampling2DLayer(1, 3, bilinear));
        }
    }

    public static IEnumerable<ForwardCase> Cropping()
    {
        yield return Case("Crop_1111", 5, 6, 3, new Cropping2DLayer(1, 1, 1, 1));
        yield return Case("Crop_0213", 6, 7, 2, new Cropping2DLayer(0, 2, 1, 3));
    }

    /// <summary>
    /// Concatenate of two and three maps, the network input among them, the previous layer in
    /// the middle (so sources before and after it take their slices through stashes) and a layer
    /// joined twice; and a small U-Net with valid convolutions, a cropped skip, a transposed
    /// convolution and a bilinear branch.
    /// </summary>
    public static IEnumerable<ForwardCase> Graphs()
    {
        yield return new ForwardCase("Concat_two", 4, 5, 2,
            new Conv2DLayer(3, 1, 1) { Name = "a" },
            new Conv2DLayer(4, 3, 3, Same: true, Activation: Activation.Tanh) { Name = "b" },
            new ConcatenateLayer("a", "b"),
            new Conv2DLayer(2, 1, 1));
        yield return new ForwardCase("Concat_three_chain_in_middle", 4, 4, 2,
            new Conv2DLayer(3, 1, 1, Activation: Activation.Tanh) { Name = "a" },
            new Conv2DLayer(5, 1, 1) { Name = "c" },
            new Conv2DLayer(2, 3, 3, Same: true) { Name = "b", Input = "a" },
            new ConcatenateLayer("a", "b", "c"),
            new Conv2DLayer(3, 1, 1));
        yield return new ForwardCase("Concat_input_and_twice", 3, 4, 2,
            new Conv2DLayer(4, 1, 1, Activation: Activation.Tanh) { Name = "a" },
            new ConcatenateLayer("input", "a", "a"),
            new Conv2DLayer(3, 1, 1));
        yield return new ForwardCase("UNet_small", 12, 12, 1,
            new Conv2DLayer(3, 3, 3, Activation: Activation.Tanh) { Name = "encoder" },
            new Pool2DLayer(Max: false, 2, 2),
            new Conv2DLayer(4, 3, 3, Activation: Activation.Tanh) { Name = "bottleneck" },
            new Conv2DTransposeLayer(3, 2, 2, Stride: 2) { Name = "up" },
            new Cropping2DLayer(2, 2, 2, 2) { Input = "encoder", Name = "skip" },
            new UpSampling2DLayer(2, 2, Bilinear: true) { Input = "bottleneck", Name = "resized" },
            new ConcatenateLayer("up", "skip", "resized"),
            new Conv2DLayer(2, 1, 1));
    }

    private static ForwardCase Case(string name, int height, int width, int channels, TestLayer layer) =>
        Gradients.GradientCases.WithTrainableInput(name, height, width, channels, layer);

    public static readonly IReadOnlyList<ForwardCase> All = ForwardCase.Unique(
        System.Linq.Enumerable.Concat(Transposed(), System.Linq.Enumerable.Concat(UpSampling(), System.Linq.Enumerable.Concat(Cropping(), Graphs()))));
}
