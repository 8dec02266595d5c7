using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Export;
using ConvGen.Onnx.Model;
using ConvGen.Serialization;

namespace ConvGen.Tool.Tests;

public sealed class ImportCommandTests : TemporaryFolder
{
    [Fact]
    public void Pretrained_resnet18_imports_to_a_declaration_and_weights()
    {
        var result = Convgen.Run("import", PretrainedPackage.ResNet18, "--out", Folder, "--namespace", "Vision.Models", "--class", "ResNet18");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("65 layers, input [224,224,3] -> output [1,1,512]", result.Output);

        string declaration = File.ReadAllText(In("ResNet18.cs"));
        Assert.Contains("namespace Vision.Models;", declaration);
        Assert.Contains("[Network(Input = \"224x224x3\")]", declaration);
        Assert.Contains("public sealed partial class ResNet18;", declaration);
        Assert.Equal(65, declaration.Split('\n').Count(line => line.StartsWith('[') && !line.StartsWith("[Network", StringComparison.Ordinal)));

        // Against the ONNX file itself: one kernel per Conv node, each the OIHW initializer in HWIO order.
        SafeTensorFile weights = SafeTensors.Read(In("ResNet18.safetensors"));
        var model = OnnxModel.Load(PretrainedPackage.ResNet18);
        var convolutions = model.Graph.Nodes.Where(n => n.OpType == "Conv").ToArray();
        Assert.Equal(convolutions.Length, weights.Tensors.Count(t => t.Shape.Length == 4));
        var stem = convolutions.Single(n => n.Name == "Convolution249");
        float[] oihw = model.Graph.Initializers.Single(t => t.Name == stem.Inputs[1]).ToFloatArray();
        var hwio = weights.Get("Convolution249.weight");
        Assert.Equal(new[] { 7, 7, 3, 64 }, hwio.Shape);
        for (int f = 0; f < 64; f++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 7; y++)
                    for (int x = 0; x < 7; x++)
                        Assert.Equal(oihw[((f * 3 + c) * 7 + y) * 7 + x], hwio.Data[((y * 7 + x) * 3 + c) * 64 + f]);
    }

    [Fact]
    public void Text_form_declaration_wraps_the_text_in_a_network_attribute()
    {
        var result = Convgen.Run("import", PretrainedPackage.ResNet18, "--out", Folder, "--text");
        Assert.True(result.ExitCode == 0, result.ToString());
        // The default class name comes from the file name.
        string declaration = File.ReadAllText(In("ResNet18.cs"));
        Assert.Contains("[Network(\"\"\"", declaration);
        Assert.Contains("    input 224x224x3", declaration);
        Assert.Contains("namespace Imported;", declaration);
        Assert.Contains("public sealed partial class ResNet18;", declaration);
        Assert.True(File.Exists(In("ResNet18.safetensors")));
    }

    [Fact]
    public void Exported_network_imports_back_with_the_same_weights()
    {
        var net = ExportedNet.Create(seed: 4);
        string onnx = In("exported-net.onnx");
        OnnxExport.Write(net, onnx);

        var result = Convgen.Run("import", onnx, "--out", Folder);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("class ExportedNet;", File.ReadAllText(In("ExportedNet.cs")));

        // Same tensors in the same order and layouts (HWIO kernels, IO dense weights), bit for bit.
        var imported = SafeTensors.Read(In("ExportedNet.safetensors")).Tensors;
        var original = net.ParameterTensors;
        Assert.Equal(original.Count, imported.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i].Shape, imported[i].Shape);
            Assert.Equal(net.Parameters.Slice(original[i].Offset, original[i].Length).ToArray(), imported[i].Data);
        }
    }

    [Fact]
    public void Unsupported_operators_list_every_node_and_exit_with_1()
    {
        var result = Convgen.Run("import", PretrainedPackage.ResNetPreprocess, "--out", Folder);
        Assert.Equal(1, result.ExitCode);
        // Concat (BGRInput) and Sub (read as part of a LayerNormalization pattern, refused elsewhere)
        // are operators the importer knows; the unknown operators are listed before any node is mapped.
        Assert.Contains("cannot import 1 node(s):", result.Error);
        Assert.Contains("Split 'RInp': operator not supported", result.Error);
        Assert.DoesNotContain("BGRInput", result.Error);
        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public void Bad_arguments_say_what_was_expected()
    {
        var extension = Convgen.Run("import", In("model.pb"));
        Assert.Equal(2, extension.ExitCode);
        Assert.Contains("expected an ONNX model with extension .onnx, got '.pb'", extension.Error);

        var missing = Convgen.Run("import", In("missing.onnx"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("missing.onnx: file not found (expected an ONNX model", missing.Error);

        File.WriteAllBytes(In("garbage.onnx"), Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 11)).ToArray());
        var garbage = Convgen.Run("import", In("garbage.onnx"));
        Assert.Equal(1, garbage.ExitCode);
        Assert.Contains("garbage.onnx: not a readable ONNX model", garbage.Error);

        var badClass = Convgen.Run("import", PretrainedPackage.ResNet18, "--class", "2fast");
        Assert.Equal(2, badClass.ExitCode);
        Assert.Contains("--class '2fast' is not a C# identifier", badClass.Error);
    }
}
