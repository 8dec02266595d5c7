using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Layers.MobileConv;

/// <summary>
/// The generated depthwise forward bodies against the reference loops, on the variants the
/// generator writes differently: channel counts that are not a multiple of the vector (12, 24,
/// 40, 72, 120: a last vector that overlaps the one before) and ones that are, 16 and more (the
/// Vector512 body on AVX-512), strides 1 and 2, interiors tiled with and without an overlapping
/// last tile or too narrow for any, same / valid / explicit padding, dilation, multiplier 2
/// (the repeated input), windows whose weights stay in registers (3x3) and ones that do not
/// (5x5 on AVX2, 7x7), Relu6 and HardSwish fused into the store, and a SeparableConv2D whose
/// depthwise part runs on the same bodies.
/// </summary>
public sealed class GeneratedDepthwiseForwardTests(GeneratedDepthwiseForwardTests.Networks networks)
    : IClassFixture<GeneratedDepthwiseForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GeneratedDepthwiseForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(DepthwiseCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    internal static IEnumerable<ForwardCase> DepthwiseCases()
    {
        yield return new ForwardCase("GenDw_k3_s2_same_c12_relu6", 9, 8, 12, new DepthwiseConv2DLayer(3, 3, Stride: 2, Same: true, Activation: Activation.Relu6));
        yield return new ForwardCase("GenDw_k3_s1_same_c24_hardswish", 6, 7, 24, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.HardSwish));
        yield return new ForwardCase("GenDw_k3_s2_valid_c40_nobias", 7, 9, 40, new DepthwiseConv2DLayer(3, 3, Stride: 2, UseBias: false));
        yield return new ForwardCase("GenDw_k3_s1_same_c32_relu6", 5, 6, 32, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.Relu6));
        yield return new ForwardCase("GenDw_k3_s2_same_c16_hardswish", 8, 8, 16, new DepthwiseConv2DLayer(3, 3, Stride: 2, Same: true, Activation: Activation.HardSwish));
        yield return new ForwardCase("GenDw_k3_m2_s2_same_c12_hardswish", 7, 6, 12, new DepthwiseConv2DLayer(3, 3, Multiplier: 2, Stride: 2, Same: true, Activation: Activation.HardSwish));
        yield return new ForwardCase("GenDw_k3_m2_s1_valid_c20", 5, 5, 20, new DepthwiseConv2DLayer(3, 3, Multiplier: 2));
        yield return new ForwardCase("GenDw_k5_s1_same_c16_relu", 6, 6, 16, new DepthwiseConv2DLayer(5, 5, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("GenDw_k5_s2_same_c20", 9, 7, 20, new DepthwiseConv2DLayer(5, 5, Stride: 2, Same: true));
        yield return new ForwardCase("GenDw_k7_s1_same_c8", 8, 9, 8, new DepthwiseConv2DLayer(7, 7, Same: true, Activation: Activation.Relu6));
        yield return new ForwardCase("GenDw_k3_d2_pads_c12", 7, 8, 12, new DepthwiseConv2DLayer(3, 3, Dilation: 2, Pads: new Pads(2, 1, 0, 2)));
        yield return new ForwardCase("GenDw_k3_s2_pads_c24_relu6", 8, 8, 24, new DepthwiseConv2DLayer(3, 3, Stride: 2, Pads: new Pads(0, 1, 0, 1), Activation: Activation.Relu6));
        yield return new ForwardCase("GenDw_k3_s1_same_c3_hardswish", 5, 5, 3, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.HardSwish));
        // The tiled interior: widths whose interior is not a multiple of the tile (the last tile
        // overlaps), narrower than a tile, or empty (every pixel a border pixel); channel counts
        // that end in an overlapping vector (72 = 4 x 16 + 8, 120 = 7 x 16 + 8, as MobileNet's);
        // 5x5 windows whose weights are held (AVX-512) or loaded per kernel row (AVX2); dilation,
        // asymmetric padding and a multiplier of 2 at stride 1.
        yield return new ForwardCase("GenDw_k3_s1_same_c72_w13_relu6", 6, 13, 72, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.Relu6));
        yield return new ForwardCase("GenDw_k3_s1_same_c120_w10_hardswish", 5, 10, 120, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.HardSwish));
        yield return new ForwardCase("GenDw_k3_s1_same_c24_w3", 4, 3, 24, new DepthwiseConv2DLayer(3, 3, Same: true));
        yield return new ForwardCase("GenDw_k3_s1_same_c16_w2", 5, 2, 16, new DepthwiseConv2DLayer(3, 3, Same: true, Activation: Activation.Relu));
        yield return new ForwardCase("GenDw_k5_s1_valid_c72_w11", 7, 11, 72, new DepthwiseConv2DLayer(5, 5, Activation: Activation.Relu6));
        yield return new ForwardCase("GenDw_k5_s1_same_c24_w9_nobias", 6, 9, 24, new DepthwiseConv2DLayer(5, 5, Same: true, UseBias: false));
        yield return new ForwardCase("GenDw_k3_s1_d2_same_c40_w11", 7, 11, 40, new DepthwiseConv2DLayer(3, 3, Dilation: 2, Same: true));
        yield return new ForwardCase("GenDw_k3_s1_pads_c16_w12", 5, 12, 16, new DepthwiseConv2DLayer(3, 3, Pads: new Pads(2, 0, 1, 0), Activation: Activation.HardSwish));
        yield return new ForwardCase("GenDw_k3_m2_s1_same_c12_w14_relu6", 4, 14, 12, new DepthwiseConv2DLayer(3, 3, Multiplier: 2, Same: true, Activation: Activation.Relu6));
        yield return new ForwardCase("GenSep_k3_s2_same_c12to24_hardswish", 7, 7, 12, new SeparableConv2DLayer(24, 3, 3, Stride: 2, Same: true, Activation: Activation.HardSwish));
        yield return new ForwardCase("GenSep_k3_m2_same_c8to16_relu6", 5, 6, 8, new SeparableConv2DLayer(16, 3, 3, Multiplier: 2, Same: true, Activation: Activation.Relu6));
    }
}

/// <summary>
/// The same cases with <c>Vector512.IsHardwareAccelerated</c> rewritten to false: on AVX-512
/// machines the channel counts that fill a 512-bit vector (16 and more, and the multiplied ones)
/// otherwise never run the Vector256 bodies every AVX2-only CPU runs (smaller tiles, 5x5
/// weights loaded per kernel row).
/// </summary>
public sealed class GeneratedDepthwiseVector256ForwardTests(GeneratedDepthwiseVector256ForwardTests.Networks networks)
    : IClassFixture<GeneratedDepthwiseVector256ForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GeneratedDepthwiseVector256ForwardTests), Cases, forceVector256: true);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(GeneratedDepthwiseForwardTests.DepthwiseCases()
        .Where(c => c.Channels >= 16 || c.Name.Contains("_m2_", System.StringComparison.Ordinal)));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);
}
