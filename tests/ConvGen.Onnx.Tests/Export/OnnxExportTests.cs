using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Export;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;
using Xunit.Abstractions;

namespace ConvGen.Onnx.Tests.Export;

/// <summary>ONNX Runtime on the exported file must predict what ConvGen's generated Predict does.</summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks => new() { nameof(ExportChainNet), nameof(ExportGlobalPoolNet), nameof(ExportSpatialOutputNet), nameof(ExportGlobalAvgNet), nameof(ExportResidualNet), nameof(ExportDilatedPadNet), nameof(ExportUNet), nameof(ExportTransposedNet), nameof(ExportMobileNet), nameof(ExportMobileActivationNet), nameof(ExportRelu6HardSigmoidNet),
        nameof(ExportSqueezeExcitationNet), nameof(ExportNormalizationNet) };

    /// <summary>Networks whose export the importer reads back (Gelu is exported as an Erf expression the importer does not fold).</summary>
    public static TheoryData<string> RoundTripNetworks => new() { nameof(ExportChainNet), nameof(ExportSpatialOutputNet), nameof(ExportGlobalAvgNet), nameof(ExportResidualNet), nameof(ExportDilatedPadNet), nameof(ExportMobileNet), nameof(ExportRelu6HardSigmoidNet), nameof(ExportUNet), nameof(ExportTransposedNet),
        nameof(ExportSqueezeExcitationNet), nameof(ExportNormalizationNet) };

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntime_predicts_what_ConvGen_predicts(string name)
    {
        INetwork network = CreateInitialized(name);
        const int batch = 3;
        float[] inputs = RandomInputs(batch * network.InputShape.Length, seed: 11);
        var expected = new float[batch * network.OutputShape.Length];
        network.Predict(inputs, expected);

        string path = TemporaryPath("export", name);
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

            // The file also reads back through our own decoder, with every weight in it (Pad's int64 pads are no weights).
            OnnxModel reread = OnnxModel.Load(path);
            Assert.Equal(OnnxExport.OpsetVersion, reread.DefaultOpsetVersion);
            // Every parameter tensor is an initializer of its name and size (helpers such as Reshape's shapes come on top).
            foreach (ParameterInfo tensor in network.ParameterTensors)
            {
                Assert.Equal(tensor.Length, (int)reread.Graph.Initializers.Single(t => t.Name == tensor.Name).ElementCount);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(RoundTripNetworks))]
    public void Exported_files_import_back_to_the_same_function(string name)
    {
        INetwork network = CreateInitialized(name);
        string path = TemporaryPath("roundtrip", name);
        try
        {
            OnnxExport.Write(network, path);
            ImportedNetwork imported = OnnxImporter.Import(path);
            Assert.Equal(network.InputShape, imported.InputShape);
            Assert.Equal(network.OutputShape.Length, imported.OutputShape.Length);
            // Dropout is not exported; a SeparableConv2D is two Convs and comes back as a DepthwiseConv2D and a 1x1 Conv2D.
            Assert.Equal(network.Layers.Count(l => l.Kind != "Dropout") + network.Layers.Count(l => l.Kind == "SeparableConv2D"), imported.Layers.Count);
            if (!network.Layers.Any(l => l.Kind == "SeparableConv2D"))
            {
                foreach (var (layer, twin) in network.Layers.Where(l => l.Kind != "Dropout").Zip(imported.Layers))
                {
                    // Same kind, shape and geometry, in the same order (Conv2DTranspose: the cuts, which an equivalent Keras form may state differently;
                    // a Reshape to a vector comes back as the Flatten it equals).
                    string kind = layer.Kind == "Reshape" && layer.OutputShape.Rank == 1 ? "Flatten" : layer.Kind;
                    Assert.Equal((kind, layer.OutputShape), (twin.Kind.ToString(), twin.OutputShape));
                    object? geometry = layer.Config switch
                    {
                        TransposedConvolutionConfig t => (t.StrideHeight, t.DilationHeight, t.PadTop, t.PadBottom, t.PadLeft, t.PadRight),
                        UpSamplingConfig u => (u.SizeHeight, u.SizeWidth, u.Interpolation),
                        CroppingConfig c => (c.Top, c.Bottom, c.Left, c.Right),
                        _ => null,
                    };
                    object? importedGeometry = twin.Kind switch
                    {
                        ImportedLayerKind.Conv2DTranspose => (twin.StrideHeight, twin.DilationHeight, twin.PadTop, twin.PadBottom, twin.PadLeft, twin.PadRight),
                        ImportedLayerKind.UpSampling2D => (twin.StrideHeight, twin.StrideWidth, twin.Interpolation),
                        ImportedLayerKind.Cropping2D => (twin.PadTop, twin.PadBottom, twin.PadLeft, twin.PadRight),
                        _ => null,
                    };
                    Assert.Equal(geometry, importedGeometry);
                    if (layer.Kind == "Concatenate")
                    {
                        Assert.Equal(layer.Inputs, twin.Inputs);
                    }
                }
            }

            float[] sample = RandomInputs(network.InputShape.Length, seed: 5);
            var expected = new float[network.OutputShape.Length];
            network.Predict(sample, expected);
            float[] actual = ReferenceForward.Run(imported, sample);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"{name} output {i}: Predict {expected[i]} vs imported reference {actual[i]}");
            }
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

    [Fact]
    public void Explicit_pads_dilation_and_alpha_are_exported_from_the_layer_config()
    {
        OnnxModel model = OnnxExport.Build(new ExportDilatedPadNet());
        OnnxNode entry = model.Graph.Nodes.Single(n => n.Name == "entry");
        Assert.Equal([2L, 0, 1, 3], entry.Ints("pads")); // ONNX order: top, left, bottom, right
        Assert.Equal([2L, 2], entry.Ints("strides"));
        Assert.Equal([2L, 2], entry.Ints("dilations"));
        OnnxNode leaky = model.Graph.Nodes.Single(n => n.OpType == "LeakyRelu" && n.Name.StartsWith("entry", StringComparison.Ordinal));
        Assert.Equal(0.2f, leaky.Float("alpha", float.NaN));
    }

    [Fact]
    public void A_layer_table_without_configuration_is_refused_with_the_layer_named()
    {
        var network = new ConfigStrippedNetwork(new ExportDilatedPadNet());
        var error = Assert.Throws<InvalidOperationException>(() => OnnxExport.Build(network));
        Assert.Contains("layer 0 'entry' (Conv2D)", error.Message);
        Assert.Contains("no structured configuration", error.Message);
    }

    /// <summary>A network whose layer table looks like one generated before <see cref="LayerInfo.Config"/> existed.</summary>
    private sealed class ConfigStrippedNetwork(INetwork inner) : INetwork
    {
        public TensorShape InputShape => inner.InputShape;
        public TensorShape OutputShape => inner.OutputShape;
        public System.Collections.Generic.IReadOnlyList<LayerInfo> Layers { get; } = inner.Layers.Select(l => l with { Config = null }).ToArray();
        public System.Collections.Generic.IReadOnlyList<ParameterInfo> ParameterTensors => inner.ParameterTensors;
        public Span<float> Parameters => inner.Parameters;
        public void InitializeParameters(ulong seed) => inner.InitializeParameters(seed);
        public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs) => inner.Predict(inputs, outputs);
        public IInferenceWorkspace CreateInferenceWorkspace(int capacity) => inner.CreateInferenceWorkspace(capacity);
        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, IInferenceWorkspace workspace) => inner.Forward(inputs, outputs, workspace);
    }

    private static INetwork CreateInitialized(string name)
    {
        INetwork network = name switch
        {
            nameof(ExportChainNet) => new ExportChainNet(),
            nameof(ExportGlobalPoolNet) => new ExportGlobalPoolNet(),
            nameof(ExportSpatialOutputNet) => new ExportSpatialOutputNet(),
            nameof(ExportGlobalAvgNet) => new ExportGlobalAvgNet(),
            nameof(ExportResidualNet) => new ExportResidualNet(),
            nameof(ExportDilatedPadNet) => new ExportDilatedPadNet(),
            nameof(ExportUNet) => new ExportUNet(),
            nameof(ExportTransposedNet) => new ExportTransposedNet(),
            nameof(ExportMobileNet) => new ExportMobileNet(),
            nameof(ExportMobileActivationNet) => new ExportMobileActivationNet(),
            nameof(ExportRelu6HardSigmoidNet) => new ExportRelu6HardSigmoidNet(),
            nameof(ExportSqueezeExcitationNet) => new ExportSqueezeExcitationNet(),
            nameof(ExportNormalizationNet) => new ExportNormalizationNet(),
            _ => throw new ArgumentException(name),
        };
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
        // BatchNorm statistics and scales away from the identity, so that each is checked.
        foreach (ParameterInfo tensor in network.ParameterTensors.Where(p => p.Name.EndsWith(".running_mean", StringComparison.Ordinal)
            || p.Name.EndsWith(".running_var", StringComparison.Ordinal) || p.Name.EndsWith(".gamma", StringComparison.Ordinal) || p.Name.EndsWith(".beta", StringComparison.Ordinal)))
        {
            Span<float> values = network.Parameters.Slice(tensor.Offset, tensor.Length);
            bool positive = !tensor.Name.EndsWith(".running_mean", StringComparison.Ordinal) && !tensor.Name.EndsWith(".beta", StringComparison.Ordinal);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = positive ? 0.5f + 0.1f * (i % 7) : 0.1f * ((i % 5) - 2);
            }
        }
        return network;
    }

    private static float[] RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static string TemporaryPath(string kind, string name) =>
        Path.Combine(Path.GetTempPath(), $"convgen-{kind}-{name}-{Environment.ProcessId}.onnx");
}
