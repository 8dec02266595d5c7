using System.IO;
using ConvGen.Serialization;

namespace ConvGen.Tests.Layers.MobileConv;

/// <summary>
/// The weights file's <c>layer_configs</c> entry knows DepthwiseConv2D, SeparableConv2D and
/// ZeroPadding2D: their configurations are written and read back equal, and a configuration on a
/// layer of another kind, or a field out of range, is refused with the row and the field named.
/// </summary>
public sealed class MobileConvConfigJsonTests
{
    private static readonly TensorShape Map = TensorShape.Spatial(8, 8, 4);

    private static readonly LayerInfo[] Layers =
    [
        new(0, "pad", "ZeroPadding2D", "pad 1,0,2,1", Map, TensorShape.Spatial(9, 11, 4), 0, Config: new ZeroPaddingConfig(1, 0, 2, 1)),
        new(1, "dw", "DepthwiseConv2D", "3x3 s2 same x2 relu", Map, TensorShape.Spatial(4, 4, 8), 80,
            Config: new DepthwiseConvolutionConfig(2, 3, 3, 2, 2, 1, 1, 0, 1, 0, 1, Padding.Same, false, Activation.Relu, 0f, true)),
        new(2, "sep", "SeparableConv2D", "16@3x3 s1 pad 1,1,0,2 leaky_relu no-bias", Map, TensorShape.Spatial(8, 9, 16), 100,
            Config: new SeparableConvolutionConfig(16, 1, 3, 3, 1, 1, 1, 1, 1, 1, 0, 2, Padding.Valid, true, Activation.LeakyRelu, 0.2f, false)),
    ];

    [Fact]
    public void Configurations_are_written_and_read_back_equal()
    {
        string json = LayerConfigJson.Write(Layers);
        LayerInfo[] read = LayerConfigJson.Attach("net.safetensors", json, Layers);
        for (int i = 0; i < Layers.Length; i++)
        {
            Assert.Equal(Layers[i].Config, read[i].Config);
        }
        Assert.Contains("\"type\":\"depthwise_convolution\"", json);
        Assert.Contains("\"depth_multiplier\":2", json);
    }

    [Fact]
    public void A_depthwise_configuration_on_a_conv_layer_is_refused_with_the_row_named()
    {
        string json = LayerConfigJson.Write(Layers);
        var renamed = new[] { Layers[0], Layers[1] with { Kind = "Conv2D" }, Layers[2] };
        var error = Assert.Throws<InvalidDataException>(() => LayerConfigJson.Attach("net.safetensors", json, renamed));
        Assert.Contains("net.safetensors", error.Message);
        Assert.Contains("entry 1 (layer 'dw')", error.Message);
        Assert.Contains("'depthwise_convolution' configuration, which does not fit a Conv2D layer", error.Message);
    }

    [Fact]
    public void A_negative_padding_side_is_refused_with_the_field_named()
    {
        string json = LayerConfigJson.Write(Layers).Replace("\"top\":1", "\"top\":-1");
        var error = Assert.Throws<InvalidDataException>(() => LayerConfigJson.Attach("net.safetensors", json, Layers));
        Assert.Contains("entry 0 (layer 'pad')", error.Message);
        Assert.Contains("field 'top' = -1 is not a whole number of at least 0", error.Message);
    }
}
