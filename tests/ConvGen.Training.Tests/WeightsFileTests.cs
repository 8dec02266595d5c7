using System;
using System.Collections.Generic;
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

    [Fact]
    public void Load_refuses_NaN_and_infinity_naming_tensor_and_first_index_before_changing_anything()
    {
        using var dir = new TempDirectory();
        string path = dir.File("nan.safetensors");
        var saved = new FakeNetwork();
        saved.InitializeParameters(1);
        WeightsFile.Save(saved, path);
        // Written through the generic writer, which keeps NaN (a file from elsewhere may hold them).
        var tensors = SafeTensors.Read(path).Tensors.ToList();
        tensors[2] = tensors[2] with { Data = tensors[2].Data.Select((v, i) => i == 5 ? float.NaN : i == 7 ? float.PositiveInfinity : v).ToArray() };
        tensors[3] = tensors[3] with { Data = tensors[3].Data.Select((v, i) => i == 2 ? float.NegativeInfinity : v).ToArray() };
        SafeTensors.Write(path, tensors, SafeTensors.Read(path).Metadata);
        var network = new FakeNetwork();
        network.InitializeParameters(9);
        float[] before = network.Parameters.ToArray();

        var e = Assert.Throws<InvalidDataException>(() => WeightsFile.Load(network, path));

        Assert.StartsWith($"{path}: tensor 'dense.weight' holds NaN at index 5 (only finite values are allowed)", e.Message);
        Assert.Contains($"{path}: tensor 'dense.bias' holds -Infinity at index 2", e.Message);
        Assert.Contains("No parameter was changed", e.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Save_refuses_non_finite_weights_and_keeps_the_previous_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        var network = new FakeNetwork();
        network.InitializeParameters(1);
        WeightsFile.Save(network, path);
        byte[] before = File.ReadAllBytes(path);

        network.Parameters[19] = float.NaN; // conv2d.bias[1]
        var e = Assert.Throws<InvalidOperationException>(() => WeightsFile.Save(network, path));

        Assert.Equal($"{path}: not written: tensor 'conv2d.bias' holds NaN at index 1 (only finite values are allowed); did training diverge? The file on disk, if any, is unchanged.", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("params=99999999999", "layer table row 1 '0 conv2d Conv2D [4,4,1]->[4,4,2] params=99999999999 (x)' is not")]
    [InlineData("index", "layer table row 1 '4294967296 conv2d Conv2D [4,4,1]->[4,4,2] params=20 (x)' is not")]
    [InlineData("shape", "layer table row 1 '0 conv2d Conv2D [65536,65536,1]->[4,4,2] params=20 (x)' is not")]
    public void SavedNetwork_refuses_numbers_that_overflow_naming_the_row(string what, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("layers.safetensors");
        var network = new FakeNetwork();
        WeightsFile.Save(network, path);
        SafeTensorFile file = SafeTensors.Read(path);
        var metadata = file.Metadata.ToDictionary(m => m.Key, m => m.Value);
        metadata["layers"] = what switch
        {
            "params=99999999999" => "0 conv2d Conv2D [4,4,1]->[4,4,2] params=99999999999 (x)",
            "index" => "4294967296 conv2d Conv2D [4,4,1]->[4,4,2] params=20 (x)",
            _ => "0 conv2d Conv2D [65536,65536,1]->[4,4,2] params=20 (x)",
        };
        SafeTensors.Write(path, file.Tensors, metadata);

        var e = Assert.Throws<InvalidDataException>(() => SavedNetwork.Read(path));
        Assert.StartsWith($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void Damaged_weights_files_are_refused_without_changing_the_network()
    {
        // Weights and checkpoint files with random byte damage go through every reader on top of
        // SafeTensors: each either loads or throws InvalidDataException naming the file, and a
        // refused load leaves the network (and the optimizer) exactly as it was.
        using var dir = new TempDirectory();
        string weightsPath = dir.File("weights.safetensors");
        var saved = new FakeNetwork();
        saved.InitializeParameters(1);
        WeightsFile.Save(saved, weightsPath);
        string checkpointPath = dir.File("ckpt.safetensors");
        var trained = new FakeTrainableNetwork();
        var adam = new Adam(0.01f);
        trained.TrainSteps(3, adam, steps: 2);
        TrainingCheckpoint.Save(checkpointPath, trained, adam, epochsCompleted: 2, seed: 5);

        var random = new Random(99);
        foreach (string original in new[] { weightsPath, checkpointPath })
        {
            byte[] valid = File.ReadAllBytes(original);
            int headerEnd = 8 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(valid);
            for (int trial = 0; trial < 800; trial++)
            {
                byte[] bytes = (byte[])valid.Clone();
                int at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(8, headerEnd);
                bytes[at] = (byte)random.Next(256);
                string source = $"{original} (trial {trial})";
                SafeTensorFile file;
                try
                {
                    file = SafeTensors.Read(bytes, source);
                }
                catch (InvalidDataException e)
                {
                    Assert.StartsWith(source + ": ", e.Message);
                    continue;
                }
                if (original == weightsPath)
                {
                    var network = new FakeNetwork();
                    network.InitializeParameters(2);
                    float[] before = network.Parameters.ToArray();
                    AssertLoadsOrRefuses(source, () => WeightsFile.Load(network, file), () => Assert.Equal(before, network.Parameters.ToArray()));
                    AssertLoadsOrRefuses(source, () => SavedNetwork.Read(file), () => { });
                }
                else
                {
                    var network = new FakeTrainableNetwork();
                    var optimizer = new Adam(0.5f);
                    network.TrainSteps(4, optimizer, steps: 1);
                    float[] before = network.Parameters.ToArray();
                    float[] momentum = optimizer.State["momentum"].ToArray();
                    AssertLoadsOrRefuses(source, () => TrainingCheckpoint.Load(file, network, optimizer), () =>
                    {
                        Assert.Equal(before, network.Parameters.ToArray());
                        Assert.Equal(momentum, optimizer.State["momentum"]);
                        Assert.Equal((1L, 0.5f), (optimizer.StepCount, optimizer.LearningRate));
                    });
                }
            }
        }
    }

    [Fact]
    public void WeightTransfer_refuses_a_tensor_with_NaN_and_copies_nothing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("nan.safetensors");
        var source = new FakeNetwork();
        source.InitializeParameters(1);
        source.Parameters[20 + 4] = float.NaN; // dense.weight[4]
        SafeTensors.Write(path, source.ParameterTensors.Select(t => new SafeTensor(t.Name, t.Shape.ToArray(), source.Parameters.Slice(t.Offset, t.Length).ToArray())));
        var target = new FakeNetwork();
        target.InitializeParameters(2);
        float[] before = target.Parameters.ToArray();

        var e = Assert.Throws<ConvGen.Transfer.TransferException>(() => ConvGen.Transfer.WeightTransfer.LoadMatching(target, path));

        Assert.Contains($"'dense.weight': {path} holds NaN at index 4", e.Message);
        Assert.Equal(before, target.Parameters.ToArray());
    }

    private static void AssertLoadsOrRefuses(string source, Action load, Action assertUnchanged)
    {
        try
        {
            load();
        }
        catch (InvalidDataException e)
        {
            Assert.Contains(source + ": ", e.Message);
            assertUnchanged();
        }
    }
}
