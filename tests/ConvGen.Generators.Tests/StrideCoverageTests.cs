using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Layers;
using static ConvGen.Generators.Tests.ShapeInferenceTests;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Which strided windows leave rows / columns unread (valid padding only), and which of the two
/// diagnostics that is: CG0104 for convolutions and overlapping or gapped pools, CG0105 for the
/// Keras-default non-overlapping pool.
/// </summary>
public sealed class StrideCoverageTests
{
    [Theory]
    // layer, input H x W, expected ID (null: everything is read), expected "last ..." text
    [InlineData("conv 3 s1", 8, 8, null, null)]          // stride 1 always reaches the edge
    [InlineData("conv 3 s2", 9, 9, null, null)]          // (9 - 3) / 2 = 3 exactly
    [InlineData("conv 3 s2", 8, 8, "CG0104", "1 row and 1 column")]
    [InlineData("conv 3 s3", 9, 8, "CG0104", "2 columns")]
    [InlineData("conv 3 s3", 8, 9, "CG0104", "2 rows")]
    [InlineData("conv 1 s2", 8, 8, "CG0104", "1 row and 1 column")]    // 1x1 stride 2: pixels 7 are never read
    [InlineData("conv 3 s2 same", 8, 8, null, null)]     // same padding covers everything
    [InlineData("conv 3 s2 d2", 10, 10, "CG0104", "1 row and 1 column")] // effective 5: (10 - 5) = 5, odd
    [InlineData("max 2", 37, 37, "CG0105", "1 row and 1 column")]  // the lecture's second pool
    [InlineData("max 2", 78, 78, null, null)]
    [InlineData("avg 3", 10, 9, "CG0105", "1 row")]
    [InlineData("max 3 s2", 8, 8, "CG0104", "1 row and 1 column")] // overlapping windows
    [InlineData("max 2 s3", 9, 9, "CG0104", "1 row and 1 column")] // gaps between windows
    [InlineData("max 2 same", 37, 37, null, null)]
    public void Reports_unread_edges(string layer, int height, int width, string? expectedId, string? dropped)
    {
        var diagnostics = new List<DiagnosticInfo>();
        ShapeInference.Infer(Spec((height, width, 2), Parse(layer)), diagnostics, LayerCatalog.Rules).ShouldNotBeNull();

        if (expectedId is null)
        {
            diagnostics.ShouldBeEmpty();
            return;
        }
        var diagnostic = diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe(expectedId);
        diagnostic.Arguments[4].ShouldBe(dropped);
        diagnostic.Properties.ShouldContain(p => p.Key == DiagnosticProperties.SamePaddingFixes);
    }

    /// <summary><c>conv K sS dD same</c> or <c>max|avg K sS same</c>.</summary>
    private static LayerSpec Parse(string text)
    {
        var parts = text.Split(' ');
        int kernel = int.Parse(parts[1]);
        var layer = parts[0] == "conv" ? Conv(4, kernel) : Pool(parts[0] == "max" ? LayerKind.MaxPool2D : LayerKind.AvgPool2D, kernel, kernel);
        foreach (var option in parts.Skip(2))
        {
            layer = option[0] switch
            {
                's' when option == "same" => layer with { Padding = PaddingKind.Same },
                's' => layer with { Stride = int.Parse(option.Substring(1)) },
                'd' => layer with { Dilation = int.Parse(option.Substring(1)) },
                _ => layer,
            };
        }
        return layer;
    }
}
