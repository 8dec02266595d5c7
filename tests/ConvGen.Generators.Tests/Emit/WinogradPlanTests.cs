using ConvGen.Generators.Emit;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Tests.Emit;

/// <summary>
/// The rule that sends a convolution to the Winograd kernel (WinogradPlan.For): ResNet-18's 3x3
/// stride-1 layers at 56x56 and 28x28 take F(4x4), at 14x14 F(2x2), at 7x7 the direct body; so do
/// layers under 64 channels, strided, dilated, unevenly padded or not 3x3, and every entry that
/// does not split rows (the input gradient's).
/// </summary>
public sealed class WinogradPlanTests
{
    private static LayerPlan Conv(int size, int cin, int cout, int kernel = 3, int stride = 1, int dilation = 1, int pad = 1, int padBottom = -1, LayerKind kind = LayerKind.Conv2D)
    {
        int outSize = (size + pad + (padBottom < 0 ? pad : padBottom) - ((kernel - 1) * dilation + 1)) / stride + 1;
        return new LayerPlan(0, "conv", kind, Shape.Spatial(size, size, cin), Shape.Spatial(outSize, outSize, cout))
        {
            Window = new Window(kernel, kernel, stride, stride, dilation, dilation, outSize, outSize, pad, padBottom < 0 ? pad : padBottom, pad, pad),
        };
    }

    [Theory]
    [InlineData(56, 64, 64, "F4x4")]
    [InlineData(28, 128, 128, "F4x4")]
    [InlineData(14, 256, 256, "F2x2")]
    [InlineData(7, 512, 512, null)]
    public void ResNet_18s_3x3_layers_take_the_measured_choice(int size, int cin, int cout, string? tile) =>
        Assert.Equal(tile, WinogradPlan.For(Conv(size, cin, cout), splitsRows: true));

    [Fact]
    public void Pad_0_layers_are_eligible_and_their_output_map_decides() =>
        // 30x30 valid -> 28x28: F(4x4); 29x29 -> 27x27, fewer pixels than 28x28: F(2x2).
        Assert.Equal(("F4x4", "F2x2"), (WinogradPlan.For(Conv(30, 64, 64, pad: 0), true), WinogradPlan.For(Conv(29, 64, 64, pad: 0), true)));

    [Fact]
    public void Layers_too_wide_for_a_bounded_scratch_take_the_smaller_tile_or_stay_direct()
    {
        // 36 x 768 x 768 = 21 M transformed values: over the 16 M bound for F(4x4), F(2x2)'s 9.4 M are under it.
        Assert.Equal("F2x2", WinogradPlan.For(Conv(28, 768, 768), true));
        Assert.Null(WinogradPlan.For(Conv(28, 1100, 1100), true));
    }

    [Fact]
    public void Other_layers_keep_the_direct_body()
    {
        Assert.Null(WinogradPlan.For(Conv(56, 32, 64), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 32), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64, stride: 2), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64, dilation: 2, pad: 2), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64, padBottom: 0), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64, pad: 2), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64, kernel: 5, pad: 2), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64, kind: LayerKind.DepthwiseConv2D), true));
        Assert.Null(WinogradPlan.For(Conv(56, 64, 64), splitsRows: false));
    }
}
