using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks.Layers;

/// <summary>
/// Per-layer forward and backward of every conv, pool and dense layer of seed, lenet and fashion,
/// on one thread, through the one-layer networks of LayerNetworks.cs (exact shapes, generated code
/// of the same generator). <c>Backward</c> is the layer's backward as it runs inside its network:
/// with the input gradient except for a network's first layer; for the other layers it runs the
/// chained network, whose 1x1 prefix costs <c>PrefixBackward</c> (the GFLOP/s column subtracts it).
/// </summary>
[MemoryDiagnoser]
public class LayerBenchmarks
{
    private Harness _alone = null!;
    private Harness? _chained;
    private Harness? _prefix;

    /// <summary>All layer names, e.g. fashion.conv2.</summary>
    public static IEnumerable<string> LayerNames => LayerCases.All.Select(c => c.Name);

    /// <summary>Which layer (net.layer).</summary>
    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "fashion.conv2";

    /// <summary>Samples per call (a thread's share of a training batch of 64 on 2 cores).</summary>
    [Params(32)]
    public int Batch { get; set; } = 32;

    [GlobalSetup]
    public void Setup()
    {
        var layer = LayerCases.Get(Layer);
        _alone = new Harness(layer.Alone(), Batch);
        _chained = layer.Chained is null ? null : new Harness(layer.Chained(), Batch);
        _prefix = layer.Prefix is null ? null : new Harness(layer.Prefix(), Batch);
    }

    /// <summary>Inference forward (the lean path: no training buffers).</summary>
    [Benchmark]
    public void Predict() => _alone.Network.Predict(_alone.Inputs, _alone.Outputs);

    /// <summary>Training forward: keeps pre-activations for backward.</summary>
    [Benchmark]
    public void ForwardTraining() => _alone.ForwardTraining();

    /// <summary>Backward as inside the network (activation derivative, weight gradient, input gradient unless first).</summary>
    [Benchmark]
    public void Backward() => (_chained ?? _alone).Backward();

    /// <summary>Backward of the 1x1 prefix alone, to subtract from <see cref="Backward"/> (nothing for a first layer).</summary>
    [Benchmark]
    public void PrefixBackward() => _prefix?.Backward();

    /// <summary>One network with random inputs, a training workspace after one forward pass and a random output gradient.</summary>
    private sealed class Harness
    {
        private readonly int _batch;
        private readonly ITrainingWorkspace _workspace;

        public Harness(ITrainableNetwork network, int batch)
        {
            Network = network;
            _batch = batch;
            var random = new SeededRandom(11);
            Inputs = new float[batch * network.InputShape.Length];
            for (int i = 0; i < Inputs.Length; i++) Inputs[i] = random.NextSingle();
            Outputs = new float[batch * network.OutputShape.Length];
            network.Predict(Inputs, Outputs); // allocates the inference workspace outside the measurement
            _workspace = network.CreateTrainingWorkspace(batch);
            ForwardTraining();
            var gradient = _workspace.OutputGradient.Slice(0, batch * network.OutputShape.Length);
            for (int i = 0; i < gradient.Length; i++) gradient[i] = random.NextSingle() - 0.5f;
        }

        public ITrainableNetwork Network { get; }

        public float[] Inputs { get; }

        public float[] Outputs { get; }

        public void ForwardTraining() => Network.ForwardTraining(Inputs, _workspace, _batch, new DropoutContext(3, 0));

        // The gradient is with respect to the outputs, so the last layer's activation derivative runs too, as for an inner layer.
        public void Backward() => Network.Backward(Inputs, _workspace, _batch, gradientIsForLogits: false);
    }
}
