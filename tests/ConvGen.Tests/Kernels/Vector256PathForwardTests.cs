using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Conv2D;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Conv2D layers whose filters fill 512-bit vectors have a Vector512 variant, which this CPU
/// takes in every other forward test. Here those cases are compiled with
/// <c>Vector512.IsHardwareAccelerated</c> rewritten to false and checked against the same
/// references, so the Vector256 variant (every AVX2-only CPU's path) is checked too; so are the
/// few-filter layers with pixels in the lanes whose rows hold 16 output pixels.
/// </summary>
public sealed class Vector256PathForwardTests(Vector256PathForwardTests.Networks networks)
    : IClassFixture<Vector256PathForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Vector256PathForwardTests), Cases, forceVector256: true);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        Conv2DChannelForwardTests.Cases.Concat(Conv2DGeometryForwardTests.Cases)
            .Where(c => c.Layers.OfType<Conv2DLayer>().Any(layer => layer.Filters % 16 == 0))
            // Pixels in the lanes: a Vector512 body where a row holds 16 output pixels (these inputs of 17+ columns).
            .Concat(Conv2DChannelForwardTests.PixelLaneCases().Where(c => c.Width >= 17 && c.Layers.OfType<Conv2DLayer>().All(layer => layer.Stride == 1))));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Fact]
    public void Every_network_was_forced_onto_the_vector256_path()
    {
        Assert.True(networks.Compiled.ForcedScalarFallbacks >= Cases.Count,
            $"{networks.Compiled.ForcedScalarFallbacks} guards rewritten for {Cases.Count} networks");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);
}
