using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Mobile;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Backward through Multiply (each factor its own gradient; the broadcast gate's summed over
/// positions, and routed to its branch while the map's goes down the chain or to a stash),
/// GlobalPool with KeepDims, Dense on a 1x1 map and Reshape, against finite differences. A
/// trainable 1x1 convolution below each case checks the gradient that reaches the input.
/// </summary>
public sealed class SqueezeExcitationGradientTests(SqueezeExcitationGradientTests.Networks networks)
    : IClassFixture<SqueezeExcitationGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(SqueezeExcitationGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        SqueezeExcitationCases.All().Select(c => GradientCases.WithTrainableInput(c.Name + "Grad", c.Height, c.Width, c.Channels, c.Layers.ToArray())));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);
}
