using System;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using ConvGen.Serialization;
using ConvGen.Tool.Visualize;
using SkiaSharp;

namespace ConvGen.Tool.Tests;

public sealed class VisualizeCommandTests : TemporaryFolder
{
    private static float[] Picture(int seed)
    {
        var random = new SeededRandom((ulong)seed);
        return Enumerable.Range(0, 12 * 12 * 3).Select(_ => random.NextSingle()).ToArray();
    }

    /// <summary>Copies the saved tensors of the same names into <paramref name="prefix"/> (a network made of the saved one's first layers).</summary>
    private static T WithWeightsOf<T>(SavedNetwork saved, T prefix) where T : INetwork
    {
        foreach (var tensor in prefix.ParameterTensors)
        {
            saved.File.Get(tensor.Name).Data.CopyTo(prefix.Parameters.Slice(tensor.Offset, tensor.Length));
        }
        return prefix;
    }

    [Fact]
    public void Reference_forward_from_the_file_matches_the_generated_network_layer_by_layer()
    {
        var net = TrainedWeights.Save(In("tool-net.safetensors"));
        var saved = SavedNetwork.Read(In("tool-net.safetensors"));
        // ToolNetPrefix is ToolNet's first three layers under the same names: its Predict is the
        // generated code's conv2d_1 output for the trained weights.
        var prefix = WithWeightsOf(saved, ToolNetPrefix.Create(seed: 0));
        for (int seed = 1; seed <= 3; seed++)
        {
            float[] image = Picture(seed);
            var expected = new float[prefix.OutputShape.Length];
            prefix.Predict(image, expected);
            float[] actual = ReferenceForward.Run(saved, image, last: 2);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"picture {seed}, value {i}: generated {expected[i]}, reference {actual[i]}");
            }
        }
        Assert.NotNull(net);
    }

    [Fact]
    public void Reference_forward_handles_dilation_same_padding_pools_no_bias_elu_and_gelu()
    {
        var net = DilatedNet.Create(seed: 9);
        WeightsFile.Save(net, In("dilated.safetensors"));
        var saved = SavedNetwork.Read(In("dilated.safetensors"));
        var prefix = WithWeightsOf(saved, DilatedNetPrefix.Create(seed: 0));
        var random = new SeededRandom(21);
        float[] image = Enumerable.Range(0, 11 * 11 * 2).Select(_ => 2 * random.NextSingle() - 1).ToArray();
        var expected = new float[prefix.OutputShape.Length];
        prefix.Predict(image, expected);
        float[] actual = ReferenceForward.Run(saved, image, last: 3);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"value {i}: generated {expected[i]}, reference {actual[i]}");
        }
    }

    [Fact]
    public void Reference_forward_runs_zero_padding_and_depthwise_convolutions_from_the_file()
    {
        var net = MobileToolNet.Create(seed: 5);
        WeightsFile.Save(net, In("mobile.safetensors"));
        var saved = SavedNetwork.Read(In("mobile.safetensors"));
        Assert.Equal(net.Layers.Select(l => l.Config), saved.Layers.Select(l => l.Config));
        var prefix = WithWeightsOf(saved, MobileToolNetPrefix.Create(seed: 0));
        float[] image = Picture(4).Select(v => 2 * v - 1).ToArray();
        var expected = new float[prefix.OutputShape.Length];
        prefix.Predict(image, expected);
        float[] actual = ReferenceForward.Run(saved, image, last: 2);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"value {i}: generated {expected[i]}, reference {actual[i]}");
        }
    }

    [Fact]
    public void Reference_forward_takes_explicit_pads_stride_dilation_and_alpha_from_the_saved_configuration()
    {
        var net = PaddedResidualNet.Create(seed: 4);
        WeightsFile.Save(net, In("padded.safetensors"));
        var saved = SavedNetwork.Read(In("padded.safetensors"));
        Assert.Equal(net.Layers.Select(l => l.Config), saved.Layers.Select(l => l.Config));
        var prefix = WithWeightsOf(saved, PaddedResidualNetPrefix.Create(seed: 0));
        var random = new SeededRandom(8);
        float[] image = Enumerable.Range(0, 12 * 12 * 3).Select(_ => 2 * random.NextSingle() - 1).ToArray();
        var expected = new float[prefix.OutputShape.Length];
        prefix.Predict(image, expected);
        float[] actual = ReferenceForward.Run(saved, image, last: 2);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"value {i}: generated {expected[i]}, reference {actual[i]}");
        }

        ImageWriter.WritePng(In("picture.png"), Picture(2), 12, 12, 3);
        var result = Convgen.Run("visualize", In("padded.safetensors"), "--out", In("pictures"), "--image", In("picture.png"), "--layer", "max_pooling2d");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("4 feature maps of 'max_pooling2d' [6,7,4]", result.Output);
    }

    [Fact]
    public void A_file_saved_before_layer_configurations_still_loads_and_feature_maps_say_why_they_cannot_be_drawn()
    {
        WeightsFile.Save(PaddedResidualNet.Create(seed: 4), In("new.safetensors"));
        var file = SafeTensors.Read(In("new.safetensors"));
        SafeTensors.Write(In("old.safetensors"), file.Tensors, file.Metadata.Where(m => m.Key != "layer_configs").ToDictionary());

        var old = SavedNetwork.Read(In("old.safetensors"));
        Assert.All(old.Layers, l => Assert.Null(l.Config));
        Assert.Equal("4@3x3 s2 pad 1,0,2,1 leaky_relu", old.Layers[0].Description);

        ImageWriter.WritePng(In("picture.png"), Picture(2), 12, 12, 3);
        var filtersOnly = Convgen.Run("visualize", In("old.safetensors"), "--out", In("pictures"));
        Assert.True(filtersOnly.ExitCode == 0, filtersOnly.ToString());
        var maps = Convgen.Run("visualize", In("old.safetensors"), "--out", In("pictures"), "--image", In("picture.png"), "--layer", "conv2d");
        Assert.Equal(2, maps.ExitCode);
        Assert.Contains("layer 0 'conv2d' (Conv2D) has no structured configuration", maps.Error);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("[]", "is not a JSON array with one entry per layer (6)")]
    [InlineData("[{\"type\":\"pool\"},null,null,null,null,null]", "entry 0 (layer 'conv2d') has no field 'kernel_height'")]
    [InlineData("[{\"type\":\"dense\",\"units\":4,\"activation\":\"Relu\",\"alpha\":0,\"use_bias\":true},null,null,null,null,null]", "entry 0 (layer 'conv2d') is a 'dense' configuration, which does not fit a Conv2D layer")]
    [InlineData("[null,null,null,null,null,{\"type\":\"dense\",\"units\":-2,\"activation\":\"Relu\",\"alpha\":0,\"use_bias\":true}]", "entry 5 (layer 'dense') field 'units' = -2 is not a whole number of at least 1")]
    [InlineData("[null,null,null,null,null,{\"type\":\"dense\",\"units\":2,\"activation\":\"Swish\",\"alpha\":0,\"use_bias\":true}]", "field 'activation' = \"Swish\" is not one of Linear, Relu")]
    [InlineData("[null,null,null,null,null,{\"type\":\"dense\",\"units\":2,\"activation\":\"Relu\",\"alpha\":1e300,\"use_bias\":true}]", "field 'alpha' = 1E+300 does not fit a float")]
    [InlineData("[[[[[[[1]]]]]]]", "is not valid JSON")]
    public void A_malformed_layer_configs_entry_is_refused_naming_the_file_the_layer_and_the_field(string entry, string expected)
    {
        WeightsFile.Save(PaddedResidualNet.Create(seed: 4), In("good.safetensors"));
        var file = SafeTensors.Read(In("good.safetensors"));
        var metadata = file.Metadata.ToDictionary();
        metadata["layer_configs"] = entry;
        SafeTensors.Write(In("bad.safetensors"), file.Tensors, metadata);

        var error = Assert.Throws<InvalidDataException>(() => SavedNetwork.Read(In("bad.safetensors")));
        Assert.Contains("bad.safetensors: metadata 'layer_configs'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Filters_and_feature_maps_are_written_as_grids_whose_pixels_are_the_normalised_values()
    {
        TrainedWeights.Save(In("tool-net.safetensors"));
        var saved = SavedNetwork.Read(In("tool-net.safetensors"));
        float[] picture = Picture(7);
        ImageWriter.WritePng(In("picture.png"), picture, 12, 12, 3);
        string output = In("pictures");

        var result = Convgen.Run("visualize", In("tool-net.safetensors"), "--out", output, "--image", In("picture.png"), "--layer", "conv2d_1", "--scale", "4");
        Assert.True(result.ExitCode == 0, result.ToString());

        // Filters: 4 RGB tiles of 3x3, scaled by 48 / 3 = 16, 4 px gaps, one caption row of 16 px.
        using (var filters = SKBitmap.Decode(Path.Combine(output, "filters-conv2d.png")))
        {
            Assert.Equal((4 * (48 + 4) + 4, 48 + 4 + 16 + 4), (filters.Width, filters.Height));
            float[] weight = saved.File.Get("conv2d.weight").Data;   // HWIO [3][3][3][4]
            for (int f = 0; f < 4; f++)
            {
                // Kernel cell (1, 2) of filter f, in the middle of its 16x16 block.
                float[] values = Enumerable.Range(0, 27).Select(i => weight[i * 4 + f]).ToArray();
                float min = values.Min(), max = values.Max();
                var pixel = filters.GetPixel(4 + f * 52 + 2 * 16 + 8, 4 + 16 + 1 * 16 + 8);
                byte[] rgb = { pixel.Red, pixel.Green, pixel.Blue };
                for (int c = 0; c < 3; c++)
                {
                    float expected = 255 * (weight[((1 * 3 + 2) * 3 + c) * 4 + f] - min) / (max - min);
                    Assert.True(Math.Abs(expected - rgb[c]) <= 1, $"filter {f} channel {c}: pixel {rgb[c]}, expected {expected:0.0}");
                }
            }
        }
        // Feature maps of conv2d_1: 5 grey tiles of 3x3 at scale 4.
        float[] maps = ReferenceForward.Run(saved, ImageDecoder.Load(In("picture.png"), 12, 12, 3), last: 2);
        using (var grid = SKBitmap.Decode(Path.Combine(output, "feature-maps-conv2d_1.png")))
        {
            Assert.Equal((5 * (12 + 4) + 4, 12 + 4 + 16 + 4), (grid.Width, grid.Height));
            for (int c = 0; c < 5; c++)
            {
                float[] channel = Enumerable.Range(0, 9).Select(p => maps[p * 5 + c]).ToArray();
                float min = channel.Min(), max = channel.Max();
                for (int p = 0; p < 9; p++)
                {
                    byte grey = grid.GetPixel(4 + c * 16 + (p % 3) * 4 + 2, 4 + 16 + (p / 3) * 4 + 2).Red;
                    float expected = max > min ? 255 * (channel[p] - min) / (max - min) : 0;
                    Assert.True(Math.Abs(expected - grey) <= 1, $"map {c} pixel {p}: {grey}, expected {expected:0.0}");
                }
            }
        }
        Assert.True(File.Exists(Path.Combine(output, "input.png")));
        Assert.Contains("5 feature maps of 'conv2d_1' [3,3,5]", result.Output);
    }

    [Fact]
    public void Layers_without_maps_and_unknown_layers_are_usage_errors_that_list_the_choices()
    {
        TrainedWeights.Save(In("tool-net.safetensors"));
        ImageWriter.WritePng(In("picture.png"), Picture(1), 12, 12, 3);

        var dense = Convgen.Run("visualize", In("tool-net.safetensors"), "--out", Folder, "--image", In("picture.png"), "--layer", "dense");
        Assert.Equal(2, dense.ExitCode);
        Assert.Contains("'dense' (Dense) outputs [3], not spatial maps", dense.Error);

        var unknown = Convgen.Run("visualize", In("tool-net.safetensors"), "--out", Folder, "--image", In("picture.png"), "--layer", "conv9");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--layer conv9: no such layer; expected one of 0 'conv2d', 1 'max_pooling2d', 2 'conv2d_1', 3 'flatten', 4 'dense'", unknown.Error);

        var noImage = Convgen.Run("visualize", In("tool-net.safetensors"), "--out", Folder, "--layer", "conv2d");
        Assert.Equal(2, noImage.ExitCode);
        Assert.Contains("--layer needs --image", noImage.Error);

        var missingImage = Convgen.Run("visualize", In("tool-net.safetensors"), "--out", Folder, "--image", In("nope.png"));
        Assert.Equal(1, missingImage.ExitCode);
        Assert.Contains("nope.png: file not found (expected an image", missingImage.Error);
    }
}
