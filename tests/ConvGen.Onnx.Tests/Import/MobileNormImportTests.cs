using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;
using static ConvGen.Onnx.Tests.Hostile.HostileModels;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>
/// Squeeze-and-excitation, Reshape, GroupNormalization and LayerNormalization as other
/// exporters write them (PyTorch's 1x1 Conv gates, Gemm gates with a Reshape back, the ONNX
/// normalisation operators, InstanceNormalization per channel), each imported and compared with
/// ONNX Runtime on the same file within 1e-4; and the forms ConvGen cannot express, refused
/// with the node named.
/// </summary>
public sealed class MobileNormImportTests
{
    private const int C = 4, H = 5, W = 3;

    private static float[] Random(int count, int seed = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>x [1,2,5,3] → Conv 3x3 same (4 filters) = "f", then <paramref name="body"/> from "f" to "z" (an NCHW map), then NHWC and flatten.</summary>
    private static OnnxModel Graph(int opset, Action<OnnxGraph> body, bool nhwcOutput = true)
    {
        var model = new OnnxModel { ProducerName = "tests" };
        model.OpsetImports.Add(new OnnxOpsetImport("", opset));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, H, W));
        g.Initializers.Add(OnnxTensor.FromFloats("w", Random(C * 2 * 9, 7), C, 2, 3, 3));
        g.Initializers.Add(OnnxTensor.FromFloats("b", Random(C, 8), C));
        Add(g, "Conv", "features", ["x", "w", "b"], "f", OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1));
        body(g);
        if (nhwcOutput)
        {
            Add(g, "Transpose", "to_nhwc", ["z"], "t", OnnxAttribute.FromInts("perm", 0, 2, 3, 1));
            Add(g, "Flatten", "flatten", ["t"], "y", OnnxAttribute.FromInt("axis", 1));
        }
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, H * W * C));
        return model;
    }

    /// <summary>Imports the model and checks the reference forward of the import against ONNX Runtime on the file.</summary>
    private static ImportedNetwork ImportAndCompare(OnnxModel model, string name)
    {
        string path = Path.Combine(Path.GetTempPath(), $"convgen-{name}-{Environment.ProcessId}.onnx");
        try
        {
            model.Save(path);
            float[] nchw = Random(2 * H * W, 11);
            float[] expected = OnnxRuntimeRunner.Run(path, nchw, 1, 2, H, W);
            ImportedNetwork network = OnnxImporter.Import(path);
            float[] actual = ReferenceForward.Run(network, SyntheticImages.NchwToNhwc(nchw, 2, H, W));
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"{name} output {i}: ONNX Runtime {expected[i]} vs import {actual[i]}");
            }
            return network;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static OnnxImportException Refused(OnnxModel model) => Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "norm.onnx"));

    [Fact]
    public void A_PyTorch_squeeze_excitation_block_imports_as_a_kept_rank_pool_Dense_on_maps_and_Multiply()
    {
        ImportedNetwork network = ImportAndCompare(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("w1", Random(2 * C, 21), 2, C, 1, 1));
            g.Initializers.Add(OnnxTensor.FromFloats("b1", Random(2, 22), 2));
            g.Initializers.Add(OnnxTensor.FromFloats("w2", Random(C * 2, 23), C, 2, 1, 1));
            Add(g, "GlobalAveragePool", "squeeze", ["f"], "s");
            Add(g, "Conv", "reduce", ["s", "w1", "b1"], "r", OnnxAttribute.FromInts("kernel_shape", 1, 1));
            Add(g, "Relu", "relu", ["r"], "rr");
            Add(g, "Conv", "expand", ["rr", "w2"], "e", OnnxAttribute.FromInts("kernel_shape", 1, 1));
            Add(g, "HardSigmoid", "gate", ["e"], "ge", OnnxAttribute.FromFloat("alpha", 1f / 6f));
            Add(g, "Mul", "excite", ["f", "ge"], "z");
        }), "se-conv");

        Assert.Equal(
            [ImportedLayerKind.Conv2D, ImportedLayerKind.GlobalAvgPool2D, ImportedLayerKind.Dense, ImportedLayerKind.Dense, ImportedLayerKind.Multiply, ImportedLayerKind.Flatten],
            network.Layers.Select(l => l.Kind));
        Assert.True(network.Layers[1].KeepDims);
        Assert.Equal(TensorShape.Spatial(1, 1, C), network.Layers[1].OutputShape);
        Assert.Equal((TensorShape.Spatial(1, 1, 2), Activation.Relu), (network.Layers[2].OutputShape, network.Layers[2].Activation));
        Assert.Equal(Activation.HardSigmoid, network.Layers[3].Activation);
        string declaration = DeclarationWriter.Render(network, "Ns", "Se");
        Assert.Contains("[GlobalAvgPool2D(KeepDims = true, Name = \"squeeze\")]", declaration);
        Assert.Contains("[Multiply(\"features\", \"expand\", Name = \"excite\")]", declaration);
        Assert.Contains("globalavgpool2d keepdims=true name=squeeze", TextFormWriter.Render(network));
    }

    [Fact]
    public void A_Gemm_squeeze_excitation_block_with_a_Reshape_back_adds_no_flatten_or_reshape_layer()
    {
        ImportedNetwork network = ImportAndCompare(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("w1", Random(2 * C, 31), 2, C));
            g.Initializers.Add(OnnxTensor.FromFloats("w2", Random(C * 2, 32), 2, C));
            g.Initializers.Add(OnnxTensor.FromFloats("b2", Random(C, 33), C));
            g.Initializers.Add(OnnxTensor.FromInt64s("map", [0, C, 1, 1], 4));
            Add(g, "GlobalMaxPool", "squeeze", ["f"], "s");
            Add(g, "Flatten", "flat", ["s"], "sf", OnnxAttribute.FromInt("axis", 1));
            Add(g, "Gemm", "reduce", ["sf", "w1"], "r", OnnxAttribute.FromInt("transB", 1));
            Add(g, "Relu", "relu", ["r"], "rr");
            Add(g, "Gemm", "expand", ["rr", "w2", "b2"], "e");
            Add(g, "Sigmoid", "gate", ["e"], "ge");
            Add(g, "Reshape", "to_map", ["ge", "map"], "gm");
            Add(g, "Mul", "excite", ["gm", "f"], "z");
        }), "se-gemm");

        Assert.Equal(
            [ImportedLayerKind.Conv2D, ImportedLayerKind.GlobalMaxPool2D, ImportedLayerKind.Dense, ImportedLayerKind.Dense, ImportedLayerKind.Multiply, ImportedLayerKind.Flatten],
            network.Layers.Select(l => l.Kind));
        Assert.Equal(TensorShape.Spatial(1, 1, C), network.Layers[3].OutputShape);
    }

    [Fact]
    public void A_reshape_through_NHWC_imports_as_Reshape()
    {
        ImportedNetwork network = ImportAndCompare(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromInt64s("target", [0, W, H, C], 4));
            Add(g, "Transpose", "in_nhwc", ["f"], "fn", OnnxAttribute.FromInts("perm", 0, 2, 3, 1));
            Add(g, "Reshape", "swap", ["fn", "target"], "rn");
            Add(g, "Transpose", "back", ["rn"], "rb", OnnxAttribute.FromInts("perm", 0, 3, 1, 2));
            Add(g, "Relu", "relu", ["rb"], "z");
        }), "reshape");

        ImportedLayer reshape = network.Layers.Single(l => l.Kind == ImportedLayerKind.Reshape);
        Assert.Equal(TensorShape.Spatial(W, H, C), reshape.OutputShape);
        Assert.Contains($"[Reshape({W}, {H}, {C}, Name = \"swap\")]", DeclarationWriter.Render(network, "Ns", "R"));
        Assert.Contains($"reshape {W}x{H}x{C} name=swap", TextFormWriter.Render(network));
    }

    [Theory]
    [InlineData(new long[] { 0, C, W, H }, "channels-first order")]
    [InlineData(new long[] { 0, 1, C, W, H }, "rank-5 target")]
    [InlineData(new long[] { 0, 7, -1 }, "does not hold the 60 values")]
    [InlineData(new long[] { 2, -1 }, "changes the batch axis")]
    public void Reshapes_ConvGen_cannot_express_are_refused_with_the_node_named(long[] target, string fragment)
    {
        var error = Refused(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromInt64s("target", target, target.Length));
            Add(g, "Reshape", "odd", ["f", "target"], "z");
        }));
        ImportIssue issue = error.Issues.First();
        Assert.Equal("odd", issue.NodeName);
        Assert.Contains(fragment, issue.Reason);
    }

    [Theory]
    [InlineData(18)]
    [InlineData(21)]
    public void The_GroupNormalization_operator_imports_with_per_group_or_per_channel_scale(int opset)
    {
        int perEntry = opset >= 21 ? C : 2;
        ImportedNetwork network = ImportAndCompare(Graph(opset, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("scale", Random(perEntry, 41), perEntry));
            g.Initializers.Add(OnnxTensor.FromFloats("bias", Random(perEntry, 42), perEntry));
            Add(g, "GroupNormalization", "gn", ["f", "scale", "bias"], "z", OnnxAttribute.FromInt("num_groups", 2), OnnxAttribute.FromFloat("epsilon", 1e-3f));
        }), $"groupnorm-{opset}");

        ImportedLayer norm = network.Layers[1];
        Assert.Equal((ImportedLayerKind.GroupNormalization, 2, 1e-3f), (norm.Kind, norm.Units, (float)norm.Epsilon));
        Assert.Equal(C, network.Weights.Single(w => w.Name == "gn.gamma").Data.Length);
        Assert.Contains("[GroupNormalization(2, Epsilon = 0.001, Name = \"gn\")]", DeclarationWriter.Render(network, "Ns", "G"));
        Assert.Contains("groupnorm 2 eps=0.001 name=gn", TextFormWriter.Render(network));
    }

    [Fact]
    public void InstanceNormalization_of_a_map_and_constant_gamma_and_beta_import_as_GroupNormalization_per_channel()
    {
        ImportedNetwork network = ImportAndCompare(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("s", Random(C, 51), C));
            g.Initializers.Add(OnnxTensor.FromFloats("bb", Random(C, 52), C));
            g.Initializers.Add(OnnxTensor.FromFloats("gamma", Random(C, 53), C, 1, 1));
            g.Initializers.Add(OnnxTensor.FromFloats("beta", Random(C, 54), 1, C, 1, 1));
            Add(g, "InstanceNormalization", "in", ["f", "s", "bb"], "n");
            Add(g, "Mul", "scale", ["n", "gamma"], "ns");
            Add(g, "Add", "shift", ["beta", "ns"], "z");
        }), "instancenorm");

        Assert.Equal([ImportedLayerKind.Conv2D, ImportedLayerKind.GroupNormalization, ImportedLayerKind.Flatten], network.Layers.Select(l => l.Kind));
        Assert.Equal(C, network.Layers[1].Units);
    }

    [Fact]
    public void The_LayerNormalization_operator_over_the_last_axis_of_NHWC_imports_as_LayerNormalization()
    {
        ImportedNetwork network = ImportAndCompare(Graph(17, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("scale", Random(C, 61), C));
            g.Initializers.Add(OnnxTensor.FromFloats("bias", Random(C, 62), C));
            Add(g, "Transpose", "in_nhwc", ["f"], "fn", OnnxAttribute.FromInts("perm", 0, 2, 3, 1));
            Add(g, "LayerNormalization", "ln", ["fn", "scale", "bias"], "t", OnnxAttribute.FromInt("axis", -1));
            Add(g, "Flatten", "flatten", ["t"], "y", OnnxAttribute.FromInt("axis", 1));
        }, nhwcOutput: false), "layernorm");

        Assert.Equal([ImportedLayerKind.Conv2D, ImportedLayerKind.LayerNormalization, ImportedLayerKind.Flatten], network.Layers.Select(l => l.Kind));
        Assert.Contains("[LayerNormalization(Epsilon = 1E-05, Name = \"ln\")]", DeclarationWriter.Render(network, "Ns", "L"));
    }

    [Fact]
    public void LayerNormalization_over_the_spatial_axes_of_NCHW_is_refused_with_the_axis_named()
    {
        var error = Refused(Graph(17, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("scale", Random(W), W));
            Add(g, "LayerNormalization", "ln", ["f", "scale"], "z", OnnxAttribute.FromInt("axis", -1));
        }));
        ImportIssue issue = Assert.Single(error.Issues);
        Assert.Equal("ln", issue.NodeName);
        Assert.Contains("normalises axes 3..3 of NCHW", issue.Reason);
    }

    [Fact]
    public void GroupNormalization_whose_groups_do_not_divide_the_channels_is_refused()
    {
        var error = Refused(Graph(18, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("scale", Random(3), 3));
            g.Initializers.Add(OnnxTensor.FromFloats("bias", Random(3), 3));
            Add(g, "GroupNormalization", "gn", ["f", "scale", "bias"], "z", OnnxAttribute.FromInt("num_groups", 3));
        }));
        Assert.Contains("num_groups = 3 does not divide the 4 channels", Assert.Single(error.Issues).Reason);
    }

    [Fact]
    public void A_mean_that_is_no_LayerNormalization_and_a_constant_factor_without_a_normalisation_are_refused()
    {
        var error = Refused(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("k", [2f], 1));
            Add(g, "ReduceMean", "mean", ["f"], "m", OnnxAttribute.FromInts("axes", 1));
            Add(g, "Sub", "center", ["f", "m"], "z0");
            Add(g, "Mul", "twice", ["z0", "k"], "z");
        }));
        Assert.Equal("mean", error.Issues[0].NodeName);
        Assert.Contains("LayerNormalization decomposition", error.Issues[0].Reason);

        var factor = Refused(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("k", [2f], 1));
            Add(g, "Mul", "twice", ["f", "k"], "z");
        }));
        Assert.Equal("twice", Assert.Single(factor.Issues).NodeName);
        Assert.Contains("only supported as the gamma", factor.Issues[0].Reason);
    }

    [Fact]
    public void A_flattened_squeeze_that_reaches_a_Conv_is_refused_with_the_layout_named()
    {
        var error = Refused(Graph(13, g =>
        {
            g.Initializers.Add(OnnxTensor.FromFloats("w1", Random(C * C), C, C, 1, 1));
            Add(g, "GlobalAveragePool", "squeeze", ["f"], "s");
            Add(g, "Flatten", "flat", ["s"], "sf", OnnxAttribute.FromInt("axis", 1));
            Add(g, "Conv", "conv", ["sf", "w1"], "c", OnnxAttribute.FromInts("kernel_shape", 1, 1));
            Add(g, "Mul", "excite", ["f", "c"], "z");
        }));
        ImportIssue issue = error.Issues.First();
        Assert.Equal("conv", issue.NodeName);
        Assert.Contains("flattened [N,4] form", issue.Reason);
    }

    [Fact]
    public void A_Shape_read_by_anything_but_a_Reshape_target_is_refused()
    {
        var error = Refused(Graph(13, g =>
        {
            Add(g, "Shape", "shape", ["f"], "sh");
            Add(g, "Relu", "relu", ["sh"], "z");
        }));
        ImportIssue issue = error.Issues.First();
        Assert.Equal("relu", issue.NodeName);
        Assert.Contains("output of a Shape node", issue.Reason);
    }
}
