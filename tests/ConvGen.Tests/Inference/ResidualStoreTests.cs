using System;
using System.Linq;

namespace ConvGen.Tests.Inference;

// Each Add's summand is a convolution that only the Add reads, whose other summand is computed
// before it: at inference the convolution stores the Add's sum (and ReLU) from its register tile.
// block1: a 3x3 with a BatchNorm in its store (picture tiles on a 6x7 map of 64 channels);
// block2: the projection 1x1 stride 2 with its BatchNorm, declared after the block (row tiles);
// block3: a plain convolution with a bias and no activation (picture tiles on a 3x4 map of 128 channels);
// block4: a 3x3 with a BatchNorm in its store on that map (picture tiles).
[Network(Input = "6x7x16")]
[Conv2D(64, 1, Activation = Activation.Relu, Name = "stem")]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false, Name = "conv_a")]
[BatchNorm(Name = "bn_a")]
[Add("bn_a", "stem", Activation = Activation.Relu, Name = "block1")]
[Conv2D(128, 3, Stride = 2, Padding = Padding.Same, UseBias = false, Name = "down")]
[BatchNorm(Name = "down_bn")]
[Activation(Activation.Relu, Name = "down_relu")]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
[BatchNorm(Name = "bn_b")]
[Conv2D(128, 1, Stride = 2, Padding = Padding.Same, UseBias = false, Input = "block1", Name = "projection")]
[BatchNorm(Name = "bn_p")]
[Add("bn_b", "bn_p", Activation = Activation.Relu, Name = "block2")]
[Conv2D(128, 3, Padding = Padding.Same, Name = "conv_c")]
[Add("conv_c", "block2", Name = "block3")]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, Name = "conv_d")]
[BatchNorm(Name = "bn_d")]
[Add("bn_d", "block3", Activation = Activation.Relu, Name = "block4")]
[GlobalAvgPool2D(Name = "pool")]
[Dense(3, Name = "head")]
public sealed partial class ResidualStoreNet;

// The same layers, each Add reading its other summand through a Dropout (nothing at inference)
// declared after the convolution: that summand is not computed before the convolution, so no
// convolution stores an Add's sum and every Add runs as its own layer.
[Network(Input = "6x7x16")]
[Conv2D(64, 1, Activation = Activation.Relu, Name = "stem")]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false, Name = "conv_a")]
[BatchNorm(Name = "bn_a")]
[Dropout(0.5, Input = "stem", Name = "stem_later")]
[Add("bn_a", "stem_later", Activation = Activation.Relu, Name = "block1")]
[Conv2D(128, 3, Stride = 2, Padding = Padding.Same, UseBias = false, Name = "down")]
[BatchNorm(Name = "down_bn")]
[Activation(Activation.Relu, Name = "down_relu")]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
[BatchNorm(Name = "bn_b")]
[Conv2D(128, 1, Stride = 2, Padding = Padding.Same, UseBias = false, Input = "block1", Name = "projection")]
[BatchNorm(Name = "bn_p")]
[Dropout(0.5, Input = "bn_p", Name = "bn_p_later")]
[Add("bn_b", "bn_p_later", Activation = Activation.Relu, Name = "block2")]
[Conv2D(128, 3, Padding = Padding.Same, Name = "conv_c")]
[Dropout(0.5, Input = "block2", Name = "block2_later")]
[Add("conv_c", "block2_later", Name = "block3")]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, Name = "conv_d")]
[BatchNorm(Name = "bn_d")]
[Dropout(0.5, Input = "block3", Name = "block3_later")]
[Add("bn_d", "block3_later", Activation = Activation.Relu, Name = "block4")]
[GlobalAvgPool2D(Name = "pool")]
[Dense(3, Name = "head")]
public sealed partial class ResidualSeparateNet;

// Residual convolutions that run as Winograd, as ResNet-18's: 3x3, stride 1, a BatchNorm after each.
// block1: F(4x4) on a 28x28 map of 128 channels (a picture split by filters over 2 threads, by row shares over 3);
// block2: F(2x2) on a 14x14 map of 192 channels, the projection declared before it so that it is the later
// summand (its filters split over 2 and 3 threads, the threads sharing the transformed tiles);
// block3: F(2x2) with a bias, no BatchNorm and no activation.
[Network(Input = "28x28x8")]
[Conv2D(128, 1, Activation = Activation.Relu, Name = "stem")]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, Name = "conv_a")]
[BatchNorm(Name = "bn_a")]
[Add("bn_a", "stem", Activation = Activation.Relu, Name = "block1")]
[Conv2D(192, 1, Stride = 2, Padding = Padding.Same, UseBias = false, Name = "projection")]
[BatchNorm(Name = "bn_p")]
[Conv2D(192, 3, Stride = 2, Padding = Padding.Same, UseBias = false, Input = "block1", Name = "down")]
[BatchNorm(Name = "down_bn")]
[Activation(Activation.Relu, Name = "down_relu")]
[Conv2D(192, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
[BatchNorm(Name = "bn_b")]
[Add("bn_b", "bn_p", Activation = Activation.Relu, Name = "block2")]
[Conv2D(192, 3, Padding = Padding.Same, Name = "conv_c")]
[Add("conv_c", "block2", Name = "block3")]
[GlobalAvgPool2D(Name = "pool")]
[Dense(3, Name = "head")]
public sealed partial class WinogradResidualStoreNet;

// The same layers, each Add's other summand read through a Dropout declared after the convolution: every Add on its own.
[Network(Input = "28x28x8")]
[Conv2D(128, 1, Activation = Activation.Relu, Name = "stem")]
[Conv2D(128, 3, Padding = Padding.Same, UseBias = false, Name = "conv_a")]
[BatchNorm(Name = "bn_a")]
[Dropout(0.5, Input = "stem", Name = "stem_later")]
[Add("bn_a", "stem_later", Activation = Activation.Relu, Name = "block1")]
[Conv2D(192, 1, Stride = 2, Padding = Padding.Same, UseBias = false, Name = "projection")]
[BatchNorm(Name = "bn_p")]
[Conv2D(192, 3, Stride = 2, Padding = Padding.Same, UseBias = false, Input = "block1", Name = "down")]
[BatchNorm(Name = "down_bn")]
[Activation(Activation.Relu, Name = "down_relu")]
[Conv2D(192, 3, Padding = Padding.Same, UseBias = false, Name = "conv_b")]
[BatchNorm(Name = "bn_b")]
[Dropout(0.5, Input = "bn_p", Name = "bn_p_later")]
[Add("bn_b", "bn_p_later", Activation = Activation.Relu, Name = "block2")]
[Conv2D(192, 3, Padding = Padding.Same, Name = "conv_c")]
[Dropout(0.5, Input = "block2", Name = "block2_later")]
[Add("conv_c", "block2_later", Name = "block3")]
[GlobalAvgPool2D(Name = "pool")]
[Dense(3, Name = "head")]
public sealed partial class WinogradResidualSeparateNet;

/// <summary>
/// A convolution that stores a residual Add's sum computes <c>activation(stored + skip)</c> from its
/// register tile, the stored value being what it would have written (<c>scale * sum + shift</c> with a
/// BatchNorm folded in): the same operations in the same order as the Add on its own, so the same bits.
/// </summary>
public sealed class ResidualStoreTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    public void Residual_store_is_bit_identical_to_the_separate_add(int batch, int threads) =>
        AssertSameBits(ResidualStoreNet.Create(5), ResidualSeparateNet.Create(5), batch, threads);

    /// <summary>
    /// The Winograd output transform adds the skip to the value it would have stored: one picture split over 2
    /// and 3 threads (by filters, the threads sharing the transformed tiles, or by row shares) and more pictures
    /// than threads give the separate Add's bits.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void Winograd_residual_store_is_bit_identical_to_the_separate_add(int batch, int threads) =>
        AssertSameBits(WinogradResidualStoreNet.Create(5), WinogradResidualSeparateNet.Create(5), batch, threads);

    private static void AssertSameBits(INetwork fused, INetwork separate, int batch, int threads)
    {
        Randomize(fused);
        foreach (var tensor in fused.ParameterTensors)
        {
            var twin = separate.ParameterTensors.Single(t => t.Name == tensor.Name);
            fused.Parameters.Slice(tensor.Offset, tensor.Length).CopyTo(separate.Parameters.Slice(twin.Offset, twin.Length));
        }
        float[] inputs = PictureSplitTests.Inputs(fused, batch, seed: 23);
        var expected = new float[batch * fused.OutputShape.Length];
        separate.Forward(inputs, expected, separate.CreateInferenceWorkspace(batch, threads));
        var actual = new float[expected.Length];
        fused.Forward(inputs, actual, fused.CreateInferenceWorkspace(batch, threads));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_add_is_folded_into_a_convolution()
    {
        // One residual entry per Add: conv_a's, the projection's and conv_d's with their BatchNorms, conv_c's plain.
        Assert.Equal(new[] { "Layer12Conv2DResidual", "Layer14Conv2DFoldedBatchNormResidual", "Layer1Conv2DFoldedBatchNormResidual", "Layer9Conv2DFoldedBatchNormResidual" }, ResidualEntries("ResidualStoreNetKernels"));
    }

    [Fact]
    public void Every_add_after_a_winograd_convolution_is_folded_into_it()
    {
        // conv_a's and conv_b's with their BatchNorms, conv_c's plain.
        Assert.Equal(new[] { "Layer12Conv2DResidual", "Layer1Conv2DFoldedBatchNormResidual", "Layer9Conv2DFoldedBatchNormResidual" }, ResidualEntries("WinogradResidualStoreNetKernels"));
    }

    /// <summary>The residual entries of the generated kernel class <paramref name="kernels"/> (a file-local class: its name after the compiler's prefix), in ordinal order.</summary>
    private static string[] ResidualEntries(string kernels) =>
        typeof(ResidualStoreNet).Assembly.GetTypes().Single(t => t.Name.EndsWith("__" + kernels, StringComparison.Ordinal))
            .GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            .Select(m => m.Name).Where(name => name.EndsWith("Residual", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Weights and BatchNorm statistics away from their initial values (a variance of 1, a mean of 0 would make the folds trivial).</summary>
    private static void Randomize(INetwork network)
    {
        var random = new Random(11);
        foreach (var tensor in network.ParameterTensors)
        {
            var values = network.Parameters.Slice(tensor.Offset, tensor.Length);
            bool variance = tensor.Name.EndsWith("running_var", StringComparison.Ordinal);
            for (int i = 0; i < values.Length; i++)
            {
                double u = random.NextDouble();
                values[i] = (float)(variance ? 0.5 + u : (u * 2 - 1) * 0.3);
            }
        }
    }
}
