using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Onnx.Export;

namespace ConvGen.Tool.Tests;

/// <summary><c>convgen summary model.onnx</c> on models the project's exporter wrote.</summary>
public sealed class OnnxSummaryTests : TemporaryFolder
{
    [Fact]
    public void Summary_of_an_exported_model_lists_its_layers_with_shapes_and_parameters()
    {
        var net = ExportedNet.Create(seed: 4);
        OnnxExport.Write(net, In("exported-net.onnx"));

        var result = Convgen.Run("summary", In("exported-net.onnx"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Model: \"exported-net\"", result.Output);
        // By hand: conv 3*3*1*3 + 3 = 30 on [10,10,1] -> [8,8,3]; avg pool -> [4,4,3]; flatten 48; dense 48*4 + 4 = 196.
        Assert.Matches(@"(?m)^input \(Input\) +\[10,10,1\] +0$", result.Output);
        Assert.Matches(@"(?m)^\S+ \(Conv2D\) +\[8,8,3\] +30$", result.Output);
        Assert.Matches(@"(?m)^\S+ \(AvgPool2D\) +\[4,4,3\] +0$", result.Output);
        Assert.Matches(@"(?m)^\S+ \(Dense\) +\[4\] +196$", result.Output);
        Assert.Contains($"Total params: {net.Parameters.Length}", result.Output);
        Assert.Contains("Total params: 226", result.Output);
        Assert.Contains("Non-trainable params: 0", result.Output);
        Assert.Contains("input [10,10,1] -> output [4]", result.Output);
        // Every layer of the network, in order, with ConvGen's own output shapes.
        var kinds = Regex.Matches(result.Output, @"(?m)^\S+ \((\w+)\) +(\[[\d,]+\])").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Skip(1).ToArray();
        Assert.Equal(net.Layers.Where(l => l.Kind != "Activation").Select(l => (l.Kind, l.OutputShape.ToString())).ToArray(),
            kinds.Where(k => k.Item1 != "Activation").ToArray());
    }

    [Fact]
    public void Batch_norm_running_statistics_of_an_onnx_model_count_as_non_trainable()
    {
        var net = NormedNet.Create(seed: 2);
        OnnxExport.Write(net, In("normed.onnx"));

        var result = Convgen.Run("summary", In("normed.onnx"));
        Assert.True(result.ExitCode == 0, result.ToString());
        // By hand: conv 3*3*2*3 = 54 without bias; BatchNorm 4 x 3; dense 27*2 + 2 = 56.
        Assert.Matches(@"(?m)^\S+ \(Conv2D\) +\[6,6,3\] +54$", result.Output);
        Assert.Matches(@"(?m)^\S+ \(BatchNorm\) +\[6,6,3\] +12$", result.Output);
        Assert.Matches(@"(?m)^\S+ \(Dense\) +\[2\] +56$", result.Output);
        Assert.Contains("Total params: 122", result.Output);
        Assert.Contains("Trainable params: 116", result.Output);
        Assert.Contains("Non-trainable params: 6", result.Output);
    }

    [Fact]
    public void A_damaged_onnx_file_is_one_line_of_bad_input_naming_it()
    {
        OnnxExport.Write(ExportedNet.Create(seed: 1), In("whole.onnx"));
        byte[] bytes = File.ReadAllBytes(In("whole.onnx"));
        File.WriteAllBytes(In("cut.onnx"), bytes[..(bytes.Length / 2)]);

        var result = Convgen.Run("summary", In("cut.onnx"));
        result.AssertBadInput(In("cut.onnx") + ": not a readable ONNX model:");

        File.WriteAllText(In("text.onnx"), "this is not protobuf, only text named .onnx\n");
        Convgen.Run("summary", In("text.onnx")).AssertBadInput(In("text.onnx") + ": not a readable ONNX model:");
    }
}
