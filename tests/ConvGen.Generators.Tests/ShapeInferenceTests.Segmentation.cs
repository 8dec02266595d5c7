using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Layers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Tests;

// The encoder-decoder layers' shapes: Keras's transposed-convolution sizes and TensorFlow's
// placement, and a U-Net's plans end to end.
public sealed partial class ShapeInferenceTests
{
    [Theory]
    // input, kernel, stride, dilation, padding, output padding => output, cut before, cut after (negative: added)
    [InlineData(7, 2, 2, 1, "valid", -1, 14, 0, 0)]   // U-Net's 2x2 up-convolution
    [InlineData(4, 3, 2, 1, "valid", -1, 9, 0, 0)]    // in*s + (k - s)
    [InlineData(3, 1, 3, 1, "valid", -1, 9, 0, -2)]   // kernel below the stride: in*s, two rows no tap reaches
    [InlineData(4, 3, 2, 1, "same", -1, 8, 0, 1)]     // in*s; TensorFlow cuts the odd row at the bottom
    [InlineData(3, 4, 2, 1, "same", -1, 6, 1, 1)]
    [InlineData(5, 3, 1, 1, "same", -1, 5, 1, 1)]
    [InlineData(3, 3, 2, 1, "same", 1, 6, 0, 1)]      // (in-1)*s + k - 2*(k/2) + op
    [InlineData(8, 3, 2, 1, "same", 1, 16, 0, 1)]
    [InlineData(3, 3, 3, 1, "valid", 2, 11, 0, -2)]   // (in-1)*s + k + op
    [InlineData(3, 2, 2, 2, "valid", -1, 7, 0, 0)]    // dilation 2: extent 3
    public void Transposed_axis_matches_Keras(int input, int kernel, int stride, int dilation, string padding, int outputPadding, int output, int before, int after)
    {
        Conv2DTransposeLayer.Axis(input, kernel, stride, dilation, padding == "same" ? PaddingKind.Same : PaddingKind.Valid, outputPadding)
            .ShouldBe((output, before, after));
    }

    [Fact]
    public void UNet_shapes_and_parameters()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var plans = ShapeInference.Infer(Spec((20, 20, 1),
            Conv(4, 3) with { Name = "encoder" },
            Pool(LayerKind.MaxPool2D, 2, 2),
            Conv(8, 3),
            LayerSpec.Of(LayerKind.Conv2DTranspose, null) with { Size = 4, KernelHeight = 2, KernelWidth = 2, Stride = 2, Name = "up" },
            LayerSpec.Of(LayerKind.Cropping2D, null) with { KindOptions = new Cropping2DLayer.Sides(2, 2, 1, 3), Sources = new[] { "encoder" }.ToEquatableArray() },
            LayerSpec.Of(LayerKind.UpSampling2D, null) with { KindOptions = new UpSampling2DLayer.Factors(2, 2, InterpolationKind.Bilinear), Sources = new[] { "conv2d" }.ToEquatableArray() },
            LayerSpec.Of(LayerKind.Concatenate, null) with { Sources = new[] { "up", "cropping2d", "up_sampling2d" }.ToEquatableArray() }),
            diagnostics, LayerCatalog.Rules);
        diagnostics.ShouldBeEmpty();
        plans.ShouldNotBeNull().Select(p => p.Output).ShouldBe(new[]
        {
            Shape.Spatial(18, 18, 4), Shape.Spatial(9, 9, 4), Shape.Spatial(7, 7, 8), Shape.Spatial(14, 14, 4),
            Shape.Spatial(14, 14, 4), Shape.Spatial(14, 14, 8), Shape.Spatial(14, 14, 16),
        });
        plans[3].ParameterCount.ShouldBe(2 * 2 * 4 * 8 + 4);
        plans[3].Description.ShouldBe("4@2x2 s2 valid -> 14x14");
        plans[4].Description.ShouldBe("crop 2,2,1,3");
        plans[5].Description.ShouldBe("x2 bilinear");
        plans[6].Sources.ShouldBe(new[] { 3, 4, 5 });
        plans.Skip(4).Sum(p => p.ParameterCount).ShouldBe(0);
    }
}
