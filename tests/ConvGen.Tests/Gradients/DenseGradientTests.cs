using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Dense backward (IO weights, bias, input gradient) against finite differences: units 1, 7, 8,
/// 17, 64 and 130 (scalar, vector, vector + scalar, one whole block and repeated blocks of the
/// weight-gradient kernel), odd input lengths, with and without bias. The input gradient is
/// checked through a trainable 1x1 convolution and Flatten below the layer (a channels-last
/// reshape the gradient must undo), or through another Dense.
/// </summary>
public sealed class DenseGradientTests(DenseGradientTests.Networks networks)
    : IClassFixture<DenseGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(DenseGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(AfterConvolutionCases().Concat(AfterDenseCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> AfterConvolutionCases()
    {
        var inputs = new (int Height, int Width, int Channels)[] { (1, 1, 1), (3, 3, 1), (2, 3, 5), (2, 2, 13) };
        int i = 0;
        foreach (int units in new[] { 1, 7, 8, 17, 64, 130 })
        {
            var (h, w, c) = inputs[i % inputs.Length];
            bool useBias = i % 3 != 1;
            yield return GradientCases.WithTrainableInput($"DenseGrad_in{h * w * c}_units{units}{(useBias ? "" : "_nobias")}", h, w, c,
                new FlattenLayer(), new DenseLayer(units, UseBias: useBias));
            i++;
        }
    }

    private static IEnumerable<ForwardCase> AfterDenseCases()
    {
        yield return new ForwardCase("DenseGradChain_in12_9_units17_nobias", 2, 3, 2,
            new FlattenLayer(), new DenseLayer(9), new DenseLayer(17, UseBias: false));
        yield return new ForwardCase("DenseGradChain_in5_130_units3", 1, 1, 5,
            new FlattenLayer(), new DenseLayer(130, UseBias: false), new DenseLayer(3));
        yield return new ForwardCase("DenseGradChain_in6_64_units8_tanh", 1, 2, 3,
            new FlattenLayer(), new DenseLayer(64, Activation.Tanh), new DenseLayer(8));
    }
}
