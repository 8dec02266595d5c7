using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Normalization;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// GroupNormalization and LayerNormalization backward against finite differences: gamma, beta
/// and the input gradient through the per-sample mean and variance, for every forward case.
/// </summary>
public sealed class GroupNormGradientTests(GroupNormGradientTests.Networks networks)
    : IClassFixture<GroupNormGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GroupNormGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        GroupNormForwardTests.All().Select(c => GradientCases.WithTrainableInput(c.Name + "Grad", c.Height, c.Width, c.Channels, c.Layers.ToArray())));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);
}
