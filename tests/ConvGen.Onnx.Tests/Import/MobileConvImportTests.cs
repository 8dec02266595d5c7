using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Hostile;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>
/// Pad and depthwise Conv nodes as other exporters write them: Pad's pads as an input (opset 13),
/// a Conv with one group per input channel and a multiplier of 2; and the Pad and group forms
/// ConvGen cannot express, each refused with the node named and the value that is wrong.
/// </summary>
public sealed class MobileConvImportTests
{
    /// <summary>[1,2,6,6] → Pad (top 1, left 2, bottom 0, right 1) → depthwise 3x3, 2 per channel, stride 2 → global average → flatten.</summary>
    private static OnnxModel PadThenDepthwise(long[] pads, string mode = "constant", long group = 2, int perGroup = 1)
    {
        var model = new OnnxModel { ProducerName = "tests" };
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 6, 6));
        g.Initializers.Add(OnnxTensor.FromInt64s("pads", pads, pads.Length));
        g.Initializers.Add(OnnxTensor.FromFloats("w", Enumerable.Range(0, 4 * perGroup * 9).Select(i => 0.01f * i).ToArray(), 4, perGroup, 3, 3));
        g.Initializers.Add(OnnxTensor.FromFloats("b", [0.1f, 0.2f, 0.3f, 0.4f], 4));
        var pad = HostileModels.Add(g, "Pad", "pad", ["x", "pads"], "p");
        if (mode != "constant")
        {
            pad.Attributes.Add(new OnnxAttribute { Name = "mode", Type = OnnxAttributeType.String, String = System.Text.Encoding.UTF8.GetBytes(mode) });
        }
        HostileModels.Add(g, "Conv", "dw", ["p", "w", "b"], "c",
            OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInt("group", group));
        HostileModels.Add(g, "Relu", "relu", ["c"], "r");
        HostileModels.Add(g, "GlobalAveragePool", "gap", ["r"], "a");
        HostileModels.Add(g, "Flatten", "flatten", ["a"], "y", OnnxAttribute.FromInt("axis", 1));
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 4));
        return model;
    }

    [Fact]
    public void Pad_and_a_grouped_conv_with_one_channel_per_group_import_as_ZeroPadding2D_and_DepthwiseConv2D()
    {
        ImportedNetwork network = OnnxImporter.Import(PadThenDepthwise([0, 0, 1, 2, 0, 0, 0, 1]), "mobile.onnx");

        ImportedLayer pad = network.Layers[0];
        Assert.Equal(ImportedLayerKind.ZeroPadding2D, pad.Kind);
        Assert.Equal((1, 0, 2, 1), (pad.PadTop, pad.PadBottom, pad.PadLeft, pad.PadRight));
        Assert.Equal(TensorShape.Spatial(7, 9, 2), pad.OutputShape);
        ImportedLayer depthwise = network.Layers[1];
        Assert.Equal(ImportedLayerKind.DepthwiseConv2D, depthwise.Kind);
        Assert.Equal(2, depthwise.DepthMultiplier);
        Assert.Equal(Activation.Relu, depthwise.Activation); // fused like Conv2D's
        Assert.Equal(TensorShape.Spatial(3, 4, 4), depthwise.OutputShape);
        // OIHW [4,1,3,3] → Keras [3,3,2,2]: tap (0,0) of output channel c*2+j is w[c*2+j, 0, 0, 0].
        var weight = network.Weights.Single(w => w.Name == depthwise.Name + ".weight");
        Assert.Equal([3, 3, 2, 2], weight.Shape);
        Assert.Equal([0f, 0.09f, 0.18f, 0.27f], weight.Data.Take(4).Select(v => MathF.Round(v, 4)).ToArray());

        string declaration = DeclarationWriter.Render(network, "Samples", "MobileNet");
        Assert.Contains("[ZeroPadding2D(1, 0, 2, 1, Name = \"pad\")]", declaration);
        Assert.Contains("[DepthwiseConv2D(3, DepthMultiplier = 2, Stride = 2, Activation = Activation.Relu, Name = \"dw\")]", declaration);
        string text = TextFormWriter.Render(network);
        Assert.Contains("zeropadding2d 1 0 2 1 name=pad", text);
        Assert.Contains("depthwiseconv2d 3 multiplier=2 stride=2 relu name=dw", text);
    }

    [Theory]
    [InlineData(new long[] { 0, 1, 0, 0, 0, 0, 0, 0 }, "pad the batch or channel axis")]
    [InlineData(new long[] { 0, 0, -1, 0, 0, 0, 0, 0 }, "negative pads crop")]
    [InlineData(new long[] { 0, 0, 1, 1 }, "are not 8 values")]
    public void Pads_ConvGen_cannot_express_are_refused(long[] pads, string fragment)
    {
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(PadThenDepthwise(pads), "mobile.onnx"));
        Assert.Contains("Pad 'pad'", error.Message);
        Assert.Contains(fragment, Assert.Single(error.Issues).Reason);
    }

    [Fact]
    public void Reflect_padding_is_refused()
    {
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(PadThenDepthwise([0, 0, 1, 1, 0, 0, 1, 1], mode: "reflect"), "mobile.onnx"));
        Assert.Contains("mode 'reflect': only constant (zero) padding is supported", Assert.Single(error.Issues).Reason);
    }

    [Fact]
    public void A_grouped_conv_with_several_channels_per_group_is_refused()
    {
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(PadThenDepthwise([0, 0, 1, 1, 0, 0, 1, 1], group: 2, perGroup: 2), "mobile.onnx"));
        ImportIssue issue = Assert.Single(error.Issues);
        Assert.Equal(("dw", "Conv"), (issue.NodeName, issue.OpType));
        Assert.Contains("attribute 'group' = 2", issue.Reason);
        Assert.Contains("depthwise convolutions (group = input channels", issue.Reason);
    }
}
