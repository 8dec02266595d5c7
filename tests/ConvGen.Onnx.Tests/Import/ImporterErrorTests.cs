using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Tests.Import;

public sealed class ImporterErrorTests
{
    private static OnnxModel Chain(params (string Op, OnnxAttribute[] Attributes)[] ops)
    {
        var model = new OnnxModel();
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        model.Graph.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 4, 4));
        string current = "x";
        for (int i = 0; i < ops.Length; i++)
        {
            var node = new OnnxNode { OpType = ops[i].Op, Name = $"n{i}" };
            node.Inputs.Add(current);
            node.Outputs.Add(current = $"v{i}");
            node.Attributes.AddRange(ops[i].Attributes);
            model.Graph.Nodes.Add(node);
        }
        model.Graph.Outputs.Add(OnnxValueInfo.FloatTensor(current, 1, 2, 4, 4));
        return model;
    }

    [Fact]
    public void Every_unsupported_operator_is_listed_with_its_node_name()
    {
        OnnxModel model = Chain(("Relu", []), ("LRN", []), ("Relu", []), ("Upsample", []));
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "m.onnx"));
        Assert.Equal([("n1", "LRN"), ("n3", "Upsample")], error.Issues.Select(i => (i.NodeName, i.OpType)));
        Assert.Contains("LRN 'n1'", error.Message);
    }

    [Fact]
    public void Unsupported_attributes_are_reported_not_ignored()
    {
        OnnxModel model = Chain(("MaxPool", [OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInt("ceil_mode", 1)]));
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "m.onnx"));
        Assert.Contains("ceil_mode", error.Issues.Single().Reason);
    }

    [Fact]
    public void Activations_fuse_only_into_the_layer_that_feeds_them()
    {
        OnnxModel model = Chain(("MaxPool", [OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)]), ("Relu", []));
        model.Graph.Outputs[0] = OnnxValueInfo.FloatTensor("v1", 1, 2, 2, 2);
        ImportedNetwork network = OnnxImporter.Import(model, "m.onnx");
        Assert.Equal([ImportedLayerKind.MaxPool2D, ImportedLayerKind.Activation], network.Layers.Select(l => l.Kind));
        Assert.Equal(TensorShape.Spatial(2, 2, 2), network.OutputShape);
    }
}
