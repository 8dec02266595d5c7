using System;
using System.IO;
using System.Linq;
using ConvGen.Serialization;
using ConvGen.Tests.Training;
using ConvGen.Training;
using ConvGen.Transfer;

namespace ConvGen.Tests.Transfer;

public sealed class WeightTransferTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convgen-transfer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_file_from_another_network_fills_the_shared_backbone_and_reports_the_rest()
    {
        var pretrained = BackboneWithOldHead.Create(1);
        string path = Path.Combine(_directory, "pretrained.safetensors");
        WeightsFile.Save(pretrained, path);
        var target = BackboneWithNewHead.Create(2);
        var headBefore = target.Parameter("new_head.weight").ToArray();

        var report = WeightTransfer.LoadMatching(target, path);

        foreach (string name in new[] { "stem.weight", "stem.bias", "block.weight", "block.bias" })
        {
            Assert.Equal(pretrained.Parameter(name).ToArray(), target.Parameter(name).ToArray());
        }
        Assert.Equal(headBefore, target.Parameter("new_head.weight").ToArray());
        Assert.Equal(new[] { "stem.weight", "stem.bias", "block.weight", "block.bias" }, report.Copied.Select(t => t.Name));
        Assert.Equal(new[] { "new_head.weight", "new_head.bias" }, report.Missing.Select(t => t.Name));
        Assert.Equal(new[] { "old_head.bias", "old_head.weight" }, report.Unused.Select(t => t.Name));
        Assert.Equal(new[] { "stem", "block" }, report.CompleteLayers);
        Assert.Equal(8 * 9 + 8 + 16 * 8 * 9 + 16, report.Copied.Sum(t => t.Length));
        string text = report.ToString();
        Assert.StartsWith($"Loaded 4 tensor(s), 1,248 values, from {path}; 2 tensor(s) kept their own values; 2 tensor(s) of the source unused.", text);
        Assert.Contains("kept:   new_head.weight [16,4]", text);
        Assert.Contains("unused: old_head.weight [16,4]", text);
        Assert.Throws<TransferException>(report.ThrowIfIncomplete);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_refused_and_nothing_is_copied()
    {
        var pretrained = BackboneWithOldHead.Create(1);
        var target = WiderBackbone.Create(3);
        var before = target.Parameters.ToArray();

        var error = Assert.Throws<TransferException>(() => WeightTransfer.CopyMatching(pretrained, target));

        Assert.Contains("'block.weight': BackboneWithOldHead has [3,3,8,16], WiderBackbone expects [3,3,8,24] (HWIO)", error.Message);
        Assert.Contains("'block.bias': BackboneWithOldHead has [16], WiderBackbone expects [24] (O)", error.Message);
        Assert.Contains("nothing was copied", error.Message);
        Assert.Equal(before, target.Parameters.ToArray()); // stem would have fitted, but was not copied either
    }

    [Fact]
    public void Network_to_network_copy_matches_the_file_route()
    {
        var pretrained = BackboneWithOldHead.Create(4);
        string path = Path.Combine(_directory, "p.safetensors");
        WeightsFile.Save(pretrained, path);
        var viaFile = BackboneWithNewHead.Create(5);
        var direct = BackboneWithNewHead.Create(5);
        WeightTransfer.LoadMatching(viaFile, path);
        var report = WeightTransfer.CopyMatching(pretrained, direct);
        Assert.Equal(viaFile.Parameters.ToArray(), direct.Parameters.ToArray());
        Assert.Equal("BackboneWithOldHead", report.Origin);
        report = WeightTransfer.CopyMatching(pretrained, BackboneWithOldHead.Create(6));
        report.ThrowIfIncomplete();
        Assert.Empty(report.Unused);
    }

    [Fact]
    public void A_frozen_backbone_keeps_bit_identical_weights_while_the_new_head_trains()
    {
        var network = BackboneWithNewHead.Create(7);
        WeightTransfer.CopyMatching(BackboneWithOldHead.Create(8), network);
        Assert.Equal(3, network.FreezeThrough("block"));
        Assert.Equal(new[] { "stem", "pool", "block" }, network.FrozenLayers());
        Assert.Equal((16 * 4 + 4, 8 * 9 + 8 + 16 * 8 * 9 + 16), network.ParameterCounts());
        var before = network.Parameters.ToArray();

        network.Fit(SyntheticData.Shapes(96, 3), Options(epochs: 2));

        var after = network.Parameters.ToArray();
        foreach (var tensor in network.ParameterTensors)
        {
            var was = before.AsSpan(tensor.Offset, tensor.Length).ToArray();
            var now = after.AsSpan(tensor.Offset, tensor.Length).ToArray();
            if (tensor.LayerName == "new_head") Assert.NotEqual(was, now);
            else Assert.Equal(was, now);
        }

        // Fine-tuning: unfreeze from the second convolution on; the stem stays as it was.
        Assert.Equal(3, network.UnfreezeFrom("block"));
        network.Fit(SyntheticData.Shapes(96, 4), Options(epochs: 1));
        Assert.Equal(before.AsSpan(0, 80).ToArray(), network.Parameter("stem.weight").ToArray().Concat(network.Parameter("stem.bias").ToArray()).ToArray());
        Assert.NotEqual(after.AsSpan(80, 16 * 8 * 9).ToArray(), network.Parameter("block.weight").ToArray());
    }

    [Fact]
    public void Unknown_layer_names_are_refused_with_the_list_of_layers()
    {
        var network = BackboneWithNewHead.Create(1);
        var error = Assert.Throws<ArgumentException>(() => network.FreezeThrough("blok"));
        Assert.Contains("BackboneWithNewHead has no layer 'blok'; its layers are: stem, pool, block, features, new_head.", error.Message);
        Assert.Throws<ArgumentException>(() => network.SetFrozen(true, "stem", "nope"));
        Assert.Empty(network.FrozenLayers()); // the valid name before the bad one was not applied
    }

    private static TrainingOptions Options(int epochs) => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = new Adam(0.01f),
        Epochs = epochs,
        BatchSize = 16,
        Seed = 5,
        Threads = 2,
        Progress = null,
    };
}
