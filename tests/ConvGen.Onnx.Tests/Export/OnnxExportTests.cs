using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Export;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;
using Xunit.Abstractions;

namespace ConvGen.Onnx.Tests.Export;

/// <summary>ONNX Runtime on the exported file must predict what ConvGen's generated Predict does.</summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks => new() { nameof(ExportChainNet), nameof(ExportGlobalPoolNet), nameof(ExportSpatialOutputNet) };

    private static INetwork Create(string name) => name switch
    {
        nameof(ExportChainNet) => new ExportChainNet(),
        nameof(ExportGlobalPoolNet) => new ExportGlobalPoolNet(),
        nameof(ExportSpatialOutputNet) => new ExportSpatialOutputNet(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntime_predicts_what_ConvGen_predicts(string name)
    {
        INetwork network = Create(name);
        network.InitializeParameters(seed: 7);
        // Non-zero biases, so a bias in the wrong place cannot hide.
        foreach (ParameterInfo bias in network.ParameterTensors.Where(p => p.Name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            Span<float> values = network.Parameters.Slice(bias.Offset, bias.Length);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = 0.05f * ((i % 5) - 2);
            }
        }
        const int batch = 3;
        var random = new Random(11);
        float[] inputs = Enumerable.Range(0, batch * network.InputShape.Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var expected = new float[batch * network.OutputShape.Length];
        network.Predict(inputs, expected);

        string path = Path.Combine(Path.GetTempPath(), $"convgen-export-{name}-{Environment.ProcessId}.onnx");
        try
        {
            OnnxExport.Write(network, path);
            TensorShape s = network.InputShape;
            long[] shape = s.Rank == 3 ? [batch, s.Height, s.Width, s.Channels] : [batch, s.Channels];
            float[] actual = OnnxRuntimeRunner.Run(path, inputs, shape);

            Assert.Equal(expected.Length, actual.Length);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs(expected[i] - actual[i]);
                worst = Math.Max(worst, difference);
                Assert.True(difference <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"{name} output {i}: ConvGen {expected[i]} vs ONNX Runtime {actual[i]}");
            }
            output.WriteLine($"{name}: {expected.Length} outputs, max abs difference {worst:E2}");

            // The file also reads back through our own decoder, with the weights intact.
            OnnxModel reread = OnnxModel.Load(path);
            Assert.Equal(OnnxExport.OpsetVersion, reread.DefaultOpsetVersion);
            Assert.Equal(network.Parameters.Length, reread.Graph.Initializers.Where(t => t.Dims.Count > 0).Sum(t => (int)t.ElementCount));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Dropout_is_omitted_and_the_input_is_transposed_from_NHWC()
    {
        OnnxModel model = OnnxExport.Build(new ExportChainNet());
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType == "Dropout");
        OnnxNode first = model.Graph.Nodes[0];
        Assert.Equal("Transpose", first.OpType);
        Assert.Equal([0L, 3, 1, 2], first.Ints("perm"));
        Assert.Equal("N,12,10,3", string.Join(",", model.Graph.Inputs[0].Shape!));
    }
}
