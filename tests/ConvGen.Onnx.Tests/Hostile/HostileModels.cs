using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Tests.Hostile;

/// <summary>
/// A small valid model to break (Conv with pads + BatchNorm + Relu + MaxPool + Flatten + Gemm,
/// about 1 KB) and the one assertion every hostile input must pass: the importer either
/// returns or throws one of the two documented exceptions, whose message names the file.
/// </summary>
internal static class HostileModels
{
    public const string FileName = "hostile.onnx";

    /// <summary>x [1,2,6,6] → conv 3@3x3 pad 1 → bn → relu → maxpool 2x2/2 → [3,3,3] → flatten 27 → gemm 4.</summary>
    public static OnnxModel Valid()
    {
        var model = new OnnxModel { ProducerName = "tests" };
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 6, 6));
        g.Initializers.Add(OnnxTensor.FromFloats("w", Values(3 * 2 * 3 * 3), 3, 2, 3, 3));
        g.Initializers.Add(OnnxTensor.FromFloats("b", Values(3), 3));
        foreach (string role in new[] { "gamma", "beta", "mean" })
        {
            g.Initializers.Add(OnnxTensor.FromFloats(role, Values(3), 3));
        }
        g.Initializers.Add(OnnxTensor.FromFloats("var", [1, 2, 3], 3));
        g.Initializers.Add(OnnxTensor.FromFloats("B", Values(27 * 4), 27, 4));
        g.Initializers.Add(OnnxTensor.FromFloats("C", Values(4), 4));
        Add(g, "Conv", "conv", ["x", "w", "b"], "c",
            OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("strides", 1, 1),
            OnnxAttribute.FromInts("dilations", 1, 1), OnnxAttribute.FromInts("pads", 1, 1, 1, 1), OnnxAttribute.FromInt("group", 1));
        Add(g, "BatchNormalization", "bn", ["c", "gamma", "beta", "mean", "var"], "n", OnnxAttribute.FromFloat("epsilon", 1e-5f));
        Add(g, "Relu", "relu", ["n"], "r");
        Add(g, "MaxPool", "pool", ["r"], "p", OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2));
        Add(g, "Flatten", "flatten", ["p"], "f", OnnxAttribute.FromInt("axis", 1));
        Add(g, "Gemm", "fc", ["f", "B", "C"], "y", OnnxAttribute.FromFloat("alpha", 1f));
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 4));
        return model;
    }

    public static OnnxNode Node(this OnnxModel model, string name) => model.Graph.Nodes.Single(n => n.Name == name);

    /// <summary>Replaces (or adds) the attribute called <paramref name="attribute"/>.Name.</summary>
    public static void Set(this OnnxNode node, OnnxAttribute attribute)
    {
        node.Attributes.RemoveAll(a => a.Name == attribute.Name);
        node.Attributes.Add(attribute);
    }

    public static OnnxNode Add(OnnxGraph graph, string op, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var node = new OnnxNode { OpType = op, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.Add(output);
        node.Attributes.AddRange(attributes);
        graph.Nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Imports <paramref name="bytes"/> through the byte entry point. Returns the exception thrown
    /// (null on success) after checking it is documented, names the file, and is no internal error.
    /// </summary>
    public static Exception? ImportOrDocumentedError(ReadOnlySpan<byte> bytes)
    {
        try
        {
            OnnxImporter.Import(bytes, FileName);
            return null;
        }
        catch (Exception e) when (e is ProtobufFormatException or OnnxImportException)
        {
            Assert.StartsWith(FileName, e.Message);
            Assert.DoesNotContain("internal importer error", e.Message);
            return e;
        }
    }

    private static float[] Values(int count) => Enumerable.Range(0, count).Select(i => (i % 7 - 3) * 0.125f).ToArray();
}
