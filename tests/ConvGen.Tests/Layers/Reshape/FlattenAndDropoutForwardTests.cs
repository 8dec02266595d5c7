using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Reshape;

/// <summary>
/// Flatten and Dropout do no arithmetic at inference: Flatten reinterprets [H,W,C] as [H*W*C]
/// in channels-last order and Dropout passes values through. The generator aliases their
/// buffers instead of copying, so they are checked alone (the network degenerates to a copy),
/// first, between computing layers and last, where aliasing mistakes would show.
/// </summary>
public sealed class FlattenAndDropoutForwardTests(FlattenAndDropoutForwardTests.Networks networks)
    : IClassFixture<FlattenAndDropoutForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(FlattenAndDropoutForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(IdentityCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> IdentityCases()
    {
        yield return new ForwardCase("FlattenOnly", 3, 4, 5, new FlattenLayer());
        yield return new ForwardCase("DropoutOnly", 3, 4, 5, new DropoutLayer(0.5));
        yield return new ForwardCase("FlattenThenDropout", 2, 3, 7, new FlattenLayer(), new DropoutLayer(0.25));
        yield return new ForwardCase("DropoutThenConv", 5, 6, 3, new DropoutLayer(0.5), new Conv2DLayer(4, 3, 3));
        yield return new ForwardCase("ConvThenFlatten", 5, 6, 3, new Conv2DLayer(9, 3, 3), new FlattenLayer());
        yield return new ForwardCase("ConvThenDropout", 5, 6, 3, new Conv2DLayer(9, 3, 3, Same: true), new DropoutLayer(0.5));
        yield return new ForwardCase("ConvDropoutFlattenDenseDropout", 6, 5, 2,
            new Conv2DLayer(8, 3, 3, Activation: Activation.Relu), new DropoutLayer(0.5), new FlattenLayer(),
            new DenseLayer(10), new DropoutLayer(0.2));
        yield return new ForwardCase("DenseDropoutDense", 2, 2, 6,
            new FlattenLayer(), new DenseLayer(17, Activation.Relu), new DropoutLayer(0.9), new DenseLayer(5, Activation.Softmax));
    }
}
