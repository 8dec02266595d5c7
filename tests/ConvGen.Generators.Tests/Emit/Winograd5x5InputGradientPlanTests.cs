using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Tests.Emit;

/// <summary>
/// The rule that sends a 5x5 convolution's input gradient to Winograd F(2x2, 5x5) (Winograd5x5InputGradientPlan.Applies,
/// on the forward layer): fashion's conv2 (14x14, 32 -> 64, pad 2) takes it, at every padding from 0 to 4, and so do
/// 64 -> 32, 32 -> 32 and 7x7 maps; its first layer (1 channel), 16 input channels or filters, maps under 7x7, and layers
/// strided, dilated, unevenly padded or not 5x5 keep the direct gather.
/// </summary>
public sealed class Winograd5x5InputGradientPlanTests
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
    public void Fashions_conv2_and_the_measured_shapes_take_it()
    {
        Assert.True(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64)));
        Assert.True(Winograd5x5InputGradientPlan.Applies(Conv(14, 64, 32)));
        Assert.True(Winograd5x5InputGradientPlan.Applies(Conv(28, 32, 32)));
        Assert.True(Winograd5x5InputGradientPlan.Applies(Conv(7, 64, 64)));
    }

    [Fact]
    public void Every_padding_up_to_4_is_eligible()
    {
        for (int pad = 0; pad <= 4; pad++)
        {
            Assert.True(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64, pad: pad)), $"pad {pad}");
        }
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64, pad: 5)));
    }

    [Fact]
    public void Other_layers_keep_the_direct_gather()
    {
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(28, 1, 32)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 16, 64)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 64, 16)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(6, 64, 64)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(28, 32, 64, stride: 2)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(28, 32, 64, dilation: 2, pad: 4)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64, padBottom: 1)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64, kernel: 3, pad: 1)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64, kind: LayerKind.DepthwiseConv2D)));
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 32, 64, kind: LayerKind.Conv2DTranspose)));
        // 36 x 700 x 700 = 17.6 M transformed values: over the scratch bound.
        Assert.False(Winograd5x5InputGradientPlan.Applies(Conv(14, 700, 700)));
    }
}
