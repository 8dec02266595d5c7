using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Segmentation;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Backward of the generated Conv2DTranspose kernels (the adjoint convolution's input and weight
/// gradients, the bias gradient, a fused ReLU's derivative) and of the generated upsampling
/// gathers against finite differences, on the widest vectors and on the Vector256 bodies.
/// </summary>
public sealed class GeneratedUpsamplingGradientTests(GeneratedUpsamplingGradientTests.Networks networks, GeneratedUpsamplingGradientTests.Vector256Networks vector256)
    : IClassFixture<GeneratedUpsamplingGradientTests.Networks>, IClassFixture<GeneratedUpsamplingGradientTests.Vector256Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GeneratedUpsamplingGradientTests), Cases);

    public sealed class Vector256Networks() : NetworkFixture(nameof(GeneratedUpsamplingGradientTests) + "256", Cases, forceVector256: true);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        System.Linq.Enumerable.Select(GeneratedUpsamplingCases.All, c => c with { Name = c.Name + "Grad" }));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Vector256_backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(vector256, network, batch);
}
