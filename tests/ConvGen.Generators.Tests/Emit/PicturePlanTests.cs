using ConvGen.Generators.Emit;
using ConvGen.Generators.Model;
using ConvGen.Generators.Tests.Infrastructure;

namespace ConvGen.Generators.Tests.Emit;

/// <summary>
/// The cost rule that picks a convolution body's loop order (PicturePlan.For): ResNet-18's deep
/// layers, whose weights are large next to their maps, take the picture plan, their input channels
/// blocked where a channel block's weight slice is over the L2 budget; small layers keep rows.
/// </summary>
public sealed class PicturePlanTests
{
    private const int Tile512 = 24;
    private const int Tile256 = 12;

    private static WindowShape Conv(int size, int cin, int outSize, int cout, int kernel, int stride, int pad) =>
        new(Shape.Spatial(size, size, cin), Shape.Spatial(outSize, outSize, cout), kernel, kernel, stride, stride, 1, 1, pad, pad, pad, pad);

    [Fact]
    public void The_512_channel_layer_on_7x7_blocks_its_input_channels_to_fit_the_budget()
    {
        var shape = Conv(7, 512, 7, 512, 3, 1, 1);
        // 9 x 512 x 64 x 4 bytes = 1.18 MB: 3 blocks would fit, 4 divide 512.
        Assert.Equal(new PicturePlan(128), PicturePlan.For(shape, VectorWidth.V512, Tile512));
        // Vector256 blocks are 16 channels wide: 295 KB, one block.
        Assert.Equal(new PicturePlan(512), PicturePlan.For(shape, VectorWidth.V256, Tile256));
    }

    [Fact]
    public void The_256_channel_layer_on_14x14_takes_two_blocks_with_vector512()
    {
        var shape = Conv(14, 256, 14, 256, 3, 1, 1);
        Assert.Equal(new PicturePlan(128), PicturePlan.For(shape, VectorWidth.V512, Tile512));
        // 295 KB slices fit the budget, but the 2.4 MB of weights do not fit L2, which rows would stream them from every row.
        Assert.Equal(new PicturePlan(256), PicturePlan.For(shape, VectorWidth.V256, Tile256));
    }

    [Fact]
    public void The_strided_256_channel_layer_takes_picture_tiles_because_its_weights_exceed_L2()
    {
        // 28x28x128 -> 14x14x256 s2: 1.18 MB of weights, 295 KB (147 KB) slices, rows of 14 with no thin tail.
        var shape = new WindowShape(Shape.Spatial(28, 28, 128), Shape.Spatial(14, 14, 256), 3, 3, 2, 2, 1, 1, 1, 0, 1, 0);
        Assert.Equal(new PicturePlan(128), PicturePlan.For(shape, VectorWidth.V512, Tile512));
        Assert.Equal(new PicturePlan(128), PicturePlan.For(shape, VectorWidth.V256, Tile256));
        // ResNet stage 2 (590 KB of weights, which L2 holds) keeps its Vector512 rows of 6-pixel tiles and a 4-pixel tail.
        Assert.Null(PicturePlan.For(Conv(28, 128, 28, 128, 3, 1, 1), VectorWidth.V512, Tile512));
    }

    [Fact]
    public void The_strided_128_channel_layer_takes_picture_tiles_with_vector256_because_its_slice_exceeds_L1()
    {
        // 56x56x64 -> 28x28x128 s2: 36 KB slices of 16 channels (over L1), 295 KB of weights, rows of 28 with no thin tail.
        var shape = new WindowShape(Shape.Spatial(56, 56, 64), Shape.Spatial(28, 28, 128), 3, 3, 2, 2, 1, 1, 1, 0, 1, 0);
        Assert.Equal(new PicturePlan(64), PicturePlan.For(shape, VectorWidth.V256, Tile256));
        // Vector512 keeps its rows (measured at 89% of a Zen 5 core with them).
        Assert.Null(PicturePlan.For(shape, VectorWidth.V512, Tile512));
    }

    [Theory]
    [InlineData(49, 6, 4, 5)] // 7x7: 10 tiles of 5 (50 slots) cost less than 9 of 6 (54)
    [InlineData(196, 6, 4, 6)] // 14x14: 33 tiles of 6 (198 slots) beat 49 of 4 (196) once each tile's own cost counts
    [InlineData(49, 3, 4, 3)] // Vector256, 7x7: 17 tiles of 3 beat 25 of 2
    [InlineData(25, 6, 4, 5)] // 5x5: 5 tiles of 5, no spare slot
    [InlineData(14, 8, 1, 8)] // one accumulator a pixel: 2 tiles of 7 would waste no slot, but 7 accumulators do not hide the FMA latency
    public void Picture_tiles_take_the_pixel_count_that_wastes_least(int mapPixels, int maxPixels, int accumulators, int expected) =>
        Assert.Equal(expected, PicturePlan.TilePixels(mapPixels, maxPixels, accumulators));

    [Fact]
    public void A_projection_with_a_thin_row_tail_and_large_weights_takes_picture_tiles_unblocked()
    {
        // 1x1 s2 256 -> 512 on 7x7: rows of 7 = a 6-pixel tile + a 1-pixel tile of 4 accumulators; 512 KB of weights.
        var shape = new WindowShape(Shape.Spatial(14, 14, 256), Shape.Spatial(7, 7, 512), 1, 1, 2, 2, 1, 1, 0, 0, 0, 0);
        Assert.Equal(new PicturePlan(256), PicturePlan.For(shape, VectorWidth.V512, Tile512));
    }

    [Fact]
    public void A_smaller_budget_blocks_smaller_layers()
    {
        var shape = Conv(5, 64, 5, 64, 3, 1, 1);
        Assert.Null(PicturePlan.For(shape, VectorWidth.V512, Tile512));
        // 9 x 64 x 64 x 4 = 147 KB against 64 KB: 3 blocks do not divide 64, 4 do.
        Assert.Equal(new PicturePlan(16), PicturePlan.For(shape, VectorWidth.V512, Tile512, budget: 64 * 1024));
        // 7 channels, 16 KB against 6000 bytes: 3 blocks, and none of 3 to 6 divides 7, so blocks of 3 and a last of 1.
        var odd = Conv(5, 7, 5, 64, 3, 1, 1);
        Assert.Equal(new PicturePlan(3), PicturePlan.For(odd, VectorWidth.V512, Tile512, budget: 6000));
    }

    [Theory]
    [InlineData(56, 64, 56, 64, 3, 1, 1)] // ResNet stage 1: weights stay in L2, 56 = 9 x 6 + 2 (8 accumulators); its 36 KB Vector256 slices are over L1, but its 147 KB of weights are small
    [InlineData(224, 3, 112, 64, 7, 2, 3)] // the stem
    [InlineData(28, 8, 28, 16, 3, 1, 1)] // a small network's layer
    public void Layers_with_small_weights_keep_the_row_plan(int size, int cin, int outSize, int cout, int kernel, int stride, int pad)
    {
        var shape = Conv(size, cin, outSize, cout, kernel, stride, pad);
        Assert.Null(PicturePlan.For(shape, VectorWidth.V512, Tile512));
        Assert.Null(PicturePlan.For(shape, VectorWidth.V256, Tile256));
    }

    /// <summary>
    /// ResNet-18's 512-channel layers on 7x7 (3x3 512 to 512, and 256 to 512 stride 2): every input
    /// channel step of a tile prefetches one float of the next weight slice, each tile from its share's
    /// start (g * width / tiles) on by width / tiles rounded up, so the tiles' steps walk all of it and
    /// the slice is in L2 when its tiles start instead of coming cold from DRAM; the generated code compiles.
    /// </summary>
    [Theory]
    [InlineData("7x7x512", "[Conv2D(512, 3, Padding = Padding.Same, Activation = Activation.Relu)]", "ref float ahead = ref Unsafe.Add(ref slice, 73728);", "int g = p / 5 * 1152;", "ref float next = ref Unsafe.Add(ref ahead, g * 64 / 10);", "next = ref Unsafe.Add(ref next, 7);")]
    [InlineData("14x14x256", "[Conv2D(512, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Activation = Activation.Relu)]", "ref float ahead = ref Unsafe.Add(ref slice, 73728);", "int g = p / 5 * 1152;", "ref float next = ref Unsafe.Add(ref ahead, g * 64 / 10);", "next = ref Unsafe.Add(ref next, 7);")]
    public void The_512_channel_layers_on_7x7_prefetch_the_next_weight_slice(string input, string layer, string ahead, string first, string start, string step)
    {
        var run = GeneratorHarness.Run("using ConvGen;\n\nnamespace Samples;\n\n" + $$"""
            /// <summary>The layer.</summary>
            [Network(Input = "{{input}}")]
            {{layer}}
            public sealed partial class Net;
            """);
        run.GeneratorProblems.ShouldBeEmpty();
        run.CompilationProblems.ShouldBeEmpty();
        string source = run.SingleSource;
        source.ShouldContain(ahead);
        source.ShouldContain(first);
        source.ShouldContain(start);
        source.ShouldContain("Tile.Prefetch(ref next);");
        source.ShouldContain(step);
    }
}
