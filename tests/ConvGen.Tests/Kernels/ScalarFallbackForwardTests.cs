using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Composition;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Activations;
using ConvGen.Tests.Layers.Conv2D;
using ConvGen.Tests.Layers.Pooling;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Generated layers fall back to the runtime's ScalarKernels when the CPU has no 256-bit
/// vectors, which is every ARM64 machine. This machine takes the vector path, so the harness
/// rewrites the generated guards to force the fallback, then checks a sample of every layer
/// group against the same references: this covers the arguments the generator passes to
/// the scalar kernels as well as the kernels themselves. Dense layers have no guard: their
/// runtime GEMM picks its path itself, and DenseKernelsTests runs each path directly.
/// </summary>
public sealed class ScalarFallbackForwardTests(ScalarFallbackForwardTests.Networks networks)
    : IClassFixture<ScalarFallbackForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(ScalarFallbackForwardTests), Cases, forceScalarFallback: true);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        EveryNth(Conv2DGeometryForwardTests.Cases, 7)
            .Concat(EveryNth(Conv2DChannelForwardTests.Cases, 7))
            .Concat(EveryNth(Pool2DForwardTests.Cases, 7))
            .Concat(EveryNth(GlobalPool2DForwardTests.Cases, 2))
            .Concat(ActivationForwardTests.Cases.Where(c => c.Name.StartsWith("ActConv2D_")))
            .Concat(LayerChainForwardTests.Cases));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    /// <summary>Guards against a silent no-op: every case has at least one layer with a vector path.</summary>
    [Fact]
    public void Every_network_was_forced_onto_the_scalar_path()
    {
        Assert.True(networks.Compiled.ForcedScalarFallbacks >= Cases.Count,
            $"{networks.Compiled.ForcedScalarFallbacks} guards rewritten for {Cases.Count} networks");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    /// <summary>A deterministic sample that still walks through every grid dimension (grids vary one option fastest).</summary>
    private static IEnumerable<ForwardCase> EveryNth(IReadOnlyList<ForwardCase> cases, int n) => cases.Where((_, i) => i % n == 0);
}
