using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Flatten and Dropout backward: Flatten passes the gradient on unchanged (same buffer, new
/// shape); Dropout multiplies it by the mask it drew in the forward pass. The dropout context is
/// fixed, so the reference applies the same mask in every finite-difference evaluation; the masks
/// depend on each sample's position, which batches of 3 exercise. Placed first, between
/// computing layers and last.
/// </summary>
public sealed class ReshapeAndDropoutGradientTests(ReshapeAndDropoutGradientTests.Networks networks)
    : IClassFixture<ReshapeAndDropoutGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(ReshapeAndDropoutGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(ReshapeCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> ReshapeCases()
    {
        yield return GradientCases.WithTrainableInput("GradConvThenFlatten", 3, 4, 5, new FlattenLayer());
        yield return GradientCases.WithTrainableInput("GradConvThenDropout", 3, 4, 5, new DropoutLayer(0.5));
        yield return new ForwardCase("GradDropoutThenConv", 5, 6, 3, new DropoutLayer(0.3), new Conv2DLayer(4, 3, 3));
        yield return GradientCases.WithTrainableInput("GradConvDropoutConv", 5, 4, 6, new DropoutLayer(0.5), new Conv2DLayer(7, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("GradConvFlattenDropoutDense", 2, 3, 7, new FlattenLayer(), new DropoutLayer(0.25), new DenseLayer(6));
        yield return new ForwardCase("GradConvDropoutFlattenDenseDropout", 6, 5, 2,
            new Conv2DLayer(8, 3, 3, Activation: Activation.Relu), new DropoutLayer(0.5), new FlattenLayer(),
            new DenseLayer(10), new DropoutLayer(0.2));
        yield return new ForwardCase("GradDenseDropoutDense", 2, 2, 6,
            new FlattenLayer(), new DenseLayer(17, Activation.Relu), new DropoutLayer(0.9), new DenseLayer(5, Activation.Softmax));
    }
}
