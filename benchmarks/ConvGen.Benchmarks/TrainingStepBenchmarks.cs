using BenchmarkDotNet.Attributes;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// One full training step as <see cref="Trainer.Fit"/> runs it, minus batch gathering (done by the
/// prefetcher on another thread): the batch split across the threads of the step runner, each
/// running forward, softmax cross-entropy and backward into its own gradients, the gradients summed
/// in thread order, then the SGD update.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private ITrainableNetwork _network = null!;
    private StepRunner _runner = null!;
    private BatchBuffer _batch = null!;
    private float[] _gradients = null!;
    private System.Collections.Generic.List<ParameterRange> _trainable = null!;
    private readonly Sgd _optimizer = new(0.001f);

    /// <summary>Which network: seed, lenet or fashion.</summary>
    [Params("seed", "lenet", "fashion")]
    public string Net { get; set; } = "seed";

    /// <summary>Samples per step.</summary>
    [Params(32)]
    public int Batch { get; set; } = 32;

    /// <summary>Threads splitting the batch.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _network = NetworkCatalogue.Create(Net);
        var loss = new SparseSoftmaxCrossEntropy();
        _runner = new StepRunner(_network, loss, Threads, Batch, topK: 0);
        _batch = new BatchBuffer(Batch, _network.InputShape.Length, 1) { Count = Batch };
        var random = new SeededRandom(5);
        for (int i = 0; i < _batch.Inputs.Length; i++) _batch.Inputs[i] = random.NextSingle();
        for (int i = 0; i < Batch; i++) _batch.Targets[i] = random.NextInt32(_network.OutputShape.Length);
        _gradients = new float[_network.Parameters.Length];
        _trainable = Trainer.TrainableRanges(_network);
        Step();
    }

    /// <summary>Forward, loss, backward, gradient reduction and SGD update of one batch.</summary>
    [Benchmark]
    public void Step()
    {
        var totals = default(Totals);
        _runner.TrainBatch(_batch, dropoutSeed: 99, firstSample: 0, gradientScale: 1f / Batch, _gradients, ref totals);
        _optimizer.Step(_network.Parameters, _gradients, _trainable);
    }

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();
}
