using ConvGen.Generators.Emit;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Tests.Emit;

/// <summary>
/// The rule that sends a 5x5 convolution to Winograd F(2x2, 5x5) (Winograd5x5Plan.Applies): fashion's conv2
/// (14x14, 32 -> 64, pad 2) takes it, at paddings up to 4; its first layer (1 channel), 64 -> 32 (32 filters), 7x7
/// maps, and layers strided, dilated, unevenly padded or not 5x5 keep the direct body. (Input gradients have their
/// own rule, Winograd5x5InputGradientPlan.)
/// </summary>
public sealed class Winograd5x5PlanTests
{
    private static LayerPlan Conv(int size, int cin, int cout, int kernel = 5, int stride = 1, int dilation = 1, int pad = 2, int padBottom = -1, LayerKind kind = LayerKind.Conv2D)
    {
        int outSize = (size + pad + (padBottom < 0 ? pad : padBottom) - ((kernel - 1) * dilation + 1)) / stride + 1;
        return new LayerPlan(0, "conv", kind, Shape.Spatial(size, size, cin), Shape.Spatial(outSize, outSize, cout))
        {
            Window = new Window(kernel, kernel, stride, stride, dilation, dilation, outSize, outSize, pad, padBottom < 0 ? pad : padBottom, pad, pad),
        };
    }

    [Fact]
    public void Fashions_layers_take_the_measured_choice()
    {
        Assert.False(Winograd5x5Plan.Applies(Conv(28, 1, 32)));
        Assert.True(Winograd5x5Plan.Applies(Conv(14, 32, 64)));
        // 64 channels into 32 (as a forward layer) ran slower than direct on AVX-512.
        Assert.False(Winograd5x5Plan.Applies(Conv(14, 64, 32)));
    }

    [Fact]
    public void Every_padding_up_to_4_is_eligible()
    {
        Assert.True(Winograd5x5Plan.Applies(Conv(14, 64, 64, pad: 4)));
        Assert.True(Winograd5x5Plan.Applies(Conv(18, 64, 64, pad: 0)));
        Assert.False(Winograd5x5Plan.Applies(Conv(12, 64, 64, pad: 5)));
    }

    [Fact]
    public void Other_layers_keep_the_direct_body()
    {
        Assert.False(Winograd5x5Plan.Applies(Conv(7, 64, 64)));
        Assert.False(Winograd5x5Plan.Applies(Conv(14, 16, 64)));
        Assert.False(Winograd5x5Plan.Applies(Conv(28, 32, 64, stride: 2)));
        Assert.False(Winograd5x5Plan.Applies(Conv(28, 32, 64, dilation: 2, pad: 4)));
        Assert.False(Winograd5x5Plan.Applies(Conv(14, 32, 64, padBottom: 1)));
        Assert.False(Winograd5x5Plan.Applies(Conv(14, 32, 64, kernel: 3, pad: 1)));
        Assert.False(Winograd5x5Plan.Applies(Conv(14, 32, 64, kind: LayerKind.DepthwiseConv2D)));
        // 36 x 700 x 700 = 17.6 M transformed values: over the scratch bound.
        Assert.False(Winograd5x5Plan.Applies(Conv(14, 700, 700)));
    }
}
