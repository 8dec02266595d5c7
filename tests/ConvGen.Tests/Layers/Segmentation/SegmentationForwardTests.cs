using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Segmentation;

/// <summary>
/// Conv2DTranspose, UpSampling2D (nearest and bilinear), Cropping2D and Concatenate against the
/// double-precision reference, alone and in a small U-Net; and their output sizes and layer table.
/// </summary>
public sealed class SegmentationForwardTests(SegmentationForwardTests.Networks networks)
    : IClassFixture<SegmentationForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(SegmentationForwardTests), SegmentationCases.All);

    public static TheoryData<string, int> Rows => ForwardCase.Rows(SegmentationCases.All);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    // Keras: valid in*s + max(k-s, 0), same in*s, with output padding (in-1)*s + k - 2*pad + op.
    [Theory]
    [InlineData("ConvT_k3_s2_valid", 9, 11)]
    [InlineData("ConvT_k1_s3_valid", 9, 6)]
    [InlineData("ConvT_k3_s2_same", 8, 6)]
    [InlineData("ConvT_k4_s2_same", 6, 6)]
    [InlineData("ConvT_k3_s2_same_op1", 6, 8)]
    [InlineData("ConvT_k3_s3_valid_op2", 11, 11)]
    [InlineData("ConvT_k2x3_s2_d2_valid", 7, 11)]
    public void Transposed_convolution_sizes_follow_keras(string network, int height, int width)
    {
        var shape = networks.Create(network).OutputShape;
        Assert.Equal((height, width), (shape.Height, shape.Width));
    }

    [Fact]
    public void Layer_table_describes_the_new_kinds()
    {
        var network = networks.Create("UNet_small");
        Assert.Equal(new[] { "up", "skip", "resized" }, network.Layers[6].Inputs);
        Assert.Equal(new ConcatenateConfig(), network.Layers[6].Config);
        Assert.Equal(new CroppingConfig(2, 2, 2, 2), network.Layers[4].Config);
        Assert.Equal(new UpSamplingConfig(2, 2, UpSamplingInterpolation.Bilinear), network.Layers[5].Config);
        var transposed = Assert.IsType<TransposedConvolutionConfig>(network.Layers[3].Config);
        Assert.Equal((3, 2, 2, -1, true), (transposed.Filters, transposed.KernelHeight, transposed.StrideHeight, transposed.OutputPadding, transposed.UseBias));
        Assert.Contains("-> 6x6", network.Layers[3].Description);
        var lines = ModelSummary.Format(network).Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^concatenate \(Concatenate\)\s+\[6, ?6, ?10\]\s+0\s+up, skip, resized$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^up \(Conv2DTranspose\)\s+\[6, ?6, ?3\]\s+51\s+bottleneck$"));
    }

    // The weights file records every layer's configuration; reading it back gives the same records.
    [Theory]
    [InlineData("UNet_small")]
    [InlineData("ConvT_k3_s3_valid_op2")]
    [InlineData("ConvT_k1_s3_valid")]
    public void Weights_file_keeps_the_new_layer_configurations(string name)
    {
        var network = networks.Create(name);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"convgen-{name}-{System.Guid.NewGuid():N}.safetensors");
        try
        {
            ConvGen.Serialization.WeightsFile.Save(network, path);
            var saved = ConvGen.Serialization.SavedNetwork.Read(path);
            Assert.Equal(network.Layers.Select(l => (l.Kind, l.Config)), saved.Layers.Select(l => (l.Kind, l.Config)));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
