using System.Collections.Generic;
using System.Linq;
using ConvGen.Serialization;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Mobile;

/// <summary>
/// Squeeze-and-excitation and the layers it needs: Multiply with a [1,1,C] gate broadcast over
/// a map (in both operand orders) and of equal shapes, GlobalAvgPool2D / GlobalMaxPool2D with
/// KeepDims, Dense on a 1x1 map, and Reshape both ways. 17 channels: two Vector256 blocks and a
/// remainder in the broadcast loops.
/// </summary>
internal static class SqueezeExcitationCases
{
    public static IEnumerable<ForwardCase> All()
    {
        // features -> squeeze (keepdims) -> dense relu -> dense sigmoid -> scale the features
        yield return new ForwardCase("SeKeepDims", 5, 4, 3,
            new Conv2DLayer(17, 3, 3, Same: true, Activation: Activation.Relu) { Name = "features" },
            new GlobalPool2DLayer(Max: false, KeepDims: true),
            new DenseLayer(4, Activation.Relu),
            new DenseLayer(17, Activation.Sigmoid) { Name = "gate" },
            new MultiplyLayer("features", "gate"),
            new Conv2DLayer(3, 1, 1));
        // The gate first, HardSigmoid as MobileNetV3 has it, the squeeze by max.
        yield return new ForwardCase("SeGateFirst", 4, 3, 2,
            new Conv2DLayer(6, 3, 3, Same: true, Activation: Activation.HardSwish) { Name = "features" },
            new GlobalPool2DLayer(Max: true, KeepDims: true),
            new DenseLayer(6, Activation.HardSigmoid) { Name = "gate" },
            new MultiplyLayer("gate", "features"));
        // Keras 2 style: flat squeeze, Dense, then Reshape to 1x1xC.
        yield return new ForwardCase("SeReshape", 3, 5, 3,
            new Conv2DLayer(9, 3, 3, Same: true, Activation: Activation.Silu) { Name = "features" },
            new GlobalPool2DLayer(Max: false),
            new DenseLayer(3, Activation.Relu6),
            new DenseLayer(9, Activation.Sigmoid),
            new ReshapeLayer(1, 1, 9) { Name = "gate" },
            new MultiplyLayer("features", "gate"),
            new ReshapeLayer(1, 1, 135, Rank: 1),
            new DenseLayer(4));
        // Equal shapes: a gated linear unit on maps, and on vectors.
        yield return new ForwardCase("MultiplyEqualMaps", 4, 4, 3,
            new Conv2DLayer(5, 3, 3, Same: true) { Name = "linear" },
            new Conv2DLayer(5, 1, 1, Activation: Activation.Sigmoid) { Name = "gate", Input = "linear" },
            new MultiplyLayer("linear", "gate"));
        yield return new ForwardCase("MultiplyEqualVectors", 2, 2, 3,
            new FlattenLayer(),
            new DenseLayer(7) { Name = "value" },
            new DenseLayer(7, Activation.Tanh) { Name = "gate" },
            new MultiplyLayer("value", "gate"),
            new DenseLayer(3));
        // A layer times itself.
        yield return new ForwardCase("MultiplySquare", 3, 3, 2,
            new Conv2DLayer(4, 1, 1) { Name = "x" },
            new MultiplyLayer("x", "x"),
            new Conv2DLayer(2, 1, 1));
    }
}

/// <summary>The squeeze-and-excitation cases' inference against the reference.</summary>
public sealed class SqueezeExcitationForwardTests(SqueezeExcitationForwardTests.Networks networks)
    : IClassFixture<SqueezeExcitationForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(SqueezeExcitationForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(SqueezeExcitationCases.All());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    // The weights file records every layer's configuration; Multiply and Reshape must have a form there.
    [Fact]
    public void Weights_file_round_trips_the_configurations_and_the_function()
    {
        var network = networks.Create("SeReshape");
        NetworkParameters.Randomize(network, 3);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"convgen-se-{System.Environment.ProcessId}.safetensors");
        try
        {
            WeightsFile.Save(network, path);
            var saved = SavedNetwork.Read(path);
            Assert.Equal(network.Layers.Select(l => l.Config), saved.Layers.Select(l => l.Config));
            var copy = networks.Create("SeReshape");
            WeightsFile.Load(copy, path);
            var inputs = SeededData.Uniform(2 * network.InputShape.Length, 5);
            var expected = new float[2 * network.OutputShape.Length];
            var actual = new float[expected.Length];
            network.Predict(inputs, expected);
            copy.Predict(inputs, actual);
            Assert.Equal(expected, actual);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void KeepDims_and_Reshape_keep_rank_in_the_layer_table()
    {
        var network = networks.Create("SeKeepDims");
        Assert.Equal(new TensorShape(1, 1, 17, 3), network.Layers[1].OutputShape);
        Assert.Equal(new TensorShape(1, 1, 4, 3), network.Layers[2].OutputShape);
        Assert.Equal(new TensorShape(5, 4, 17, 3), network.Layers[4].OutputShape);
        Assert.Equal("Multiply", network.Layers[4].Kind);
        var reshaped = networks.Create("SeReshape");
        Assert.Equal(new ReshapeConfig(1, 1, 9, 3), reshaped.Layers[4].Config);
    }
}
