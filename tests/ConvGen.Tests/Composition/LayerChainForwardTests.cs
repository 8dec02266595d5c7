using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Composition;

/// <summary>
/// Whole networks of several computing layers: intermediate results live in the workspace, the
/// last layer writes the caller's output, and batches above the 32-sample inference chunk are
/// processed in pieces. Each is checked against the chained per-layer references.
/// </summary>
public sealed class LayerChainForwardTests(LayerChainForwardTests.Networks networks)
    : IClassFixture<LayerChainForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(LayerChainForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(ChainCases());

    /// <summary>37 samples: one full chunk of 32 and a partial one.</summary>
    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases, 1, 3, 37);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    /// <summary>One instance keeps its workspace between calls; growing and shrinking the batch must not disturb results.</summary>
    [Fact]
    public void Reused_instance_matches_reference_as_the_batch_size_changes()
    {
        var testCase = networks.Case("KerasStyleClassifier");
        var network = networks.Create(testCase.Name);
        foreach (int batch in new[] { 2, 40, 1, 33, 5 })
        {
            ForwardCheck.Run(network, testCase, batch);
        }
    }

    private static IEnumerable<ForwardCase> ChainCases()
    {
        // The lecture's Keras model, scaled down to a 14x14x3 input and 4 classes.
        yield return new ForwardCase("KerasStyleClassifier", 14, 14, 3,
            new Conv2DLayer(8, 3, 3, Activation: Activation.Relu), new Pool2DLayer(true, 2, 2),
            new Conv2DLayer(16, 3, 3, Activation: Activation.Relu), new Pool2DLayer(true, 2, 2),
            new FlattenLayer(), new DenseLayer(64, Activation.Relu), new DropoutLayer(0.5), new DenseLayer(4, Activation.Softmax));
        yield return new ForwardCase("StridedSameConvAvgPoolGlobalDense", 11, 9, 5,
            new Conv2DLayer(12, 3, 3, Stride: 2, Same: true, Activation: Activation.Elu), new Pool2DLayer(false, 2, 2, Stride: 1, Same: true),
            new GlobalPool2DLayer(false), new DenseLayer(3, Activation.Sigmoid));
        yield return new ForwardCase("ConvGeluActivationLayerDense", 6, 7, 2,
            new Conv2DLayer(5, 2, 3, UseBias: false), new ActivationLayer(Activation.Gelu), new FlattenLayer(), new DenseLayer(7, Activation.Tanh));
        yield return new ForwardCase("DilatedConvGlobalMaxWideDense", 9, 9, 4,
            new Conv2DLayer(72, 3, 3, Dilation: 2, Activation: Activation.LeakyRelu, Alpha: 0.1), new GlobalPool2DLayer(true),
            new DenseLayer(130, Activation.Relu), new DenseLayer(8, Activation.Softmax, UseBias: false));
    }
}
