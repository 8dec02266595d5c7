using System;
using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>
/// A hand-built NCHW encoder-decoder in the forms other exporters write: ConvTranspose with
/// kernel = stride and PyTorch's <c>padding=1, output_padding=1</c>, Resize by Constant scales
/// (asymmetric + floor), by initializer scales (linear, half_pixel) and by sizes (ONNX's default
/// half_pixel + round_prefer_floor), Slice with Constant bounds and a negative end, Concat of six
/// maps, and a per-pixel Softmax over the channels.
/// </summary>
internal static class EncoderDecoderGraph
{
    public const int Channels = 3, Height = 6, Width = 6;

    public static OnnxModel Build()
    {
        var random = new Random(17);
        float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        var model = new OnnxModel { ProducerName = "hand-built" };
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, Channels, Height, Width));

        g.Initializers.Add(OnnxTensor.FromFloats("enc.w", Random(4 * 3 * 3 * 3), 4, 3, 3, 3));
        g.Initializers.Add(OnnxTensor.FromFloats("enc.b", Random(4), 4));
        Node(g, "Conv", "enc", ["x", "enc.w", "enc.b"], "enc", OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1)); // [4,6,6]
        Node(g, "Relu", "enc_relu", ["enc"], "enc_r");
        Node(g, "MaxPool", "pool", ["enc_r"], "pool", OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)); // [4,3,3]

        // Keras's valid rule exactly (kernel = stride), fused ReLU.
        g.Initializers.Add(OnnxTensor.FromFloats("up.w", Random(4 * 3 * 2 * 2), 4, 3, 2, 2));
        g.Initializers.Add(OnnxTensor.FromFloats("up.b", Random(3), 3));
        Node(g, "ConvTranspose", "up", ["pool", "up.w", "up.b"], "up", OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInts("kernel_shape", 2, 2)); // [3,6,6]
        Node(g, "Relu", "up_relu", ["up"], "up_r");

        // PyTorch's ConvTranspose2d(k=3, s=2, padding=1, output_padding=1): Keras valid + a crop of the first row and column.
        g.Initializers.Add(OnnxTensor.FromFloats("up_pt.w", Random(4 * 2 * 3 * 3), 4, 2, 3, 3));
        Node(g, "ConvTranspose", "up_pt", ["pool", "up_pt.w"], "up_pt", OnnxAttribute.FromInts("strides", 2, 2),
            OnnxAttribute.FromInts("pads", 1, 1, 1, 1), OnnxAttribute.FromInts("output_padding", 1, 1)); // [2,6,6]

        Node(g, "Constant", "near_scales", [], "near_scales", TensorValue(OnnxTensor.FromFloats("", [1f, 1f, 2f, 2f], 4)));
        Node(g, "Resize", "near", ["pool", "", "near_scales"], "near",
            Text("mode", "nearest"), Text("coordinate_transformation_mode", "asymmetric"), Text("nearest_mode", "floor")); // [4,6,6]

        g.Initializers.Add(OnnxTensor.FromFloats("lin_scales", [1f, 1f, 2f, 2f], 4));
        g.Initializers.Add(OnnxTensor.FromFloats("roi", [], 0));
        Node(g, "Resize", "lin", ["pool", "roi", "lin_scales"], "lin", Text("mode", "linear"), Text("coordinate_transformation_mode", "half_pixel")); // [4,6,6]

        Node(g, "Constant", "sizes", [], "sizes", new OnnxAttribute { Name = "value_ints", Type = OnnxAttributeType.Ints, Ints = { 1, 4, 6, 6 } });
        Node(g, "Resize", "sized", ["pool", "", "", "sizes"], "sized"); // ONNX defaults: nearest, half_pixel, round_prefer_floor

        g.Initializers.Add(OnnxTensor.FromFloats("wide.w", Random(2 * 3 * 3 * 3), 2, 3, 3, 3));
        Node(g, "Conv", "wide", ["x", "wide.w"], "wide", OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 2, 2, 2, 2)); // [2,8,8]
        Node(g, "Constant", "starts", [], "starts", TensorValue(OnnxTensor.FromInt64s("", [1, 2], 2)));
        Node(g, "Constant", "ends", [], "ends", TensorValue(OnnxTensor.FromInt64s("", [7, long.MaxValue], 2)));
        Node(g, "Constant", "axes", [], "axes", TensorValue(OnnxTensor.FromInt64s("", [-2, 3], 2)));
        g.Initializers.Add(OnnxTensor.FromInt64s("steps", [1, 1], 2));
        Node(g, "Slice", "skip", ["wide", "starts", "ends", "axes", "steps"], "skip"); // rows 1..6, columns 2..7: [2,6,6]

        Node(g, "Concat", "joined", ["up_r", "up_pt", "near", "lin", "sized", "skip"], "joined", OnnxAttribute.FromInt("axis", 1)); // [19,6,6]
        g.Initializers.Add(OnnxTensor.FromFloats("head.w", Random(3 * 19), 3, 19, 1, 1));
        g.Initializers.Add(OnnxTensor.FromFloats("head.b", Random(3), 3));
        Node(g, "Conv", "head", ["joined", "head.w", "head.b"], "head", OnnxAttribute.FromInts("kernel_shape", 1, 1));
        Node(g, "Softmax", "classes", ["head"], "y", OnnxAttribute.FromInt("axis", 1));
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 3, Height, Width));
        return model;
    }

    public static OnnxAttribute TensorValue(OnnxTensor tensor) => new() { Name = "value", Type = OnnxAttributeType.Tensor, Tensor = tensor };

    public static OnnxAttribute Text(string name, string value) => new() { Name = name, Type = OnnxAttributeType.String, String = System.Text.Encoding.UTF8.GetBytes(value) };

    public static void Node(OnnxGraph graph, string op, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var node = new OnnxNode { OpType = op, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.Add(output);
        node.Attributes.AddRange(attributes);
        graph.Nodes.Add(node);
    }
}
