using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Layers.Conv2D;

/// <summary>
/// Conv2D over channel counts. The generator tiles output channels into blocks of up to eight
/// Vector256 accumulators (64 channels), repeats full blocks in a loop, and finishes with a
/// smaller vector block and scalar accumulators; input channels are unrolled up to four and
/// looped above. 72 filters add a vector block after one full block; 130 filters repeat the
/// full block and end with two scalars. On an AVX-512 machine layers of 24 channels and more run
/// Vector512 blocks that end in a Vector256, a Vector128 and scalar blocks (47 filters: 32 + 8 + 4
/// + 3). Fused activations ride along so they are checked in every block form.
/// </summary>
public sealed class Conv2DChannelForwardTests(Conv2DChannelForwardTests.Networks networks)
    : IClassFixture<Conv2DChannelForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Conv2DChannelForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(ChannelCases().Concat(WholeBlockCases()).Concat(PixelLaneCases()).Concat(NarrowTailCases()).Concat(PictureCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> ChannelCases()
    {
        var activations = new (Activation Activation, double Alpha, string Suffix)[]
        {
            (Activation.Linear, double.NaN, ""),
            (Activation.Relu, double.NaN, "_relu"),
            (Activation.LeakyRelu, 0.2, "_leaky0p2"),
        };
        int i = 0;
        foreach (int cin in new[] { 1, 3, 7, 8, 16, 17 })
        foreach (int cout in new[] { 1, 3, 7, 8, 16, 17, 72, 130 })
        {
            bool same = i % 2 == 1;
            bool useBias = i % 3 != 2;
            var (activation, alpha, suffix) = activations[i % activations.Length];
            string name = $"ConvChannels_c{cin}to{cout}_{(same ? "same" : "valid")}{suffix}{(useBias ? "" : "_nobias")}";
            yield return new ForwardCase(name, 5, 6, cin, new Conv2DLayer(cout, 3, 3, Same: same, Activation: activation, Alpha: alpha, UseBias: useBias));
            i++;
        }
    }

    /// <summary>Filter counts that are exact multiples of the 64-channel block: no remainder block at all.</summary>
    private static IEnumerable<ForwardCase> WholeBlockCases()
    {
        foreach (int cin in new[] { 3, 17 })
        foreach (int cout in new[] { 64, 128 })
        {
            yield return new ForwardCase($"ConvWholeBlocks_c{cin}to{cout}_same_relu", 4, 5, cin,
                new Conv2DLayer(cout, 3, 3, Same: true, Activation: Activation.Relu));
        }
    }

    /// <summary>
    /// Filters that leave 4 to 7 channels after the Vector256 vectors (12, 21, 47): the last four
    /// are a Vector128 block, with scalars after it when more remain; with every fused activation
    /// of the epilogue and as the input gradient's channels (24 to 12 as in the U-Net sample).
    /// </summary>
    private static IEnumerable<ForwardCase> NarrowTailCases()
    {
        yield return new ForwardCase("ConvNarrowTail_c3to12_same_relu", 6, 7, 3, new Conv2DLayer(12, 3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvNarrowTail_c24to12_same_nobias", 5, 6, 24, new Conv2DLayer(12, 3, 3, Same: true, UseBias: false));
        yield return new ForwardCase("ConvNarrowTail_c12to21_valid_leaky0p1", 5, 6, 12, new Conv2DLayer(21, 3, 3, Activation: Activation.LeakyRelu, Alpha: 0.1));
        yield return new ForwardCase("ConvNarrowTail_c5to47_s2_same_relu6", 7, 6, 5, new Conv2DLayer(47, 3, 3, Stride: 2, Same: true, Activation: Activation.Relu6));
        yield return new ForwardCase("ConvNarrowTail_c7to14_k1_hardswish", 4, 5, 7, new Conv2DLayer(14, 1, 1, Activation: Activation.HardSwish));
    }

    /// <summary>
    /// Weights large next to the map (the generator's picture plan, PicturePlan.cs): channel blocks
    /// outermost, tiles over the whole map's pixels, the last tile's spare slots on the last pixel.
    /// 512 to 64 on 5x5 (25 pixels: 5 tiles of 5 with Vector512, not a multiple of the 3-pixel tiles of Vector256) has a weight slice
    /// over the L2 budget in both widths, so its input channels come in blocks whose partial sums go
    /// through the output (4 of 128 with Vector512, 2 of 256 with Vector256); 256 to 80 3x3 s2 has a
    /// full and a 1-vector block with Vector512 (blocks of 128 input channels) and a loop of two and
    /// a 2-vector block with Vector256 (rows of 4 pixels, not blocked), no bias; 256 to 512 1x1 s2
    /// (a 4x4 map, narrower than a tile) is not blocked. All filter counts fill 512-bit vectors, so
    /// Vector256PathForwardTests runs them on the Vector256 bodies too. The ResNet-18 shapes of
    /// stages 3 and 4 (weights larger than L2, so the picture plan with each channel block's weights
    /// packed before its tiles): 28x28x128 to 256 stride 2 (not blocked), 14x14x256 to 256 and to 512
    /// stride 2 and 7x7x512 to 512 (blocked in 128 or 256 input channels, 196 and 49 pixels). Stage 2's
    /// 56x56x64 to 128 stride 2 takes the picture plan with Vector256 only (its 36 KB slices exceed L1)
    /// and rows with Vector512.
    /// </summary>
    internal static IEnumerable<ForwardCase> PictureCases()
    {
        yield return new ForwardCase("ConvPicture_resnet_c64to128_s2_w56", 56, 56, 64, new Conv2DLayer(128, 3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0), Activation: Activation.Relu));
        yield return new ForwardCase("ConvPicture_resnet_c128to256_s2_w28", 28, 28, 128, new Conv2DLayer(256, 3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0), Activation: Activation.Relu));
        yield return new ForwardCase("ConvPicture_resnet_c256to256_same_w14", 14, 14, 256, new Conv2DLayer(256, 3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPicture_resnet_c256to512_s2_w14", 14, 14, 256, new Conv2DLayer(512, 3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0), Activation: Activation.Relu));
        yield return new ForwardCase("ConvPicture_resnet_c512to512_same_w7_nobias", 7, 7, 512, new Conv2DLayer(512, 3, 3, Same: true, UseBias: false));
        yield return new ForwardCase("ConvPicture_c512to64_same_relu_w5", 5, 5, 512, new Conv2DLayer(64, 3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPicture_c256to80_s2_valid_nobias", 7, 9, 256, new Conv2DLayer(80, 3, 3, Stride: 2, UseBias: false));
        yield return new ForwardCase("ConvPicture_c256to512_k1_s2_same", 7, 7, 256, new Conv2DLayer(512, 1, 1, Stride: 2, Same: true, Activation: Activation.LeakyRelu, Alpha: 0.1));
    }

    /// <summary>
    /// Fewer filters than a Vector256 and stride 1 along rows of at least 8 output pixels: the
    /// kernel puts pixels in the lanes, whole vectors and a last one overlapping the one before
    /// (widths 28, 13, 26 are not multiples of 8 or 16), input channels copied into planes when
    /// more than one (3, 5 and 16, the last a loop), 1, 4, 6 and 7 filters, dilation, stride 2
    /// down the rows, uneven padding. Width 5 and stride 2 along the rows keep channels in the lanes.
    /// </summary>
    internal static IEnumerable<ForwardCase> PixelLaneCases()
    {
        yield return new ForwardCase("ConvPixelLanes_c1to6_k5_same_relu_w28", 6, 28, 1, new Conv2DLayer(6, 5, 5, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPixelLanes_c1to6_k5_same_relu", 7, 19, 1, new Conv2DLayer(6, 5, 5, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPixelLanes_c1to3_k3_valid_d2_leaky", 9, 20, 1, new Conv2DLayer(3, 3, 3, Dilation: 2, Activation: Activation.LeakyRelu, Alpha: 0.1));
        yield return new ForwardCase("ConvPixelLanes_c1to1_k2x4_valid_nobias", 6, 16, 1, new Conv2DLayer(1, 2, 4, UseBias: false));
        yield return new ForwardCase("ConvPixelLanes_c3to4_k3_same_w13", 5, 13, 3, new Conv2DLayer(4, 3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPixelLanes_c3to7_k3_valid_d2_w20", 8, 20, 3, new Conv2DLayer(7, 3, 3, Dilation: 2));
        yield return new ForwardCase("ConvPixelLanes_c3to1_k3_valid_w28", 5, 28, 3, new Conv2DLayer(1, 3, 3, Activation: Activation.Relu6));
        yield return new ForwardCase("ConvPixelLanes_c16to6_k5_same_nobias_w14", 6, 14, 16, new Conv2DLayer(6, 5, 5, Same: true, UseBias: false));
        yield return new ForwardCase("ConvPixelLanes_c5to7_k1_hardswish_w17", 3, 17, 5, new Conv2DLayer(7, 1, 1, Activation: Activation.HardSwish));
        yield return new ForwardCase("ConvPixelLanes_c3to6_k3_s2_same_w28", 9, 28, 3, new Conv2DLayer(6, 3, 3, Stride: 2, Same: true));
        yield return new ForwardCase("ConvPixelLanes_c1to4_k5_same_w5", 6, 5, 1, new Conv2DLayer(4, 5, 5, Same: true));
        // 8 filters on rows of 16+ pixels: the Vector512 body puts 16 pixels in the lanes and transposes
        // each vector of 8 filters to NHWC in registers (rows of 18, 33 and 80: overlapping last vectors,
        // tiles of 3 and a second tile); 12 filters and 8 filters from 5 channels keep channels in the lanes.
        yield return new ForwardCase("ConvPixelLanes_c3to8_k3_valid_relu_w20", 4, 20, 3, new Conv2DLayer(8, 3, 3, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPixelLanes_c2to8_k3_same_nobias_w33", 3, 33, 2, new Conv2DLayer(8, 3, 3, Same: true, UseBias: false));
        yield return new ForwardCase("ConvPixelLanes_c1to8_k5_same_leaky_w80", 3, 80, 1, new Conv2DLayer(8, 5, 5, Same: true, Activation: Activation.LeakyRelu, Alpha: 0.1));
        yield return new ForwardCase("ConvPixelLanes_c4to8_k3_valid_d2_w54", 6, 54, 4, new Conv2DLayer(8, 3, 3, Dilation: 2));
        yield return new ForwardCase("ConvPixelLanes_c3to12_k3_same_w20", 3, 20, 3, new Conv2DLayer(12, 3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("ConvPixelLanes_c5to8_k3_valid_w20", 3, 20, 5, new Conv2DLayer(8, 3, 3));
        yield return new ForwardCase("ConvPixelLanes_c2to5_k3_pads1021_w18", 5, 18, 2, new Conv2DLayer(5, 3, 3, Pads: new Pads(1, 0, 2, 1), Activation: Activation.Relu));
    }
}
