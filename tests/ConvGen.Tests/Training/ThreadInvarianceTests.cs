using System;
using System.IO;
using System.Linq;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// The Fashion-MNIST tutorial's shape at a smaller width: two 5x5 convolutions, a Dense layer and
/// Dropout. The first Dense layer (735 x 96 weights) is large enough that a part of several chunks
/// makes its gradient a block of rows at a time, and its 735 inputs leave a row tail after the
/// 4-row tiles; 15 filters give the convolutions a Vector128 and a scalar tail.
/// </summary>
[Network(Input = "28x28x1")]
[Conv2D(8, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(15, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(96, Activation = Activation.Relu)]
[Dropout(0.4)]
[Dense(10)]
public sealed partial class SmallFashionNet;

/// <summary>
/// Fashion's shape with channels enough for Winograd (the generator's Winograd5x5Plan): the 5x5 layers on 14x14
/// (32 -> 64 and 64 -> 64 channels) run their forward, their weight gradients and their input gradients as F(2x2, 5x5)
/// (Winograd5x5Plan, Winograd5x5WeightGradientPlan, Winograd5x5InputGradientPlan).
/// </summary>
[Network(Input = "28x28x1")]
[Conv2D(32, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(24, Activation = Activation.Relu)]
[Dense(10)]
public sealed partial class WinogradFashionNet;

/// <summary>
/// LeNet's convolutions: 6 filters on one channel and 16 filters on those 6, so the first layer's
/// forward and weight gradient and the second layer's input gradient (into 6 channels) put output
/// pixels in the vector lanes, each summed across the lanes once per sample.
/// </summary>
[Network(Input = "28x28x1")]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(32, Activation = Activation.Relu)]
[Dense(10)]
public sealed partial class SmallLeNet;

/// <summary>
/// The same seed gives the same weights whatever the thread count: every sum over a batch is made
/// per chunk (a function of the batch size only) and the chunks are added in one fixed tree.
/// </summary>
public sealed class ThreadInvarianceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convgen-threads-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly int[] ThreadCounts = [1, 2, 3, 4, 8];

    /// <summary>256 noisy 28x28 images of ten classes (a bright band whose row is the class).</summary>
    private static Dataset FashionLike(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * 784];
        var targets = new float[count];
        for (int n = 0; n < count; n++)
        {
            int label = random.NextInt32(10);
            var image = inputs.AsSpan(n * 784, 784);
            for (int i = 0; i < 784; i++) image[i] = 0.3f * random.NextSingle();
            for (int x = 0; x < 28; x++) image[(2 + 2 * label) * 28 + x] += 0.7f;
            targets[n] = label;
        }
        return new Dataset(inputs, targets, count, 784, 1, Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray());
    }

    private static TrainingOptions Options(int threads, int batch, int epochs, Func<Optimizer>? optimizer) => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = optimizer?.Invoke() ?? new Adam(0.003f),
        Epochs = epochs,
        BatchSize = batch,
        Seed = 7,
        Threads = threads,
        Progress = null,
    };

    private (byte[] Weights, double[] Losses, double[] Accuracies) Train(Func<ITrainableNetwork> create, IDataSource data, int threads, int batch, int epochs,
        Func<Optimizer>? optimizer = null)
    {
        var network = create();
        var history = network.Fit(data, Options(threads, batch, epochs, optimizer));
        string path = Path.Combine(_directory, $"weights-{threads}.safetensors");
        WeightsFile.Save(network, path);
        return (File.ReadAllBytes(path), history.Series("loss"), history.Series("accuracy"));
    }

    private void AssertSameForEveryThreadCount(Func<ITrainableNetwork> create, IDataSource data, int batch, int epochs,
        Func<Optimizer>? optimizer = null, int[]? threadCounts = null)
    {
        var one = Train(create, data, 1, batch, epochs, optimizer);
        Assert.NotEqual(File.ReadAllBytes(SaveFresh(create)), one.Weights);
        foreach (int threads in (threadCounts ?? ThreadCounts).Skip(1))
        {
            var other = Train(create, data, threads, batch, epochs, optimizer);
            Assert.True(one.Weights.AsSpan().SequenceEqual(other.Weights), $"{threads} threads wrote other weights than 1 thread.");
            Assert.Equal(one.Losses, other.Losses);
            Assert.Equal(one.Accuracies, other.Accuracies);
        }
    }

    private string SaveFresh(Func<ITrainableNetwork> create)
    {
        string path = Path.Combine(_directory, "fresh.safetensors");
        WeightsFile.Save(create(), path);
        return path;
    }

    [Fact]
    public void A_network_with_dropout_writes_byte_identical_weights_with_1_2_3_4_and_8_threads() =>
        AssertSameForEveryThreadCount(() => SmallFashionNet.Create(3), FashionLike(256, 11), batch: 64, epochs: 3);

    [Fact]
    public void A_network_with_few_filter_convolutions_writes_byte_identical_weights_with_1_2_3_4_and_8_threads() =>
        AssertSameForEveryThreadCount(() => SmallLeNet.Create(4), FashionLike(256, 12), batch: 64, epochs: 2);

    [Fact]
    public void A_network_with_winograd_5x5_convolutions_writes_byte_identical_weights_with_1_2_3_4_and_8_threads() =>
        AssertSameForEveryThreadCount(() => WinogradFashionNet.Create(5), FashionLike(128, 13), batch: 64, epochs: 1);

    [Fact]
    public void A_residual_network_with_batchnorm_writes_byte_identical_weights_with_1_2_3_4_and_8_threads() =>
        AssertSameForEveryThreadCount(() => ResidualShapesNet.Create(5), SyntheticData.Shapes(256, 4), batch: 64, epochs: 3);

    [Fact]
    public void A_last_batch_smaller_than_the_thread_count_and_odd_batches_still_match()
    {
        // 100 samples in batches of 24: two chunks of 12, and a last batch of 4 (one chunk, more threads than chunks).
        var data = SyntheticData.Shapes(100, 6);
        AssertSameForEveryThreadCount(() => DenseBatchNormNet.Create(2), data, batch: 24, epochs: 2);
    }

    /// <summary>Optimizers and options the threads' split update must reproduce (each thread updates its slice of the parameters).</summary>
    public static TheoryData<string> Optimizers => new() { "sgd-momentum-decay", "nesterov", "adam-decay", "adamw", "rmsprop-momentum" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_optimizer_writes_byte_identical_weights_with_1_2_and_3_threads(string kind)
    {
        Func<Optimizer> optimizer = kind switch
        {
            "sgd-momentum-decay" => () => new Sgd(0.05f, 0.9f) { WeightDecay = 0.001f },
            "nesterov" => () => new Sgd(0.05f, 0.9f, nesterov: true) { WeightDecay = 0.001f, DecayBiases = true },
            "adam-decay" => () => new Adam(0.003f) { WeightDecay = 0.001f },
            "adamw" => () => new AdamW(0.003f) { WeightDecay = 0.01f },
            _ => () => new RmsProp(0.002f, momentum: 0.5f) { WeightDecay = 0.001f },
        };
        AssertSameForEveryThreadCount(() => ShapesNet.Create(8), SyntheticData.Shapes(96, 9), batch: 32, epochs: 2, optimizer, [1, 2, 3]);
    }

    [Fact]
    public void The_chunk_plan_depends_on_the_batch_size_alone()
    {
        Assert.Equal(1, ConvGen.Parallel.ChunkPlan.Count(1));
        Assert.Equal(1, ConvGen.Parallel.ChunkPlan.Count(15));
        Assert.Equal(2, ConvGen.Parallel.ChunkPlan.Count(16));
        Assert.Equal(2, ConvGen.Parallel.ChunkPlan.Count(24));
        Assert.Equal(4, ConvGen.Parallel.ChunkPlan.Count(32));
        Assert.Equal(8, ConvGen.Parallel.ChunkPlan.Count(64));
        Assert.Equal(8, ConvGen.Parallel.ChunkPlan.Count(1000));
        // 63 samples: four chunks of at least 8 starting at multiples of 4 (the even split rounded down), the last ends the batch.
        Assert.Equal(new[] { 0, 16, 32, 48, 63 }, Enumerable.Range(0, 5).Select(k => ConvGen.Parallel.ChunkPlan.Start(63, k)));
        Assert.Equal(new[] { 0, 36, 72, 108, 144, 180, 216, 252, 290 }, Enumerable.Range(0, 9).Select(k => ConvGen.Parallel.ChunkPlan.Start(290, k)));
        Assert.Equal(new[] { 0, 12, 24 }, Enumerable.Range(0, 3).Select(k => ConvGen.Parallel.ChunkPlan.Start(24, k)));
    }
}
