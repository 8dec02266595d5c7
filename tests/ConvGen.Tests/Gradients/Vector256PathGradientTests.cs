using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// On a CPU with AVX-512 the generated kernels that have a Vector512 variant run it, and the
/// other gradient tests check only that one. This class compiles the Conv2D cases whose filters
/// fill 512-bit vectors with <c>Vector512.IsHardwareAccelerated</c> rewritten to false, so the
/// Vector256 variants (the path of every AVX2-only CPU) meet the same finite-difference check.
/// The whole suite can also be put on that path with <c>DOTNET_PreferredVectorBitWidth=256</c>.
/// </summary>
public sealed class Vector256PathGradientTests(Vector256PathGradientTests.Networks networks)
    : IClassFixture<Vector256PathGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Vector256PathGradientTests), Cases, forceVector256: true);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(Conv2DGradientTests.Vector512Cases);

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    /// <summary>Guards against a silent no-op: every network had a Vector512 choice to take away.</summary>
    [Fact]
    public void Every_network_was_forced_onto_the_vector256_path()
    {
        Assert.True(networks.Compiled.ForcedScalarFallbacks >= Cases.Count,
            $"{networks.Compiled.ForcedScalarFallbacks} guards rewritten for {Cases.Count} networks");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);
}
