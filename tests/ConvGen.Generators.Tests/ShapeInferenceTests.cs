using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Layers;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The pure shape functions, against hand-computed tables. Conventions are TensorFlow / Keras:
/// effective kernel <c>(k - 1) * d + 1</c>; valid: <c>floor((in - eff) / s) + 1</c>; same:
/// <c>ceil(in / s)</c>, total padding <c>max((out - 1) * s + eff - in, 0)</c> with the odd cell
/// at the bottom / right.
/// </summary>
public sealed partial class ShapeInferenceTests
{
    [Theory]
    // input, kernel, stride, dilation, padding => output, before, after
    [InlineData(5, 3, 1, 1, "valid", 3, 0, 0)]
    [InlineData(80, 3, 1, 1, "valid", 78, 0, 0)]   // the lecture's first conv
    [InlineData(3, 3, 1, 1, "valid", 1, 0, 0)]     // exact fit
    [InlineData(6, 3, 2, 1, "valid", 2, 0, 0)]     // the lecture's 6x6 * 3x3, stride 2
    [InlineData(7, 3, 2, 1, "valid", 3, 0, 0)]
    [InlineData(8, 3, 3, 1, "valid", 2, 0, 0)]     // floor(5 / 3) + 1: the last row is dropped
    [InlineData(9, 3, 3, 1, "valid", 3, 0, 0)]
    [InlineData(78, 2, 2, 1, "valid", 39, 0, 0)]   // 2x2 pool
    [InlineData(37, 2, 2, 1, "valid", 18, 0, 0)]   // odd input: floor
    [InlineData(10, 3, 1, 2, "valid", 6, 0, 0)]    // dilation 2: effective 5
    [InlineData(9, 3, 2, 2, "valid", 3, 0, 0)]
    [InlineData(11, 3, 1, 3, "valid", 5, 0, 0)]    // effective 7
    [InlineData(4, 5, 1, 1, "valid", 0, 0, 0)]     // does not fit
    [InlineData(6, 3, 1, 1, "same", 6, 1, 1)]      // the lecture's same example
    [InlineData(5, 3, 1, 1, "same", 5, 1, 1)]
    [InlineData(5, 4, 1, 1, "same", 5, 1, 2)]      // even kernel: odd cell after
    [InlineData(6, 3, 2, 1, "same", 3, 0, 1)]      // (3-1)*2+3-6 = 1: bottom / right only
    [InlineData(5, 3, 2, 1, "same", 3, 1, 1)]
    [InlineData(30, 3, 2, 1, "same", 15, 0, 1)]
    [InlineData(7, 3, 3, 1, "same", 3, 1, 1)]
    [InlineData(8, 3, 3, 1, "same", 3, 0, 1)]
    [InlineData(10, 5, 3, 1, "same", 4, 2, 2)]
    [InlineData(15, 3, 1, 2, "same", 15, 2, 2)]    // dilated: effective 5
    [InlineData(9, 3, 2, 2, "same", 5, 2, 2)]      // (5-1)*2+5-9 = 4
    [InlineData(13, 2, 2, 1, "same", 7, 0, 1)]     // pool, odd input
    [InlineData(14, 2, 2, 1, "same", 7, 0, 0)]     // pool, even input: no padding
    [InlineData(4, 1, 2, 1, "same", 2, 0, 0)]      // negative total clamps to 0
    [InlineData(1, 3, 1, 1, "same", 1, 1, 1)]
    [InlineData(2, 7, 1, 1, "same", 2, 3, 3)]      // same never fails
    [InlineData(8, 3, int.MaxValue, 1, "same", 1, 0, 0)]  // ceil(8 / huge) = 1, without int overflow
    public void Axis_matches_Keras(int input, int kernel, int stride, int dilation, string padding, int output, int before, int after)
    {
        Window.Axis(input, kernel, stride, dilation, padding == "same" ? PaddingKind.Same : PaddingKind.Valid).ShouldBe((output, before, after));
    }

    [Theory]
    [InlineData(2, 5, 1)]
    [InlineData(3, 3, 2)]   // effective 5
    [InlineData(1, 2, 1)]
    public void Valid_window_larger_than_its_input_does_not_fit(int input, int kernel, int dilation)
    {
        Window.Axis(input, kernel, 1, dilation, PaddingKind.Valid).Output.ShouldBeLessThanOrEqualTo(0);
        Window.Compute(Shape.Spatial(input, 8, 1), kernel, 1, 1, 1, dilation, 1, PaddingKind.Valid).Fits.ShouldBeFalse();
    }

    [Fact]
    public void Non_square_window_computes_each_axis_on_its_own()
    {
        var valid = Window.Compute(Shape.Spatial(7, 10, 3), 3, 5, 2, 2, 1, 1, PaddingKind.Valid);
        (valid.OutHeight, valid.OutWidth).ShouldBe((3, 3));
        (valid.PadTop, valid.PadBottom, valid.PadLeft, valid.PadRight).ShouldBe((0, 0, 0, 0));

        var same = Window.Compute(Shape.Spatial(7, 10, 3), 3, 5, 2, 2, 1, 1, PaddingKind.Same);
        (same.OutHeight, same.OutWidth).ShouldBe((4, 5));
        (same.PadTop, same.PadBottom, same.PadLeft, same.PadRight).ShouldBe((1, 1, 1, 2));

        var stridedApart = Window.Compute(Shape.Spatial(9, 9, 1), 1, 1, 3, 1, 1, 1, PaddingKind.Valid);
        (stridedApart.OutHeight, stridedApart.OutWidth).ShouldBe((3, 9));
    }

    public static IEnumerable<object[]> LayerShapes() => new[]
    {
        // layer, input [H,W,C] => output [H,W,C], (top, bottom, left, right), parameters
        new object[] { Conv(8, 3), (80, 80, 3), (78, 78, 8), (0, 0, 0, 0), 3 * 3 * 3 * 8 + 8 },
        new object[] { Conv(16, 3) with { Padding = PaddingKind.Same }, (28, 28, 1), (28, 28, 16), (1, 1, 1, 1), 9 * 16 + 16 },
        new object[] { Conv(17, 3) with { Stride = 2, Padding = PaddingKind.Same }, (30, 30, 3), (15, 15, 17), (0, 1, 0, 1), 9 * 3 * 17 + 17 },
        new object[] { Conv(9, 3) with { Dilation = 2, Padding = PaddingKind.Same }, (15, 15, 17), (15, 15, 9), (2, 2, 2, 2), 9 * 17 * 9 + 9 },
        new object[] { Conv(4, 3) with { Dilation = 2 }, (10, 12, 2), (6, 8, 4), (0, 0, 0, 0), 9 * 2 * 4 + 4 },
        new object[] { Conv(5, 2, 3) with { UseBias = false }, (15, 15, 9), (14, 13, 5), (0, 0, 0, 0), 2 * 3 * 9 * 5 },
        new object[] { Conv(6, 3, 1) with { Stride = 3 }, (12, 7, 2), (4, 3, 6), (0, 0, 0, 0), 3 * 1 * 2 * 6 + 6 },
        new object[] { Pool(LayerKind.MaxPool2D, 2, 2), (78, 78, 8), (39, 39, 8), (0, 0, 0, 0), 0 },
        new object[] { Pool(LayerKind.MaxPool2D, 3, 2), (9, 7, 4), (3, 3, 4), (0, 0, 0, 0), 0 },          // default stride = size, per axis
        new object[] { Pool(LayerKind.MaxPool2D, 3, 3) with { Stride = 1 }, (9, 7, 4), (7, 5, 4), (0, 0, 0, 0), 0 },
        new object[] { Pool(LayerKind.AvgPool2D, 2, 2) with { Padding = PaddingKind.Same }, (14, 13, 5), (7, 7, 5), (0, 0, 0, 1), 0 },
        new object[] { Pool(LayerKind.AvgPool2D, 3, 3) with { Stride = 2, Padding = PaddingKind.Same }, (5, 5, 1), (3, 3, 1), (1, 1, 1, 1), 0 },
        new object[] { Depthwise(3, 1) with { Stride = 2, Padding = PaddingKind.Same }, (30, 30, 8), (15, 15, 8), (0, 1, 0, 1), 9 * 8 + 8 },
        new object[] { Depthwise(3, 2), (10, 12, 3), (8, 10, 6), (0, 0, 0, 0), 9 * 3 * 2 + 6 },
        new object[] { Depthwise(3, 3) with { Dilation = 2, Padding = PaddingKind.Same, UseBias = false }, (9, 9, 2), (9, 9, 6), (2, 2, 2, 2), 9 * 2 * 3 },
        new object[] { Separable(16, 3, 1) with { Padding = PaddingKind.Same }, (28, 28, 8), (28, 28, 16), (1, 1, 1, 1), 9 * 8 + 8 * 16 + 16 },
        new object[] { Separable(5, 3, 2) with { Stride = 2 }, (7, 8, 3), (3, 3, 5), (0, 0, 0, 0), 9 * 3 * 2 + 6 * 5 + 5 },
        new object[] { LayerSpec.Of(LayerKind.ZeroPadding2D, null) with { KindOptions = new ZeroPaddingData(1, 2, 3, 4) }, (5, 6, 7), (8, 13, 7), (0, 0, 0, 0), 0 },
    };

    [Theory]
    [MemberData(nameof(LayerShapes))]
    // The layer is passed as object: xunit only calls public test methods, and LayerSpec is internal.
    public void Layer_output_shape_and_padding(object layer, (int H, int W, int C) input, (int H, int W, int C) output,
        (int Top, int Bottom, int Left, int Right) padding, int parameters)
    {
        var plan = InferSingle(Spec(input, (LayerSpec)layer));

        plan.Output.ShouldBe(Shape.Spatial(output.H, output.W, output.C));
        (plan.PadTop, plan.PadBottom, plan.PadLeft, plan.PadRight).ShouldBe(padding);
        plan.ParameterCount.ShouldBe(parameters);
    }

    [Fact]
    public void Pool_stride_defaults_to_the_window_size_on_each_axis()
    {
        var plan = InferSingle(Spec((9, 7, 4), Pool(LayerKind.AvgPool2D, 3, 2)));

        (plan.StrideHeight, plan.StrideWidth).ShouldBe((3, 2));
    }

    [Fact]
    public void Lecture_network_shapes_parameters_and_layout()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var plans = ShapeInference.Infer(Spec((80, 80, 3),
            Conv(8, 3) with { Activation = ActivationKind.Relu },
            Pool(LayerKind.MaxPool2D, 2, 2),
            Conv(16, 3) with { Activation = ActivationKind.Relu },
            Pool(LayerKind.MaxPool2D, 2, 2),
            LayerSpec.Of(LayerKind.Flatten, null),
            LayerSpec.Of(LayerKind.Dense, null) with { Size = 64, Activation = ActivationKind.Relu },
            LayerSpec.Of(LayerKind.Dropout, null) with { Rate = 0.5 },
            LayerSpec.Of(LayerKind.Dense, null) with { Size = 8, Activation = ActivationKind.Softmax }), diagnostics, LayerCatalog.Rules)!;

        // The second pool leaves out row and column 36 of its 37x37 input.
        diagnostics.ShouldHaveSingleItem().Id.ShouldBe(DiagnosticDescriptors.PoolingDropsRemainderId);
        plans.Select(p => p.Output.ToString()).ShouldBe(new[]
        {
            "[78,78,8]", "[39,39,8]", "[37,37,16]", "[18,18,16]", "[5184]", "[64]", "[64]", "[8]",
        });
        plans.Select(p => p.Name).ShouldBe(new[]
        {
            "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense", "dropout", "dense_1",
        });
        plans.Select(p => p.ParameterCount).ShouldBe(new[] { 224, 0, 1168, 0, 0, 331840, 0, 520 });
        // One parameter buffer: each layer's weights, then its bias, right after the previous layer's.
        plans.Select(p => (p.WeightOffset, p.BiasOffset)).Where((_, i) => plans[i].ParameterCount > 0)
            .ShouldBe(new[] { (0, 216), (224, 1376), (1392, 333168), (333232, 333744) });
        plans.Sum(p => p.ParameterCount).ShouldBe(333752);
    }

    [Fact]
    public void Global_pooling_and_flatten_produce_vectors()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var plans = ShapeInference.Infer(Spec((5, 3, 7),
            LayerSpec.Of(LayerKind.GlobalAvgPool2D, null),
            LayerSpec.Of(LayerKind.Dense, null) with { Size = 1, Activation = ActivationKind.Sigmoid }), diagnostics, LayerCatalog.Rules)!;
        plans.Select(p => p.Output).ShouldBe(new[] { Shape.Vector(7), Shape.Vector(1) });
        plans[1].ParameterCount.ShouldBe(7 + 1);

        plans = ShapeInference.Infer(Spec((3, 3, 2), LayerSpec.Of(LayerKind.Flatten, null)), diagnostics, LayerCatalog.Rules)!;
        plans.ShouldHaveSingleItem().Output.ShouldBe(Shape.Vector(18));
        diagnostics.ShouldBeEmpty();
    }

    // Squeeze-and-excitation keeps rank: [1,1,C] through KeepDims, Dense on a 1x1 map, Reshape, and a broadcast Multiply.
    [Fact]
    public void Squeeze_and_excitation_keeps_rank_and_broadcasts()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var plans = ShapeInference.Infer(Spec((6, 5, 3),
            Conv(8, 3) with { Name = "features" },
            LayerSpec.Of(LayerKind.GlobalAvgPool2D, null) with { KindOptions = new GlobalPoolLayer.KeepDims(true) },
            LayerSpec.Of(LayerKind.Dense, null) with { Size = 2, Activation = ActivationKind.Relu },
            LayerSpec.Of(LayerKind.Dense, null) with { Size = 8, Activation = ActivationKind.HardSigmoid, Name = "gate" },
            LayerSpec.Of(LayerKind.Multiply, null) with { Sources = new EquatableArray<string>(new[] { "gate", "features" }) },
            LayerSpec.Of(LayerKind.GlobalMaxPool2D, null),
            LayerSpec.Of(LayerKind.Reshape, null) with { KindOptions = new ReshapeLayer.Target(2, 2, 2, 3) },
            LayerSpec.Of(LayerKind.Reshape, null) with { KindOptions = new ReshapeLayer.Target(1, 1, 8, 1) }), diagnostics, LayerCatalog.Rules)!;

        diagnostics.ShouldBeEmpty();
        plans.Select(p => p.Output.ToString()).ShouldBe(new[]
        {
            "[4,3,8]", "[1,1,8]", "[1,1,2]", "[1,1,8]", "[4,3,8]", "[8]", "[2,2,2]", "[8]",
        });
        plans.Select(p => p.ParameterCount).ShouldBe(new[] { 224, 0, 18, 24, 0, 0, 0, 0 });
        plans.Select(p => p.Name).Skip(4).ShouldBe(new[] { "multiply", "global_max_pooling2d", "reshape", "reshape_1" });
    }

    [Fact]
    public void Normalizations_keep_the_shape_and_lay_out_gamma_then_beta()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var plans = ShapeInference.Infer(Spec((4, 4, 3),
            Conv(6, 3),
            LayerSpec.Of(LayerKind.GroupNormalization, null) with { Size = 3 },
            LayerSpec.Of(LayerKind.LayerNormalization, null) with { KindOptions = new NormalizationLayer.Affine(Center: false, Scale: true) },
            LayerSpec.Of(LayerKind.GroupNormalization, null) with { Size = 6, KindOptions = new NormalizationLayer.Affine(Center: true, Scale: false) }), diagnostics, LayerCatalog.Rules)!;

        diagnostics.ShouldBeEmpty();
        plans.Select(p => p.Output).ShouldAllBe(s => s == Shape.Spatial(2, 2, 6));
        plans.Select(p => p.ParameterCount).ShouldBe(new[] { 168, 12, 6, 6 });
        plans.Select(p => p.Name).Skip(1).ShouldBe(new[] { "group_normalization", "layer_normalization", "group_normalization_1" });
        plans[1].Data.ShouldBe(new NormalizationLayer.Normalization(3, 1e-3, 168, 174));
        plans[2].Data.ShouldBe(new NormalizationLayer.Normalization(1, 1e-3, 180, -1));
        plans[3].Data.ShouldBe(new NormalizationLayer.Normalization(6, 1e-3, -1, 186));
    }

    [Fact]
    public void Default_names_skip_names_the_user_chose()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var names = LayerNames.Assign(new[]
        {
            Conv(8, 3),
            Conv(8, 3),
            Conv(8, 3) with { Name = "conv2d_1" },
            Pool(LayerKind.MaxPool2D, 2, 2),
        }.ToEquatableArray(), diagnostics, LayerCatalog.Rules);

        names.ShouldBe(new[] { "conv2d", "conv2d_2", "conv2d_1", "max_pooling2d" });
        diagnostics.ShouldBeEmpty();
    }

    private static LayerPlan InferSingle(NetworkSpec spec)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var plans = ShapeInference.Infer(spec, diagnostics, LayerCatalog.Rules);
        // Warnings about skipped rows are checked in StrideCoverageTests; here only errors count.
        diagnostics.ShouldNotContain(d => d.IsError);
        return plans.ShouldNotBeNull().ShouldHaveSingleItem();
    }

    internal static LayerSpec Conv(int filters, int kernel) => Conv(filters, kernel, kernel);

    internal static LayerSpec Conv(int filters, int kernelHeight, int kernelWidth) =>
        LayerSpec.Of(LayerKind.Conv2D, null) with { Size = filters, KernelHeight = kernelHeight, KernelWidth = kernelWidth };

    internal static LayerSpec Depthwise(int kernel, int multiplier) =>
        LayerSpec.Of(LayerKind.DepthwiseConv2D, null) with { KernelHeight = kernel, KernelWidth = kernel, KindOptions = new DepthwiseData(multiplier) };

    internal static LayerSpec Separable(int filters, int kernel, int multiplier) =>
        LayerSpec.Of(LayerKind.SeparableConv2D, null) with { Size = filters, KernelHeight = kernel, KernelWidth = kernel, KindOptions = new DepthwiseData(multiplier) };

    internal static LayerSpec Pool(LayerKind kind, int height, int width) =>
        LayerSpec.Of(kind, null) with { KernelHeight = height, KernelWidth = width };

    internal static NetworkSpec Spec((int H, int W, int C) input, params LayerSpec[] layers) =>
        new(null, "Net", "Net", EquatableArray<ContainingType>.Empty, true, new InputSpec(input.H, input.W, input.C),
            layers.ToEquatableArray(), null, null);
}
