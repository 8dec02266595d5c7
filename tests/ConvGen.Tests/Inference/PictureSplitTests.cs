using System;

namespace ConvGen.Tests.Inference;

/// <summary>A small ResNet: a strided, asymmetrically padded stem with BatchNorm, max-pool, a residual block, a projected strided block, GlobalAvgPool and Dense.</summary>
[Network(Input = "19x17x3")]
[Conv2D(8, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, UseBias = false, Name = "stem")]
[BatchNorm(Name = "stem_bn")]
[Activation(Activation.Relu, Name = "stem_relu")]
[MaxPool2D(2, Stride = 1, Name = "pool")]
[Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "conv_a")]
[Conv2D(8, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
[BatchNorm(Name = "bn_b")]
[Add("bn_b", "pool", Activation = Activation.Relu, Name = "block1")]
[Conv2D(16, 1, Stride = 2, Padding = Padding.Same, Name = "projection")]
[Conv2D(16, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu, Input = "block1", Name = "conv_c")]
[Add("conv_c", "projection", Name = "block2")]
[GlobalAvgPool2D]
[Dense(5, Activation = Activation.Softmax)]
public sealed partial class SplitResidualNet;

/// <summary>MobileNet-style: depthwise 3x3 (same, strided, a multiplier of 2) with BatchNorm and Relu6, pointwise convolutions, a Silu that is not fused.</summary>
[Network(Input = "21x18x3")]
[Conv2D(16, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
[DepthwiseConv2D(3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu6)]
[Conv2D(24, 1, Activation = Activation.Silu)]
[DepthwiseConv2D(3, Stride = 2, DepthMultiplier = 2, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(32, 1)]
[DepthwiseConv2D(5, Padding = Padding.Valid)]
[GlobalAvgPool2D]
[Dense(3)]
public sealed partial class SplitMobileNet;

/// <summary>Pools that split rows: a padded strided average (the divisor depends on the row), a strided max with odd sizes, 20 channels (a Vector256 and a narrow tail).</summary>
[Network(Input = "23x15x3")]
[Conv2D(20, 3, Activation = Activation.Relu)]
[AvgPool2D(3, Stride = 2, Padding = Padding.Same)]
[Conv2D(12, 1)]
[MaxPool2D(3, Stride = 2, PadTop = 1, PadLeft = 1)]
[Flatten]
[Dense(4)]
public sealed partial class SplitPoolNet;

/// <summary>
/// Weights large next to the map, so both convolutions take the generator's picture plan (tiles
/// over a share's pixels, not its rows): the first with a weight slice over the L2 budget, its
/// input channels in blocks whose partial sums go through the output; the second on rows of 3
/// pixels, narrower than a tile. A share of 7 rows of 5 pixels is not a whole number of tiles.
/// </summary>
[Network(Input = "7x5x256")]
[Conv2D(96, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "blocked")]
[Conv2D(512, 3, Stride = 2, Padding = Padding.Same, Name = "narrow")]
public sealed partial class SplitDeepNet;

/// <summary>
/// BatchNorms folded into the stores of convolutions large enough to fold there (register tiles,
/// a strided 1x1, and the picture plan on a 5x4 map): each share scales and shifts its own rows.
/// </summary>
[Network(Input = "9x8x32")]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[Conv2D(128, 1, Stride = 2, UseBias = false)]
[BatchNorm]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
public sealed partial class SplitFoldedNet;

/// <summary>
/// ResNet-18's stages 3 and 4 at their own shapes: weights larger than L2, so the strided layers
/// and conv512 take the picture plan with their channel blocks' weights packed before their tiles
/// (conv256 runs as Winograd F(2x2)); a share's rows of 14 or 7 pixels are not whole tiles.
/// </summary>
[Network(Input = "28x28x128")]
[Conv2D(256, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Activation = Activation.Relu, Name = "down256")]
[Conv2D(256, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "conv256")]
[Conv2D(512, 3, Stride = 2, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 0, Activation = Activation.Relu, Name = "down512")]
[Conv2D(512, 3, Padding = Padding.Same, UseBias = false, Name = "conv512")]
public sealed partial class SplitResNetDeepNet;

/// <summary>
/// Both layers run as Winograd convolutions (see the generator's WinogradPlan): F(4x4) with pad 1
/// on a 30x29 map (tiles overhang the right edge), then F(2x2) with pad 0 and a BatchNorm folded
/// in on 28x27. A share's edge cuts a tile row, which both threads compute and each stores its rows of.
/// </summary>
[Network(Input = "30x29x64")]
[Conv2D(64, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "f4")]
[Conv2D(64, 3, UseBias = false, Name = "f2")]
[BatchNorm(Name = "f2_bn")]
[Activation(Activation.Relu)]
[GlobalAvgPool2D]
[Dense(4)]
public sealed partial class SplitWinogradNet;

/// <summary>
/// Winograd layers whose filters come in 64-filter blocks, so that one picture over 2 or 3 threads
/// divides the filters instead of the rows: F(4x4) with 128 filters (two blocks) on 29x30, then
/// F(2x2) with 192 filters (three) and a BatchNorm folded in on 15x15 after a strided layer; each
/// thread computes every pixel of its filters, the next layer reads every thread's.
/// </summary>
[Network(Input = "29x30x64")]
[Conv2D(128, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "f4_128")]
[Conv2D(64, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu, Name = "down")]
[Conv2D(192, 3, Padding = Padding.Same, UseBias = false, Name = "f2_192")]
[BatchNorm(Name = "f2_bn")]
[Activation(Activation.Relu)]
[GlobalAvgPool2D]
[Dense(4)]
public sealed partial class SplitWinogradFiltersNet;

/// <summary>
/// The 5x5 layers run as Winograd F(2x2, 5x5) (see the generator's Winograd5x5Plan): pad 2 on a 19x18 map
/// (2x2 tiles overhang the bottom edge), then pad 0 with a BatchNorm folded in (its scales in the filters),
/// then 128 filters (two 64-filter blocks, so that one picture over 2 threads divides the filters).
/// </summary>
[Network(Input = "19x18x32")]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu, Name = "same5")]
[Conv2D(72, 5, UseBias = false, Name = "valid5")]
[BatchNorm(Name = "valid5_bn")]
[Activation(Activation.Relu)]
[Conv2D(128, 5, Padding = Padding.Same, Activation = Activation.Relu, Name = "filters5")]
[GlobalAvgPool2D]
[Dense(4)]
public sealed partial class SplitWinograd5x5Net;

/// <summary>
/// A workspace created with threads splits each picture's convolution rows among them (one
/// barrier per layer); every output value is computed by the same code as on one thread, so the
/// outputs must be bit-identical to the one-thread forward, for 1, 2 and 3 threads and batches
/// of 1 and 2 (and 3 threads over 2 pictures, where a thread's rows span both).
/// </summary>
public sealed class PictureSplitTests
{
    /// <summary>Each network above, for batches of 1 and 2 on 1 to 3 threads.</summary>
    public static TheoryData<string, int, int> Splits()
    {
        var cases = new TheoryData<string, int, int>();
        foreach (string network in Networks.Keys)
        {
            foreach (var (batch, threads) in new[] { (1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (1, 3) })
            {
                cases.Add(network, batch, threads);
            }
        }
        return cases;
    }

    private static readonly System.Collections.Generic.Dictionary<string, Func<INetwork>> Networks = new()
    {
        ["residual"] = () => SplitResidualNet.Create(3),
        ["depthwise"] = () => SplitMobileNet.Create(4),
        ["pooling"] = () => SplitPoolNet.Create(6),
        ["picture-tiled"] = () => SplitDeepNet.Create(6),
        ["folded"] = () => SplitFoldedNet.Create(8),
        ["resnet-deep"] = () => SplitResNetDeepNet.Create(7),
        ["winograd"] = () => SplitWinogradNet.Create(7),
        ["winograd-filters"] = () => SplitWinogradFiltersNet.Create(7),
        ["winograd-5x5"] = () => SplitWinograd5x5Net.Create(7),
        ["residual-store"] = () => ResidualStoreNet.Create(7),
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_network_split_over_threads_is_bit_identical(string network, int batch, int threads) =>
        AssertBitIdentical(Networks[network](), batch, threads);

    [Fact]
    public void A_split_workspace_runs_many_forwards_and_smaller_batches()
    {
        var network = SplitResidualNet.Create(5);
        float[] inputs = Inputs(network, 2, seed: 9);
        var expected = new float[2 * network.OutputShape.Length];
        network.Predict(inputs, expected);
        using var workspace = (InferenceWorkspace)network.CreateInferenceWorkspace(2, threads: 2);
        Assert.Equal(2, workspace.Threads);
        for (int round = 0; round < 20; round++)
        {
            var actual = new float[expected.Length];
            network.Forward(inputs.AsSpan(0, network.InputShape.Length), actual.AsSpan(0, network.OutputShape.Length), workspace);
            network.Forward(inputs.AsSpan(network.InputShape.Length), actual.AsSpan(network.OutputShape.Length), workspace);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>
    /// A forward pass allocates nothing on the calling thread, on one thread or split: the
    /// generated layers are a static lambda (a capturing one was a closure per call), and a split
    /// call hands its arguments to the parts through fields and one delegate made with the
    /// workspace (a lambda per call before). Both would be allocated here, by the caller.
    /// The bound is less than one object per call, not zero: the first time the calling thread
    /// really blocks on the pool's countdown (only on a loaded machine, possibly after the
    /// warm-up) the runtime creates that wait's lock objects once (168 bytes seen).
    /// Winograd layers split by filters share the workspace's transformed tiles, allocated with it.
    /// </summary>
    [Theory]
    [InlineData("depthwise", 1)]
    [InlineData("depthwise", 2)]
    [InlineData("winograd-filters", 2)]
    [InlineData("winograd-filters", 3)]
    [InlineData("winograd-5x5", 2)]
    public void A_forward_pass_allocates_nothing(string name, int threads)
    {
        var network = Networks[name]();
        float[] inputs = Inputs(network, 1, seed: 4);
        var outputs = new float[network.OutputShape.Length];
        using var workspace = (InferenceWorkspace)network.CreateInferenceWorkspace(1, threads);
        AssertLessThanAnObjectPerCall(network, inputs, outputs, workspace, calls: 50, $"forward passes on {threads} thread(s)");
    }

    /// <summary>
    /// A split workspace of a network whose Winograd layers can divide their filters holds one buffer of transformed
    /// tiles, which those layers' threads fill together (the bits are checked by <see cref="A_network_split_over_threads_is_bit_identical"/>);
    /// a one-thread workspace has none.
    /// </summary>
    [Theory]
    [InlineData("winograd-filters")]
    [InlineData("winograd-5x5")]
    public void Winograd_layers_split_by_filters_share_their_transformed_tiles(string name)
    {
        var network = Networks[name]();
        float[] inputs = Inputs(network, 1, seed: 8);
        using var single = (InferenceWorkspace)network.CreateInferenceWorkspace(1, threads: 1);
        Assert.True(single.SharedTiles.IsEmpty);
        using var split = (InferenceWorkspace)network.CreateInferenceWorkspace(1, threads: 2);
        Assert.False(split.SharedTiles.IsEmpty);
        Assert.True(split.SharedTiles.IndexOfAnyExcept(0f) < 0);
        network.Forward(inputs, new float[network.OutputShape.Length], split);
        Assert.True(split.SharedTiles.IndexOfAnyExcept(0f) >= 0);
    }

    /// <summary>
    /// After three warm-up passes, <paramref name="calls"/> forward passes allocate less than one object per call on the
    /// calling thread, in the least of three rounds: an allocation per call shows in every round, while a one-off runtime
    /// allocation on the thread (about 8 KB, seen once in a full parallel run and never alone) shows in one round only.
    /// </summary>
    internal static void AssertLessThanAnObjectPerCall(INetwork network, float[] inputs, float[] outputs, IInferenceWorkspace workspace, int calls, string what)
    {
        const int smallestObjectBytes = 24;
        for (int warm = 0; warm < 3; warm++) network.Forward(inputs, outputs, workspace);
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int call = 0; call < calls; call++) network.Forward(inputs, outputs, workspace);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(least < calls * smallestObjectBytes, $"{calls} {what} allocated {least} bytes on the calling thread (the least of three rounds).");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(InferenceWorkspace.MaxThreads + 1)]
    public void A_thread_count_out_of_range_is_refused(int threads)
    {
        var network = SplitResidualNet.Create(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.CreateInferenceWorkspace(1, threads));
        Assert.Equal("threads", e.ParamName);
    }

    private static void AssertBitIdentical(INetwork network, int batch, int threads)
    {
        float[] inputs = Inputs(network, batch, seed: 17);
        var expected = new float[batch * network.OutputShape.Length];
        network.Forward(inputs, expected, network.CreateInferenceWorkspace(batch));
        var actual = new float[expected.Length];
        var workspace = network.CreateInferenceWorkspace(batch, threads);
        try
        {
            network.Forward(inputs, actual, workspace);
            Assert.Equal(expected, actual);
            // Again on the same workspace: the threads and the barrier are reused.
            Array.Clear(actual);
            network.Forward(inputs, actual, workspace);
            Assert.Equal(expected, actual);
        }
        finally
        {
            ((IDisposable)workspace).Dispose();
        }
        Assert.Contains(expected, v => v != 0);
    }

    /// <summary>A batch of uniform values in [-1, 1) from <paramref name="seed"/>.</summary>
    internal static float[] Inputs(INetwork network, int batch, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[batch * network.InputShape.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return inputs;
    }
}
