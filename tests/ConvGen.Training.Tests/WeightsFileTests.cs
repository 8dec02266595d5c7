using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Training.Tests;

public class WeightsFileTests
{
    [Fact]
    public void Save_then_Load_restores_every_parameter()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        var saved = new FakeNetwork();
        saved.InitializeParameters(1);
        WeightsFile.Save(saved, path);

        var loaded = new FakeNetwork();
        loaded.InitializeParameters(2);
        WeightsFile.Load(loaded, path);

        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void Saved_file_is_plain_safetensors_with_convgen_metadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        var network = new FakeNetwork();
        network.InitializeParameters(1);
        WeightsFile.Save(network, path);

        SafeTensorFile file = SafeTensors.Read(path);
        Assert.Equal("convgen", file.Metadata["format"]);
        Assert.Equal(typeof(FakeNetwork).FullName, file.Metadata["network"]);
        Assert.Equal("[4,4,1]", file.Metadata["input_shape"]);
        Assert.Contains("0 conv2d Conv2D [4,4,1]->[4,4,2] params=20", file.Metadata["layers"]);
        Assert.Contains("conv2d.weight=HWIO", file.Metadata["layouts"]);
        Assert.Equal(new[] { "conv2d.weight", "conv2d.bias", "dense.weight", "dense.bias" }, file.Tensors.Select(t => t.Name));
        Assert.Equal(new[] { 3, 3, 1, 2 }, file.Get("conv2d.weight").Shape);
        Assert.Equal(network.Parameters.Slice(18, 2).ToArray(), file.Get("conv2d.bias").Data);
    }

    [Fact]
    public void Load_refuses_a_shape_mismatch_before_changing_anything()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        WeightsFile.Save(new FakeNetwork(kernel: 5), path);
        var network = new FakeNetwork(kernel: 3);
        network.InitializeParameters(9);
        float[] before = network.Parameters.ToArray();

        var e = Assert.Throws<InvalidDataException>(() => WeightsFile.Load(network, path));

        Assert.StartsWith($"{path}: tensor 'conv2d.weight' has shape [5,5,1,2] but the network expects [3,3,1,2]", e.Message);
        Assert.Contains("No parameter was changed", e.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Load_refuses_missing_and_extra_tensors_listing_each()
    {
        using var dir = new TempDirectory();
        string withoutBias = dir.File("without-bias.safetensors");
        WeightsFile.Save(new FakeNetwork(withDenseBias: false), withoutBias);
        var full = new FakeNetwork();
        full.InitializeParameters(3);
        float[] before = full.Parameters.ToArray();
        var missing = Assert.Throws<InvalidDataException>(() => WeightsFile.Load(full, withoutBias));
        Assert.Contains($"{withoutBias}: tensor 'dense.bias' is missing; the network expects shape [3]", missing.Message);
        Assert.Equal(before, full.Parameters.ToArray());

        string withBias = dir.File("with-bias.safetensors");
        WeightsFile.Save(full, withBias);
        var smaller = new FakeNetwork(withDenseBias: false);
        var extra = Assert.Throws<InvalidDataException>(() => WeightsFile.Load(smaller, withBias));
        Assert.Contains($"{withBias}: tensor 'dense.bias' [3] is not a parameter of the network", extra.Message);
        Assert.All(smaller.Parameters.ToArray(), value => Assert.Equal(0f, value));
    }
}
