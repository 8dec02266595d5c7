using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>
/// A hand-built NCHW graph with what ResNet-18 lacks: conv bias, asymmetric pads, average
/// pooling, a Flatten of a spatial map followed by Gemm (transB, alpha, beta) and MatMul + Add.
/// ONNX Runtime on the file vs the reference forward on the import.
/// </summary>
public sealed class NchwHeadImportTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dense_head_after_a_spatial_flatten_matches_OnnxRuntime(bool gemm)
    {
        var random = new Random(3);
        float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        var model = new OnnxModel();
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 5, 4));
        g.Initializers.Add(OnnxTensor.FromFloats("w", Random(3 * 2 * 3 * 2), 3, 2, 3, 2));
        g.Initializers.Add(OnnxTensor.FromFloats("b", Random(3), 3));
        Add(g, "Conv", "conv", ["x", "w", "b"], "c", OnnxAttribute.FromInts("kernel_shape", 3, 2), OnnxAttribute.FromInts("pads", 2, 0, 1, 1)); // -> [3,6,4]
        Add(g, "Relu", "relu", ["c"], "r");
        Add(g, "AveragePool", "pool", ["r"], "p", OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)); // -> [3,3,2]
        Add(g, "Flatten", "flatten", ["p"], "f");
        if (gemm)
        {
            g.Initializers.Add(OnnxTensor.FromFloats("B", Random(4 * 18), 4, 18));
            g.Initializers.Add(OnnxTensor.FromFloats("C", Random(4), 4));
            Add(g, "Gemm", "gemm", ["f", "B", "C"], "d", OnnxAttribute.FromInt("transB", 1), OnnxAttribute.FromFloat("alpha", 0.75f), OnnxAttribute.FromFloat("beta", 2f));
        }
        else
        {
            g.Initializers.Add(OnnxTensor.FromFloats("B", Random(18 * 4), 18, 4));
            g.Initializers.Add(OnnxTensor.FromFloats("C", Random(4), 4));
            Add(g, "MatMul", "matmul", ["f", "B"], "m");
            Add(g, "Add", "bias", ["m", "C"], "d");
        }
        Add(g, "Softmax", "softmax", ["d"], "y", OnnxAttribute.FromInt("axis", -1));
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 4));

        string path = Path.Combine(Path.GetTempPath(), $"convgen-nchw-head-{gemm}-{Environment.ProcessId}.onnx");
        try
        {
            model.Save(path);
            float[] nchw = Random(2 * 5 * 4);
            float[] expected = OnnxRuntimeRunner.Run(path, nchw, 1, 2, 5, 4);

            ImportedNetwork network = OnnxImporter.Import(path);
            Assert.Equal(
                [ImportedLayerKind.Conv2D, ImportedLayerKind.AvgPool2D, ImportedLayerKind.Flatten, ImportedLayerKind.Dense],
                network.Layers.Select(l => l.Kind));
            Assert.Equal(TensorShape.Spatial(6, 4, 3), network.Layers[0].OutputShape);
            Assert.Equal(Activation.Softmax, network.Layers[^1].Activation);
            float[] actual = ReferenceForward.Run(network, SyntheticImages.NchwToNhwc(nchw, 2, 5, 4));
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 1e-5f);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Add(OnnxGraph graph, string op, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var node = new OnnxNode { OpType = op, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.Add(output);
        node.Attributes.AddRange(attributes);
        graph.Nodes.Add(node);
    }
}
