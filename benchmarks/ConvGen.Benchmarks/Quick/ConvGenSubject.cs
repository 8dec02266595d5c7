using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ConvGen.Benchmarks.Shared;
using ConvGen.Data;
using ConvGen.Parallel;
using ConvGen.Training;

namespace ConvGen.Benchmarks.Quick;

/// <summary>
/// ConvGen under the <c>throughput</c> command. Training goes through the public
/// <see cref="Trainer.Fit"/> on an in-memory <see cref="Dataset"/> of random images and labels
/// (shuffling, batch gathering by the prefetcher, data-parallel steps, SGD), and the per-epoch
/// training time Fit reports is what is timed. A network with a spatial output (unet) gets a
/// random class per pixel and the same loss, applied per pixel. Inference splits one batch across
/// the threads of a <see cref="WorkerPool"/>, one inference workspace per thread, as Trainer.Predict does.
/// </summary>
internal sealed class ConvGenSubject : IThroughputSubject
{
    private const float LearningRate = 0.001f; // small: random labels must not drive the weights to overflow
    private readonly ThroughputSettings _settings;
    private readonly ITrainableNetwork _network;
    private readonly Dataset _train;
    private readonly Sgd _optimizer = new(LearningRate);
    private readonly WorkerPool _pool;
    private readonly IInferenceWorkspace[] _workspaces;
    private readonly float[] _inferInputs;
    private readonly float[] _inferOutputs;
    private readonly Action<int> _inferPart;

    public ConvGenSubject(ThroughputSettings settings)
    {
        _settings = settings;
        _network = NetworkCatalogue.Create(settings.Net);
        int inputLength = _network.InputShape.Length;
        var output = _network.OutputShape;
        // A spatial output (unet) is classified pixel by pixel: one class index per output pixel,
        // scored by the per-pixel loss (mean over the pixels, then over the samples).
        bool perPixel = output.Rank == 3;
        int classes = perPixel ? output.Channels : output.Length;
        int targetLength = perPixel ? output.Height * output.Width : 1;
        var random = new SeededRandom(42);
        var inputs = new float[(long)settings.Samples * inputLength];
        var labels = new float[(long)settings.Samples * targetLength];
        for (long i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle();
        for (long i = 0; i < labels.Length; i++) labels[i] = random.NextInt32(classes);
        _train = new Dataset(inputs, labels, settings.Samples, inputLength, targetLength);

        int threads = settings.EffectiveThreads;
        _pool = new WorkerPool(threads);
        int perThread = (settings.Batch + threads - 1) / threads;
        _workspaces = Enumerable.Range(0, threads).Select(_ => _network.CreateInferenceWorkspace(perThread)).ToArray();
        _inferInputs = inputs.AsSpan(0, settings.Batch * inputLength).ToArray();
        _inferOutputs = new float[settings.Batch * output.Length];
        _inferPart = InferPart;
        ForwardMacsPerImage = FlopCounter.ForwardMacs(_network);
        TrainableParameters = _network.ParameterTensors.Where(tensor => tensor.Trainable).Sum(tensor => (long)tensor.Length);
    }

    public string Framework => "ConvGen";

    public long ForwardMacsPerImage { get; }

    public long TrainableParameters { get; }

    public IReadOnlyList<double> TrainEpochs(int epochs)
    {
        var history = _network.Fit(_train, new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = _optimizer,
            Epochs = epochs,
            BatchSize = _settings.Batch,
            Threads = _settings.Threads,
            Seed = 7,
            Progress = null,
        });
        return history.Epochs.Select(e => e.TrainSeconds).ToArray();
    }

    public IReadOnlyList<double> InferBlocks(int calls, int blocks)
    {
        var seconds = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++)
            {
                _pool.Run(_inferPart);
            }
            seconds[b] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return seconds;
    }

    private void InferPart(int thread)
    {
        var (first, count) = WorkerPool.Partition(_settings.Batch, _pool.Threads, thread);
        if (count == 0) return;
        int inputLength = _network.InputShape.Length;
        int outputLength = _network.OutputShape.Length;
        _network.Forward(
            _inferInputs.AsSpan(first * inputLength, count * inputLength),
            _inferOutputs.AsSpan(first * outputLength, count * outputLength),
            _workspaces[thread]);
    }

    public void Dispose() => _pool.Dispose();
}
