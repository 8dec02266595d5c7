using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Segmentation;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Backward of the encoder-decoder layers against finite differences: Conv2DTranspose's weight,
/// bias and input gradients (stride 2 and 3, valid and same, output padding, dilation, a fused
/// activation), nearest and bilinear upsampling (the gather of each input cell's share),
/// cropping (zeros in the border), and Concatenate handing each source its channel slice, through
/// the chain and through stashes, to a layer joined twice and in a small U-Net.
/// </summary>
public sealed class SegmentationGradientTests(SegmentationGradientTests.Networks networks)
    : IClassFixture<SegmentationGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(SegmentationGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        System.Linq.Enumerable.Select(SegmentationCases.All, c => c with { Name = c.Name + "Grad" }));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);
}
