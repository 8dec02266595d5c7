using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Tests.Reference;
using Xunit.Abstractions;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>
/// The proof of the mapping: ONNX Runtime on the original file and the plain C# reference on
/// the imported layers and weights must give the same 512 features.
/// </summary>
public sealed class ResNet18NumericTests(ResNet18Fixture fixture, ITestOutputHelper output) : IClassFixture<ResNet18Fixture>
{
    private const int Size = 224;

    [Fact]
    public void Preprocessing_graph_swaps_RGB_to_BGR_and_subtracts_the_mean_image()
    {
        float[] rgb = SyntheticImages.RgbNchw(seed: 0, Size, Size);
        float[] expected = OnnxRuntimeRunner.Run(PretrainedPackage.ResNetPreprocess, rgb, 1, 3, Size, Size);
        float[] actual = Preprocess(rgb);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4f);
        }
    }

    [Fact]
    public void Reference_forward_matches_OnnxRuntime_on_the_512_features()
    {
        double worst = 0;
        for (int seed = 0; seed < 2; seed++)
        {
            float[] preprocessed = Preprocess(SyntheticImages.RgbNchw(seed, Size, Size));
            float[] expected = OnnxRuntimeRunner.Run(PretrainedPackage.ResNet18, preprocessed, 1, 3, Size, Size);

            float[] actual = ReferenceForward.Run(fixture.Network, SyntheticImages.NchwToNhwc(preprocessed, 3, Size, Size));

            Assert.Equal(512, expected.Length);
            Assert.Equal(512, actual.Length);
            int compared = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                if (Math.Abs(expected[i]) > 1e-2)
                {
                    worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Abs(expected[i]));
                    compared++;
                }
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])),
                    $"image {seed} feature {i}: reference {actual[i]} vs ONNX Runtime {expected[i]}");
            }
            // Features must be informative, or the comparison proves little.
            Assert.True(compared > 256, $"only {compared} of 512 features exceed 1e-2");
            output.WriteLine($"image {seed}: {compared} features > 1e-2, mean {expected.Average():F4}, max {expected.Max():F4}");
        }
        output.WriteLine($"max relative difference on features > 1e-2: {worst:E3}");
        Assert.True(worst <= 1e-4, $"max relative difference {worst:E3} exceeds 1e-4");
    }

    /// <summary>The importer writes exactly the declaration this project compiles (Pretrained/ResNet18.cs).</summary>
    [Fact]
    public void Compiled_declaration_is_what_the_importer_writes()
    {
        string written = DeclarationWriter.Render(fixture.Network, "Pretrained", "ResNet18");
        string compiled = System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Pretrained", "ResNet18.cs"));
        Assert.Equal(compiled.ReplaceLineEndings(), written.ReplaceLineEndings());
    }

    /// <summary>
    /// The generated network: the importer's declaration compiled by the ConvGen generator, the
    /// importer's safetensors loaded with <see cref="Serialization.WeightsFile"/>, Predict on the
    /// same preprocessed images as ONNX Runtime on the original file.
    /// </summary>
    [Fact]
    public void Generated_network_matches_OnnxRuntime_on_the_512_features_on_one_thread_and_split_over_two()
    {
        string weights = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"convgen-resnet18-{Environment.ProcessId}.safetensors");
        fixture.Network.WriteWeights(weights);
        var network = new global::Pretrained.ResNet18();
        try
        {
            global::ConvGen.Serialization.WeightsFile.Load(network, weights);
        }
        finally
        {
            System.IO.File.Delete(weights);
        }
        Assert.Equal(new TensorShape(1, 1, 512, 3), network.OutputShape);
        Assert.Equal(fixture.Network.Weights.Sum(w => (long)w.Data.Length), network.Parameters.Length);

        // Two images in one batch, so that per-sample offsets are exercised too.
        const int Images = 2;
        var inputs = new float[Images * Size * Size * 3];
        var expected = new float[Images][];
        for (int seed = 0; seed < Images; seed++)
        {
            float[] preprocessed = Preprocess(SyntheticImages.RgbNchw(seed, Size, Size));
            expected[seed] = OnnxRuntimeRunner.Run(PretrainedPackage.ResNet18, preprocessed, 1, 3, Size, Size);
            SyntheticImages.NchwToNhwc(preprocessed, 3, Size, Size).CopyTo(inputs, seed * Size * Size * 3);
        }
        var features = new float[Images * 512];
        network.Predict(inputs, features);

        // Each picture split over two threads, then both at once: the same features bit for bit,
        // so the threaded forward is as close to ONNX Runtime as the comparison below shows.
        using (var split = (InferenceWorkspace)network.CreateInferenceWorkspace(Images, threads: 2))
        {
            var threaded = new float[Images * 512];
            for (int n = 0; n < Images; n++)
            {
                network.Forward(inputs.AsSpan(n * Size * Size * 3, Size * Size * 3), threaded.AsSpan(n * 512, 512), split);
            }
            Assert.Equal(features, threaded);
            Array.Clear(threaded);
            network.Forward(inputs, threaded, split);
            Assert.Equal(features, threaded);
        }

        double worst = 0;
        for (int seed = 0; seed < Images; seed++)
        {
            int compared = 0;
            for (int i = 0; i < 512; i++)
            {
                float actual = features[seed * 512 + i];
                float reference = expected[seed][i];
                if (Math.Abs(reference) > 1e-2)
                {
                    worst = Math.Max(worst, Math.Abs(actual - reference) / Math.Abs(reference));
                    compared++;
                }
                Assert.True(Math.Abs(actual - reference) <= 1e-4 * Math.Max(1, Math.Abs(reference)),
                    $"image {seed} feature {i}: generated {actual} vs ONNX Runtime {reference}");
            }
            Assert.True(compared > 256, $"only {compared} of 512 features exceed 1e-2");
            output.WriteLine($"image {seed}: {compared} features > 1e-2 compared");
        }
        output.WriteLine($"generated ResNet-18: max relative difference on features > 1e-2: {worst:E3}");
        Assert.True(worst <= 1e-4, $"max relative difference {worst:E3} exceeds 1e-4");
    }

    /// <summary>
    /// ResNetPreprocess.onnx in C#: Split the RGB planes, Concat them as B,G,R, Sub the
    /// [1,3,224,224] per-pixel "MeanImage" (stored BGR; channel means ≈ 103.1, 115.9, 123.2).
    /// Input and output stay in the 0-255 scale.
    /// </summary>
    private static float[] Preprocess(float[] rgbNchw)
    {
        OnnxModel model = OnnxModel.Load(PretrainedPackage.ResNetPreprocess);
        float[] mean = model.Graph.Initializers.Single(t => t.Name == "MeanImage").ToFloatArray();
        int plane = Size * Size;
        var bgr = new float[rgbNchw.Length];
        for (int c = 0; c < 3; c++)
        {
            int source = 2 - c;
            for (int p = 0; p < plane; p++)
            {
                bgr[c * plane + p] = rgbNchw[source * plane + p] - mean[c * plane + p];
            }
        }
        return bgr;
    }
}
