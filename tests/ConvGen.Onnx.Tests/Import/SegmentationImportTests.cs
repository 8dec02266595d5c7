using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;
using Xunit.Abstractions;
using static ConvGen.Onnx.Tests.Import.EncoderDecoderGraph;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>ConvTranspose, Resize, Concat, Slice and Constant: hand-built graphs against ONNX Runtime, and the forms the importer refuses.</summary>
public sealed class SegmentationImportTests(ITestOutputHelper output)
{
    [Fact]
    public void Encoder_decoder_graph_matches_OnnxRuntime()
    {
        OnnxModel model = Build();
        string path = Path.Combine(Path.GetTempPath(), $"convgen-encoder-decoder-{Environment.ProcessId}.onnx");
        try
        {
            model.Save(path);
            float[] nchw = SyntheticImages.RgbNchw(seed: 4, Height, Width).Select(v => v / 255f - 0.5f).ToArray();
            float[] expected = SyntheticImages.NchwToNhwc(OnnxRuntimeRunner.Run(path, nchw, 1, Channels, Height, Width), 3, Height, Width);

            ImportedNetwork network = OnnxImporter.Import(path);
            output.WriteLine(TextFormWriter.Render(network));
            Assert.Equal(
                [ImportedLayerKind.Conv2D, ImportedLayerKind.MaxPool2D, ImportedLayerKind.Conv2DTranspose, ImportedLayerKind.Conv2DTranspose, ImportedLayerKind.Cropping2D,
                 ImportedLayerKind.UpSampling2D, ImportedLayerKind.UpSampling2D, ImportedLayerKind.UpSampling2D, ImportedLayerKind.Conv2D, ImportedLayerKind.Cropping2D,
                 ImportedLayerKind.Concatenate, ImportedLayerKind.Conv2D],
                network.Layers.Select(l => l.Kind));
            ImportedLayer up = network.Layers.Single(l => l.Name == "up");
            Assert.Equal((Activation.Relu, Padding.Valid, -1, 2), (up.Activation, up.TransposedPadding, up.OutputPadding, up.StrideHeight));
            ImportedLayer pytorchCrop = network.Layers.Single(l => l.Name == "up_pt_crop");
            Assert.Equal((1, 0, 1, 0), (pytorchCrop.PadTop, pytorchCrop.PadBottom, pytorchCrop.PadLeft, pytorchCrop.PadRight));
            Assert.Equal(TensorShape.Spatial(7, 7, 2), pytorchCrop.InputShape);
            Assert.Equal(UpSamplingInterpolation.Bilinear, network.Layers.Single(l => l.Name == "lin").Interpolation);
            ImportedLayer skip = network.Layers.Single(l => l.Name == "skip");
            Assert.Equal((1, 1, 2, 0), (skip.PadTop, skip.PadBottom, skip.PadLeft, skip.PadRight));
            Assert.Equal(["up", "up_pt_crop", "near", "lin", "sized", "skip"], network.Layers.Single(l => l.Kind == ImportedLayerKind.Concatenate).Inputs);
            Assert.Equal(TensorShape.Spatial(6, 6, 19), network.Layers[^2].OutputShape);
            Assert.Equal(Activation.Softmax, network.Layers[^1].Activation);

            float[] actual = ReferenceForward.Run(network, SyntheticImages.NchwToNhwc(nchw, Channels, Height, Width));
            Assert.Equal(expected.Length, actual.Length);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"output {i}: ONNX Runtime {expected[i]} vs imported reference {actual[i]}");
            }
            output.WriteLine($"max abs difference {worst:E2}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Declaration_and_text_form_state_the_encoder_decoder_layers()
    {
        ImportedNetwork network = OnnxImporter.Import(Build(), "encoder-decoder.onnx");
        string declaration = DeclarationWriter.Render(network, "Imported", "EncoderDecoder");
        string text = TextFormWriter.Render(network);
        output.WriteLine(declaration);
        Assert.Contains("[Conv2DTranspose(3, 2, Stride = 2, Activation = Activation.Relu, Name = \"up\")]", declaration);
        Assert.Contains("[Conv2DTranspose(2, 3, Stride = 2, UseBias = false, Input = \"pool\", Name = \"up_pt\")]", declaration);
        Assert.Contains("[Cropping2D(1, 0, 1, 0, Name = \"up_pt_crop\")]", declaration);
        Assert.Contains("[UpSampling2D(2, Input = \"pool\", Name = \"near\")]", declaration);
        Assert.Contains("[UpSampling2D(2, Interpolation = UpSamplingInterpolation.Bilinear, Input = \"pool\", Name = \"lin\")]", declaration);
        Assert.Contains("[Cropping2D(1, 1, 2, 0, Name = \"skip\")]", declaration);
        Assert.Contains("[Concatenate(\"up\", \"up_pt_crop\", \"near\", \"lin\", \"sized\", \"skip\", Name = \"joined\")]", declaration);
        Assert.Contains("conv2dtranspose 2 3 stride=2 bias=false input=pool name=up_pt", text);
        Assert.Contains("upsampling2d 2 interpolation=bilinear input=pool name=lin", text);
        Assert.Contains("cropping2d 1 1 2 0 name=skip", text);
        Assert.Contains("concatenate up up_pt_crop near lin sized skip name=joined", text);
        Assert.Contains("conv2d 3 1 softmax name=head", text);
    }

    /// <summary>The declaration the importer writes for <see cref="EncoderDecoderGraph"/> is the one compiled into this project.</summary>
    [Fact]
    public void Compiled_declaration_is_what_the_importer_writes()
    {
        string written = DeclarationWriter.Render(OnnxImporter.Import(Build(), "encoder-decoder.onnx"), "Imported", "EncoderDecoder");
        string compiled = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Import", "EncoderDecoder.cs"));
        Assert.Equal(compiled.ReplaceLineEndings(), written.ReplaceLineEndings());
    }

    /// <summary>The generated network, with the importer's weights, predicts what ONNX Runtime does on the original graph.</summary>
    [Fact]
    public void Generated_network_matches_OnnxRuntime()
    {
        OnnxModel model = Build();
        ImportedNetwork imported = OnnxImporter.Import(model, "encoder-decoder.onnx");
        string onnx = Path.Combine(Path.GetTempPath(), $"convgen-encoder-decoder-gen-{Environment.ProcessId}.onnx");
        string weights = Path.ChangeExtension(onnx, ".safetensors");
        var network = new global::Imported.EncoderDecoder();
        const int Batch = 2;
        var random = new Random(8);
        float[] nchw = Enumerable.Range(0, Batch * Channels * Height * Width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] expected;
        try
        {
            model.Save(onnx);
            imported.WriteWeights(weights);
            global::ConvGen.Serialization.WeightsFile.Load(network, weights);
            // The graph fixes N = 1 (its Resize sizes name the batch); ConvGen predicts the two samples in one batch.
            int size = Channels * Height * Width;
            expected = Enumerable.Range(0, Batch).SelectMany(n => OnnxRuntimeRunner.Run(onnx, nchw.AsSpan(n * size, size).ToArray(), 1, Channels, Height, Width)).ToArray();
        }
        finally
        {
            File.Delete(onnx);
            File.Delete(weights);
        }
        int sample = Channels * Height * Width, outputs = 3 * Height * Width;
        var inputs = new float[nchw.Length];
        for (int n = 0; n < Batch; n++)
        {
            SyntheticImages.NchwToNhwc(nchw.AsSpan(n * sample, sample).ToArray(), Channels, Height, Width).CopyTo(inputs, n * sample);
        }
        var actual = new float[Batch * outputs];
        network.Predict(inputs, actual);
        for (int n = 0; n < Batch; n++)
        {
            float[] reference = SyntheticImages.NchwToNhwc(expected.AsSpan(n * outputs, outputs).ToArray(), 3, Height, Width);
            for (int i = 0; i < outputs; i++)
            {
                Assert.True(Math.Abs(reference[i] - actual[n * outputs + i]) <= 1e-4, $"sample {n} output {i}: ONNX Runtime {reference[i]} vs generated {actual[n * outputs + i]}");
            }
        }
    }

    public static TheoryData<string, string, string> RefusedForms => new()
    {
        { "ConvTranspose group 2", "ct", "'group' = 2" },
        { "ConvTranspose SAME_UPPER", "ct", "'auto_pad' = 'SAME_UPPER'" },
        { "ConvTranspose output_shape", "ct", "'output_shape'" },
        { "ConvTranspose strides per axis", "ct", "'strides' = [2,1]" },
        { "ConvTranspose output padding past the stride", "ct", "'output_padding' = [2,2]" },
        { "Resize cubic", "rs", "'mode' = 'cubic'" },
        { "Resize linear align_corners", "rs", "'coordinate_transformation_mode' = 'align_corners'" },
        { "Resize nearest round_prefer_ceil", "rs", "nearest_mode 'round_prefer_ceil'" },
        { "Resize fractional scale", "rs", "row factor 1.5" },
        { "Resize batch scale", "rs", "batch and channels unscaled" },
        { "Resize computed scales", "rs", "must be an initializer or a Constant" },
        { "Resize opset 10", "rs", "opset 10" },
        { "Concat axis 2", "cat", "'axis' = 2" },
        { "Concat unequal sizes", "cat", "needs the same height and width" },
        { "Slice step 2", "sl", "only step 1" },
        { "Slice channels", "sl", "channel axis 1" },
        { "Slice batch", "sl", "batch axis 0" },
        { "Slice empty", "sl", "is empty" },
        { "Constant string", "k", "only numeric constants" },
        { "Constant two values", "k", "exactly one of value" },
        { "Softmax spatial opset 11", "sm", "opset 11" },
        // Hostile sizes: refused before anything of that size is made.
        { "Resize huge factor", "rs", "more than 65536 per axis" },
        { "ConvTranspose huge stride", "ct", "expected 1..65536 per axis" },
        { "Constant lying dims", "k", "hold more than" },
        { "Constant float bounds", "sl", "cannot be read as int64" },
    };

    /// <summary>Slice bounds are int64 from the file: the extremes clamp as ONNX defines, without overflow.</summary>
    [Fact]
    public void Extreme_slice_bounds_clamp_to_the_axis()
    {
        var model = new OnnxModel();
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 4, 4));
        g.Initializers.Add(OnnxTensor.FromInt64s("starts", [long.MinValue, 1], 2));
        g.Initializers.Add(OnnxTensor.FromInt64s("ends", [-1, long.MaxValue], 2));
        g.Initializers.Add(OnnxTensor.FromInt64s("axes", [2, 3], 2));
        Node(g, "Slice", "sl", ["x", "starts", "ends", "axes"], "y");
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 2, 3, 3));
        ImportedLayer crop = Assert.Single(OnnxImporter.Import(model, "m.onnx").Layers);
        Assert.Equal((ImportedLayerKind.Cropping2D, 0, 1, 1, 0), (crop.Kind, crop.PadTop, crop.PadBottom, crop.PadLeft, crop.PadRight));
        Assert.Equal(TensorShape.Spatial(3, 3, 2), crop.OutputShape);
    }

    [Theory]
    [MemberData(nameof(RefusedForms))]
    public void Unsupported_forms_are_refused_naming_the_node_and_attribute(string form, string node, string reason)
    {
        OnnxModel model = Refused(form);
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "m.onnx"));
        ImportIssue issue = Assert.Single(error.Issues);
        Assert.Equal(node, issue.NodeName);
        Assert.Contains(reason, issue.Reason);
        Assert.StartsWith("m.onnx: ", error.Message);
        Assert.Contains($"'{node}'", error.Message);
    }

    /// <summary>x [1,2,4,4] into one node under test, then its output.</summary>
    private static OnnxModel Refused(string form)
    {
        var model = new OnnxModel();
        model.OpsetImports.Add(new OnnxOpsetImport("", form.Contains("opset 10") ? 10 : form.Contains("opset 11") ? 11 : 13));
        OnnxGraph g = model.Graph;
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 4, 4));
        g.Initializers.Add(OnnxTensor.FromFloats("w", new float[2 * 2 * 3 * 3], 2, 2, 3, 3));
        g.Initializers.Add(OnnxTensor.FromFloats("scales", [1f, 1f, 2f, 2f], 4));
        g.Initializers.Add(OnnxTensor.FromInt64s("starts", [0], 1));
        g.Initializers.Add(OnnxTensor.FromInt64s("ends", [3], 1));
        OnnxAttribute strides = OnnxAttribute.FromInts("strides", 2, 2);
        string result = "y";
        switch (form)
        {
            case "ConvTranspose group 2": Node(g, "ConvTranspose", "ct", ["x", "w"], "y", OnnxAttribute.FromInt("group", 2)); break;
            case "ConvTranspose SAME_UPPER": Node(g, "ConvTranspose", "ct", ["x", "w"], "y", strides, Text("auto_pad", "SAME_UPPER")); break;
            case "ConvTranspose output_shape": Node(g, "ConvTranspose", "ct", ["x", "w"], "y", strides, OnnxAttribute.FromInts("output_shape", 8, 8)); break;
            case "ConvTranspose strides per axis": Node(g, "ConvTranspose", "ct", ["x", "w"], "y", OnnxAttribute.FromInts("strides", 2, 1)); break;
            case "ConvTranspose output padding past the stride":
                // ONNX allows output_padding below the dilation 3; ConvGen's OutputPadding stays below the stride 1.
                Node(g, "ConvTranspose", "ct", ["x", "w"], "y", OnnxAttribute.FromInts("dilations", 3, 3), OnnxAttribute.FromInts("output_padding", 2, 2));
                break;
            case "Resize cubic": Node(g, "Resize", "rs", ["x", "", "scales"], "y", Text("mode", "cubic")); break;
            case "Resize linear align_corners": Node(g, "Resize", "rs", ["x", "", "scales"], "y", Text("mode", "linear"), Text("coordinate_transformation_mode", "align_corners")); break;
            case "Resize nearest round_prefer_ceil": Node(g, "Resize", "rs", ["x", "", "scales"], "y", Text("coordinate_transformation_mode", "asymmetric"), Text("nearest_mode", "round_prefer_ceil")); break;
            case "Resize fractional scale":
                g.Initializers.Add(OnnxTensor.FromFloats("odd", [1f, 1f, 1.5f, 2f], 4));
                Node(g, "Resize", "rs", ["x", "", "odd"], "y");
                break;
            case "Resize batch scale":
                g.Initializers.Add(OnnxTensor.FromFloats("batch", [2f, 1f, 2f, 2f], 4));
                Node(g, "Resize", "rs", ["x", "", "batch"], "y");
                break;
            case "Resize computed scales":
                Node(g, "Relu", "relu", ["x"], "r");
                Node(g, "Resize", "rs", ["x", "", "r"], "y");
                break;
            case "Resize opset 10": Node(g, "Resize", "rs", ["x", "scales"], "y"); break;
            case "Concat axis 2": Node(g, "Concat", "cat", ["x", "x"], "y", OnnxAttribute.FromInt("axis", 2)); break;
            case "Concat unequal sizes":
                Node(g, "MaxPool", "pool", ["x"], "p", OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2));
                Node(g, "Concat", "cat", ["x", "p"], "y", OnnxAttribute.FromInt("axis", 1));
                break;
            case "Slice step 2":
                g.Initializers.Add(OnnxTensor.FromInt64s("axes", [2], 1));
                g.Initializers.Add(OnnxTensor.FromInt64s("steps", [2], 1));
                Node(g, "Slice", "sl", ["x", "starts", "ends", "axes", "steps"], "y");
                break;
            case "Slice channels":
                g.Initializers.Add(OnnxTensor.FromInt64s("ends1", [1], 1));
                g.Initializers.Add(OnnxTensor.FromInt64s("axes", [1], 1));
                Node(g, "Slice", "sl", ["x", "starts", "ends1", "axes"], "y");
                break;
            case "Slice batch": Node(g, "Slice", "sl", ["x", "starts", "ends"], "y"); break;
            case "Slice empty":
                g.Initializers.Add(OnnxTensor.FromInt64s("axes", [3], 1));
                g.Initializers.Add(OnnxTensor.FromInt64s("late", [9], 1));
                Node(g, "Slice", "sl", ["x", "late", "ends", "axes"], "y");
                break;
            case "Constant string":
                Node(g, "Constant", "k", [], "y", Text("value_string", "hello"));
                break;
            case "Constant two values":
                Node(g, "Constant", "k", [], "y", OnnxAttribute.FromInt("value_int", 1), OnnxAttribute.FromFloat("value_float", 1f));
                break;
            case "Softmax spatial opset 11": Node(g, "Softmax", "sm", ["x"], "y", OnnxAttribute.FromInt("axis", 1)); break;
            case "Resize huge factor":
                g.Initializers.Add(OnnxTensor.FromFloats("huge", [1f, 1f, 65536f, 65536f], 4));
                Node(g, "Resize", "rs", ["x", "", "huge"], "y");
                break;
            case "ConvTranspose huge stride": Node(g, "ConvTranspose", "ct", ["x", "w"], "y", OnnxAttribute.FromInts("strides", 65536, 65536)); break;
            case "Constant lying dims":
                // Dims of 2^40 floats and no data: refused from the dims, nothing allocated.
                var lying = new OnnxTensor { DataType = OnnxDataType.Float };
                lying.Dims.Add(1L << 40);
                Node(g, "Constant", "k", [], "y", TensorValue(lying));
                break;
            case "Constant float bounds":
                Node(g, "Constant", "k", [], "f", TensorValue(OnnxTensor.FromFloats("", [0f], 1)));
                Node(g, "Slice", "sl", ["x", "f", "ends"], "y");
                break;
            default: throw new ArgumentException(form);
        }
        g.Outputs.Add(OnnxValueInfo.FloatTensor(result, 1, 2, 8, 8));
        return model;
    }
}
