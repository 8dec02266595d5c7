using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Export;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Tests.Reference;

namespace ConvGen.Onnx.Tests.Export;

/// <summary>
/// The decomposed activations and Mul come back through the importer as layers computing the
/// same function (SiLU and HardSwish, exported as x·Sigmoid(x) and x·HardSigmoid(x), fused back
/// into the layer that produced x), and Mul that ConvGen cannot express is refused with the shapes named.
/// </summary>
public sealed class MobileRoundTripTests
{
    [Fact]
    public void Products_import_back_to_the_same_function()
    {
        var network = new ExportProductNet();
        network.InitializeParameters(seed: 9);
        string path = Path.Combine(Path.GetTempPath(), $"convgen-products-{Environment.ProcessId}.onnx");
        try
        {
            OnnxExport.Write(network, path);
            ImportedNetwork imported = OnnxImporter.Import(path);
            // x·Sigmoid(x) and x·HardSigmoid(x) fold back into SiLU and HardSwish of their convolutions; the gate stays a Multiply.
            Assert.Equal(1, imported.Layers.Count(l => l.Kind == ImportedLayerKind.Multiply));
            Assert.Contains(imported.Layers, l => l is { Kind: ImportedLayerKind.Conv2D, Activation: Activation.Silu });
            Assert.Contains(imported.Layers, l => l is { Kind: ImportedLayerKind.Conv2D, Activation: Activation.HardSwish });
            Assert.Equal(network.Layers.Count, imported.Layers.Count);
            Assert.Contains(imported.Layers, l => l.Activation == Activation.Relu6);
            var random = new Random(4);
            float[] sample = Enumerable.Range(0, network.InputShape.Length).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            var expected = new float[network.OutputShape.Length];
            network.Predict(sample, expected);
            float[] actual = ReferenceForward.Run(imported, sample);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"output {i}: Predict {expected[i]} vs imported {actual[i]}");
            }
            // The declaration the importer writes names both factors.
            string declaration = DeclarationWriter.Render(imported, "Ns", "Imported");
            Assert.Contains("[Multiply(\"", declaration);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
