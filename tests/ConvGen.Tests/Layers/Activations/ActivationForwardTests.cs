using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Activations;

/// <summary>
/// Every activation, with default and custom Alpha where it has one, in each place it can run:
/// fused into Conv2D and Dense (ReLU family in registers, the rest as a pass afterwards; softmax
/// over channels), and as a standalone Activation layer on spatial and on flat tensors. The
/// standalone cases use inputs in [-6, 6] to reach the saturating tails (and, for GELU, the
/// region where erf is close to 1).
/// </summary>
public sealed class ActivationForwardTests(ActivationForwardTests.Networks networks)
    : IClassFixture<ActivationForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(ActivationForwardTests), Cases);

    // Declared before Cases: static fields initialise in textual order.
    /// <summary>The activations with their optional Alpha (NaN = the default) and a name fragment.</summary>
    internal static readonly (Activation Activation, double Alpha, string Name)[] Variants =
    {
        (Activation.Linear, double.NaN, "Linear"),
        (Activation.Relu, double.NaN, "Relu"),
        (Activation.LeakyRelu, double.NaN, "LeakyRelu"),
        (Activation.LeakyRelu, 0.2, "LeakyRelu0p2"),
        (Activation.Sigmoid, double.NaN, "Sigmoid"),
        (Activation.Tanh, double.NaN, "Tanh"),
        (Activation.Softmax, double.NaN, "Softmax"),
        (Activation.Elu, double.NaN, "Elu"),
        (Activation.Elu, 0.5, "Elu0p5"),
        (Activation.Gelu, double.NaN, "Gelu"),
        (Activation.Relu6, double.NaN, "Relu6"),
        (Activation.HardSigmoid, double.NaN, "HardSigmoid"),
        (Activation.HardSwish, double.NaN, "HardSwish"),
        (Activation.Silu, double.NaN, "Silu"),
        (Activation.Mish, double.NaN, "Mish"),
    };

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(ActivationCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> ActivationCases()
    {
        const double wideInputs = 6.0;
        foreach (var (activation, alpha, name) in Variants)
        {
            // 17 outputs: two Vector256 accumulators plus one scalar, so both fused forms run.
            yield return new ForwardCase($"ActConv2D_{name}", 4, 5, 3,
                new Conv2DLayer(17, 3, 3, Same: true, Activation: activation, Alpha: alpha));
            yield return new ForwardCase($"ActDense_{name}", 2, 3, 4,
                new FlattenLayer(), new DenseLayer(17, activation, alpha));
            yield return new ForwardCase($"ActLayerSpatial_{name}", 3, 4, 9,
                new[] { new ActivationLayer(activation, alpha) }, wideInputs);
            yield return new ForwardCase($"ActLayerFlat_{name}", 2, 2, 5,
                new TestLayer[] { new FlattenLayer(), new ActivationLayer(activation, alpha) }, wideInputs);
        }
    }
}
