using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The generated upsampling kernels work out their taps and weights at compile time, so their
/// size must not follow the size of the map: an axis is its two edges and one interior loop,
/// however long. Factors so large that the per-phase code would not fit meet the code budget (CG0306).
/// </summary>
public sealed class UpsamplingKernelSizeTests
{
    // 20 million columns: anything that walked the output indices would take GBs and minutes here.
    [Fact]
    public void Bilinear_upsampling_of_a_very_long_axis_is_two_edges_and_one_loop()
    {
        var run = GeneratorHarness.Run("""
            using ConvGen;
            namespace Samples;
            [Network(Input = "1x20000000x1")]
            [UpSampling2D(2, Interpolation = UpSamplingInterpolation.Bilinear)]
            public sealed partial class LongNet;
            """);

        run.ShouldNotHaveThrown();
        // Warnings remain (no trainable layer, the activations over the memory budget): the point is the code.
        run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        run.CompilationProblems.Where(d => d.Id != "CS1591").ShouldBeEmpty();
        string source = run.SingleSource;
        source.ShouldContain("for (int j = 1; j < 19999999; j++)");
        source.ShouldContain("// output column[39999999] = column[19999999]");
        source.Length.ShouldBeLessThan(200_000);
    }

    [Fact]
    public void Upsampling_by_a_huge_factor_is_refused_by_the_code_budget_not_written()
    {
        var run = GeneratorHarness.Run("""
            using ConvGen;
            namespace Samples;
            [Network(Input = "1x1x1")]
            [UpSampling2D(20000, Interpolation = UpSamplingInterpolation.Bilinear)]
            public sealed partial class HugeFactorNet;
            """);

        run.ShouldNotHaveThrown();
        var error = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldHaveSingleItem();
        error.Id.ShouldBe(DiagnosticDescriptors.GeneratedCodeTooLargeId);
        error.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain("Network 'HugeFactorNet' would generate about");
        run.Result.GeneratedSources.ShouldBeEmpty();
    }
}
