using System.Collections.Generic;
using ConvGen.Serialization;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Normalization;

/// <summary>
/// GroupNormalization and LayerNormalization against the double-precision definition: groups of
/// one channel (instance norm), several, and all channels (layer norm over a whole sample); on
/// maps and vectors; custom epsilon; without Center or Scale. 18 channels in 3 groups of 6.
/// </summary>
public sealed class GroupNormForwardTests(GroupNormForwardTests.Networks networks)
    : IClassFixture<GroupNormForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GroupNormForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(All());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    [Fact]
    public void Gamma_and_beta_are_named_like_keras_and_absent_when_not_learned()
    {
        var network = networks.Create("GroupNorm3NoCenter");
        Assert.Contains(network.ParameterTensors, t => t.Name == "group_normalization.gamma");
        Assert.DoesNotContain(network.ParameterTensors, t => t.Name.EndsWith(".beta", System.StringComparison.Ordinal));
        Assert.Equal(new NormalizationConfig(3, 1e-3, false, true), network.Layers[1].Config);
    }

    [Fact]
    public void Weights_file_records_the_normalization_configurations()
    {
        var network = networks.Create("LayerNormVector");
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"convgen-ln-{System.Environment.ProcessId}.safetensors");
        try
        {
            WeightsFile.Save(network, path);
            var saved = SavedNetwork.Read(path);
            Assert.Equal(new NormalizationConfig(1, 1e-6, false, false), saved.Layers[2].Config);
            Assert.Equal("LayerNormalization", saved.Layers[2].Kind);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    internal static IEnumerable<ForwardCase> All()
    {
        yield return new ForwardCase("GroupNorm3", 4, 3, 2, new Conv2DLayer(18, 3, 3, Same: true), new GroupNormLayer(3), new Conv2DLayer(4, 1, 1));
        // One channel per group subtracts each channel's own mean, so a bias before it has no effect (and a zero gradient): none here.
        yield return new ForwardCase("GroupNormInstance", 3, 3, 2, new Conv2DLayer(5, 3, 3, Same: true, UseBias: false), new GroupNormLayer(5, Epsilon: 1e-5));
        yield return new ForwardCase("GroupNormOneGroup", 3, 4, 2, new Conv2DLayer(6, 1, 1), new GroupNormLayer(1, Scale: false));
        yield return new ForwardCase("GroupNorm3NoCenter", 2, 2, 3, new Conv2DLayer(18, 1, 1), new GroupNormLayer(3, Center: false));
        yield return new ForwardCase("GroupNormVector", 2, 2, 2, new FlattenLayer(), new DenseLayer(12), new GroupNormLayer(4), new DenseLayer(3));
        yield return new ForwardCase("LayerNormMap", 3, 4, 2, new Conv2DLayer(17, 3, 3, Same: true, Activation: Activation.Relu), new GroupNormLayer(0), new Conv2DLayer(3, 1, 1));
        yield return new ForwardCase("LayerNormVector", 2, 3, 2, new FlattenLayer(), new DenseLayer(9), new GroupNormLayer(0, Epsilon: 1e-6, Center: false, Scale: false), new DenseLayer(2));
    }
}
