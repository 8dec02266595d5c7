using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using ConvGen.Kernels;
using ConvGen.Parallel;
using ConvGen.Training;

namespace ConvGen.Benchmarks.Layers;

/// <summary>
/// The three passes of a large Dense layer one at a time, as the training step runs them on one
/// thread: the forward and the input gradient over the thread's samples, and the weight gradient
/// as the step's deferred phase makes it (<see cref="DeferredDenseGradients"/>: every chunk of the
/// batch, summed in the chunk tree). <see cref="LayerBenchmarks"/>' Backward times the layer's whole
/// backward outside a training step, where the weight gradient is made in the backward pass itself.
/// </summary>
[MemoryDiagnoser]
public class DenseLayerBenchmarks
{
    private float[] _input = null!, _weights = null!, _bias = null!, _output = null!, _outputGradient = null!, _inputGradient = null!, _gradients = null!;
    private GradientChunks[] _parts = null!;
    private DeferredDenseGradients _deferred = null!;
    private int _inputs, _units;

    /// <summary>The Dense layers large enough for the deferred weight gradient.</summary>
    public static IEnumerable<string> LayerNames => LayerCases.All.Where(c => Shape(c.Name) is { } s && s.Inputs * s.Units >= GradientChunks.DeferredDenseWeights).Select(c => c.Name);

    /// <summary>Which layer (net.layer).</summary>
    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "fashion.dense1";

    /// <summary>Samples per training step on one thread.</summary>
    [Params(64)]
    public int Batch { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        var network = LayerCases.Get(Layer).Alone();
        (_inputs, _units) = Shape(Layer) ?? throw new ArgumentException($"{Layer} is not a Dense layer.");
        var random = new SeededRandom(11);
        float[] Random(int length, float offset)
        {
            var values = new float[length];
            for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() + offset;
            return values;
        }
        _input = Random(Batch * _inputs, 0f);
        _weights = Random(_inputs * _units, -0.5f);
        _bias = Random(_units, -0.5f);
        _output = new float[Batch * _units];
        _outputGradient = Random(Batch * _units, -0.5f);
        _inputGradient = new float[Batch * _inputs];
        // The step's chunks of the batch, all on this thread, with the layer's weight gradient deferred.
        var workspace = network.CreateTrainingWorkspace(Batch);
        var chunks = new GradientChunks(workspace);
        int count = ChunkPlan.Count(Batch);
        var bounds = new int[count + 1];
        for (int c = 0; c <= count; c++) bounds[c] = c < count ? ChunkPlan.Start(Batch, c) : Batch;
        chunks.Configure(0, bounds);
        chunks.DefersDenseWeights = true;
        chunks.DenseWeightGradient(_input, _inputs, _outputGradient, _units, 0, -1);
        _parts = [chunks];
        _deferred = new DeferredDenseGradients(1);
        _gradients = new float[_inputs * _units];
        if (_deferred.Begin(_parts) != 1) throw new InvalidOperationException($"{Layer}'s weight gradient was not deferred.");
    }

    /// <summary>The forward GEMM with its bias and ReLU.</summary>
    [Benchmark]
    public void Forward() => DenseKernels.Forward(_input, _weights, _bias, _output, Batch, _inputs, _units, Activation.Relu, 0f);

    /// <summary>The input gradient <c>dX = dY W^T</c>.</summary>
    [Benchmark]
    public void InputGradient() => DenseKernels.InputGradient(_weights, _outputGradient, _inputGradient, Batch, _inputs, _units);

    /// <summary>The deferred weight gradient of the whole batch: every chunk, the chunk tree, into the step's gradient.</summary>
    [Benchmark]
    public void WeightGradient() => _deferred.Run(_parts, 1, 0, 1, _gradients, checkFinite: false);

    /// <summary>Inputs and units of a Dense layer case, from its one-layer network; null for other layers.</summary>
    internal static (int Inputs, int Units)? Shape(string name)
    {
        if (!name.Contains(".dense", StringComparison.Ordinal)) return null;
        var network = LayerCases.Get(name).Alone();
        return (network.InputShape.Length, network.OutputShape.Length);
    }
}
