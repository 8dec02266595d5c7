using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Normalization;

/// <summary>
/// BatchNorm at inference (running statistics, random but positive variances) against the
/// reference: after convolutions of 1 to 130 channels, on a flat vector after Dense, with
/// Keras's and PyTorch's epsilon, and inside a residual block.
/// </summary>
public sealed class BatchNormForwardTests(BatchNormForwardTests.Networks networks)
    : IClassFixture<BatchNormForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(BatchNormForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(BatchNormCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> BatchNormCases()
    {
        foreach (int channels in new[] { 1, 3, 8, 17, 130 })
        {
            yield return new ForwardCase($"BatchNormConv_c{channels}", 4, 3, 2,
                new Conv2DLayer(channels, 3, 3, Same: true, UseBias: false), new BatchNormLayer(), new ActivationLayer(Activation.Relu));
        }
        yield return new ForwardCase("BatchNormConv_eps1em5", 5, 5, 3,
            new Conv2DLayer(8, 3, 3, UseBias: false), new BatchNormLayer(1e-5, 0.9), new ActivationLayer(Activation.Relu));
        yield return new ForwardCase("BatchNormDense", 3, 3, 2,
            new FlattenLayer(), new DenseLayer(12, UseBias: false), new BatchNormLayer(1e-5), new DenseLayer(3));
        yield return new ForwardCase("BatchNormResidual", 6, 6, 3,
            new Conv2DLayer(8, 3, 3, Same: true, UseBias: false), new BatchNormLayer(), new ActivationLayer(Activation.Relu) { Name = "stem" },
            new Conv2DLayer(8, 3, 3, Same: true, UseBias: false), new BatchNormLayer() { Name = "bn" },
            new AddLayer("bn", "stem", Activation.Relu),
            new GlobalPool2DLayer(Max: false));
    }
}
