using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Segmentation;

/// <summary>
/// The generated Conv2DTranspose and UpSampling2D kernels against the double-precision reference
/// loops (<see cref="Reference.ReferenceSegmentation"/>), on the CPU's widest vectors and, for the
/// layers whose channels fill 512-bit vectors, on the Vector256 bodies every AVX2-only CPU runs.
/// </summary>
public sealed class GeneratedUpsamplingForwardTests(GeneratedUpsamplingForwardTests.Networks networks, GeneratedUpsamplingForwardTests.Vector256Networks vector256)
    : IClassFixture<GeneratedUpsamplingForwardTests.Networks>, IClassFixture<GeneratedUpsamplingForwardTests.Vector256Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GeneratedUpsamplingForwardTests), GeneratedUpsamplingCases.All);

    public sealed class Vector256Networks() : NetworkFixture(nameof(GeneratedUpsamplingForwardTests) + "256", GeneratedUpsamplingCases.All, forceVector256: true);

    public static TheoryData<string, int> Rows => ForwardCase.Rows(GeneratedUpsamplingCases.All);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Vector256_forward_matches_reference(string network, int batch) => ForwardCheck.Run(vector256, network, batch);

    /// <summary>Guards against a silent no-op: the cases whose channels fill Vector512s had that choice taken away.</summary>
    [Fact]
    public void Vector512_choices_were_taken_away() => Assert.True(vector256.Compiled.ForcedScalarFallbacks >= 6, $"{vector256.Compiled.ForcedScalarFallbacks} guards rewritten");
}
