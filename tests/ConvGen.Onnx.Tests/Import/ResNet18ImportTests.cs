using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;
using ConvGen.Serialization;
using Xunit.Abstractions;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>Shared import of the pretrained ResNet-18 (the file is 45 MB; parse it once).</summary>
public sealed class ResNet18Fixture
{
    public ResNet18Fixture()
    {
        Model = OnnxModel.Load(PretrainedPackage.ResNet18);
        Network = OnnxImporter.Import(Model, "ResNet18.onnx");
    }

    public OnnxModel Model { get; }

    public ImportedNetwork Network { get; }
}

public sealed class ResNet18ImportTests(ResNet18Fixture fixture, ITestOutputHelper output) : IClassFixture<ResNet18Fixture>
{
    private ImportedNetwork Network => fixture.Network;

    [Fact]
    public void Source_graph_has_the_expected_operator_counts()
    {
        var counts = fixture.Model.Graph.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(22, counts["Conv"]);
        Assert.Equal(22, counts["BatchNormalization"]);
        Assert.Equal(9, counts["Add"]);
        Assert.Equal(1, counts["MaxPool"]);
        Assert.Equal(1, counts["AveragePool"]);
        Assert.Equal(8, fixture.Model.DefaultOpsetVersion);
    }

    [Fact]
    public void Imports_as_stem_plus_stages_2_2_2_3_with_512_features()
    {
        Assert.Equal(TensorShape.Spatial(224, 224, 3), Network.InputShape);
        Assert.Equal(TensorShape.Spatial(1, 1, 512), Network.OutputShape);
        var convs = Network.Layers.Where(l => l.Kind == ImportedLayerKind.Conv2D).ToList();
        Assert.Equal(22, convs.Count);
        Assert.All(convs, c => Assert.False(c.UseBias));
        Assert.Equal(22, Network.Layers.Count(l => l.Kind == ImportedLayerKind.BatchNorm));

        // Every Add is followed by a ReLU in ResNet: fused into the Add layer.
        var adds = Network.Layers.Where(l => l.Kind == ImportedLayerKind.Add).ToList();
        Assert.Equal(9, adds.Count);
        Assert.All(adds, a => Assert.Equal(Activation.Relu, a.Activation));
        int[] blocksPerStage = adds.GroupBy(a => a.OutputShape.Channels).Select(g => g.Count()).ToArray();
        Assert.Equal([2, 2, 2, 3], blocksPerStage);

        // CNTK's stem: 7x7 stride 2 with pads top/left 3, bottom/right 2 (not TensorFlow's "same" 2/3 split).
        ImportedLayer stem = convs[0];
        Assert.Equal((7, 2, 3, 2, 3, 2), (stem.KernelHeight, stem.StrideHeight, stem.PadTop, stem.PadBottom, stem.PadLeft, stem.PadRight));
        Assert.Equal(TensorShape.Spatial(112, 112, 64), stem.OutputShape);
        ImportedLayer pool = Network.Layers.First(l => l.Kind == ImportedLayerKind.MaxPool2D);
        Assert.Equal((3, 2, 1, 0), (pool.KernelHeight, pool.StrideHeight, pool.PadTop, pool.PadBottom));
        Assert.Equal(TensorShape.Spatial(56, 56, 64), pool.OutputShape);
        Assert.Equal(TensorShape.Spatial(7, 7, 512), Network.Layers[^2].OutputShape);
    }

    [Fact]
    public void Writes_a_readable_declaration_and_safetensors_weights()
    {
        string directory = Directory.CreateTempSubdirectory("convgen-onnx").FullName;
        try
        {
            string source = Path.Combine(directory, "ResNet18.cs");
            string weights = Path.Combine(directory, "ResNet18.safetensors");
            DeclarationWriter.Write(Network, source, "Pretrained", "ResNet18");
            Network.WriteWeights(weights);

            string text = File.ReadAllText(source);
            output.WriteLine(text);
            Assert.Contains("[Network(Input = \"224x224x3\")]", text);
            Assert.Contains("[Conv2D(64, 7, Stride = 2, PadTop = 3, PadBottom = 2, PadLeft = 3, PadRight = 2, UseBias = false, Name = \"Convolution249\")]", text);
            Assert.Contains("// [112,112,64]", text);
            Assert.Contains("[BatchNorm(Epsilon = 1E-05, Momentum = 0.9883497, Name = \"BatchNormalization251\")]", text);
            Assert.Contains("[Add(\"BatchNormalization265\", \"Pooling255\", Activation = Activation.Relu, Name = \"Plus267\")]", text);
            Assert.Contains("UseBias = false, Input = \"Plus281\", Name = \"Convolution285\"", text); // the main branch reads the block input (Add+ReLU), not the projection before it
            Assert.Contains("public sealed partial class ResNet18;", text);

            SafeTensorFile file = SafeTensors.Read(weights);
            Assert.Equal(Network.Weights.Count, file.Tensors.Count);
            SafeTensor stemWeight = file.Tensors.Single(t => t.Name == "Convolution249.weight");
            Assert.Equal([7, 7, 3, 64], stemWeight.Shape);
            Assert.Equal(4, file.Tensors.Count(t => t.Name.StartsWith("BatchNormalization251.", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Text_form_uses_the_transfer_learning_keywords()
    {
        string text = TextFormWriter.Render(Network);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + Network.Layers.Count, lines.Length);
        Assert.StartsWith("input 224x224x3 ", lines[0]);
        Assert.StartsWith("conv2d 64 7 stride=2 pads=3,2,3,2 bias=false name=Convolution249 ", lines[1]);
        Assert.Contains("# [112,112,64]", lines[1]);
        Assert.StartsWith("batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization251", lines[2]);
        Assert.Contains("add BatchNormalization265 Pooling255 relu name=Plus267 ", text);
        Assert.Contains("conv2d 128 3 stride=2 pads=1,0,1,0 bias=false input=Plus281 name=Convolution285 ", text);
        Assert.Contains("conv2d 64 3 same bias=false name=Convolution257 ", text);
    }

    [Fact]
    public void Conv_weights_are_transposed_from_OIHW_to_HWIO()
    {
        OnnxTensor source = fixture.Model.Graph.Initializers.Single(t => t.Name == "Parameter91");
        float[] oihw = source.ToFloatArray();
        float[] hwio = Network.Weight("Convolution249.weight").Data;
        // weight[o=5][i=2][y=4][x=1] in both layouts
        Assert.Equal(oihw[((5 * 3 + 2) * 7 + 4) * 7 + 1], hwio[((4 * 7 + 1) * 3 + 2) * 64 + 5]);
    }
}
