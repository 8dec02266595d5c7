using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Activations;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Every activation's derivative, with default and custom Alpha where it has one (leaky ReLU,
/// ELU), in both places it runs during training: after a Conv2D or Dense (kept apart from the
/// linear kernel in training) and as a standalone Activation layer, never last, so that softmax
/// too is differentiated through rather than fused into a loss. Spatial networks apply softmax
/// over each position's channels, flat ones over the whole vector. Inputs are scaled up so the
/// activations' tails take part.
/// </summary>
public sealed class ActivationGradientTests(ActivationGradientTests.Networks networks)
    : IClassFixture<ActivationGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(ActivationGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(ActivationCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> ActivationCases()
    {
        const double wideInputs = 2.0;
        foreach (var (activation, alpha, name) in ActivationForwardTests.Variants)
        {
            // trainable 1x1 -> standalone activation -> conv with the activation -> linear conv
            yield return GradientCases.WithTrainableInput($"ActGradSpatial_{name}", 3, 4, 5, wideInputs,
                new ActivationLayer(activation, alpha),
                new Conv2DLayer(17, 1, 1, Activation: activation, Alpha: alpha),
                new Conv2DLayer(4, 1, 1));
            // trainable 1x1 -> flatten -> standalone activation -> dense with the activation -> linear dense
            yield return GradientCases.WithTrainableInput($"ActGradFlat_{name}", 2, 3, 3, wideInputs,
                new FlattenLayer(),
                new ActivationLayer(activation, alpha),
                new DenseLayer(17, activation, alpha),
                new DenseLayer(5));
        }
    }
}
