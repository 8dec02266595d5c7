using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks.Layers;

/// <summary>
/// The forward of each distinct convolution shape of ResNet-18 (ResNetLayerNetworks.cs) at batch 1
/// on one thread, as inference runs it; the GFLOP/s and '% peak' columns say how close each comes to
/// one core's FMA peak (set CONVGEN_PEAK_GFLOPS_PER_CORE to the `peak` mode's figure). The workspace
/// has frozen weights, as the ResNet-18 benchmark's (ONNX Runtime prepacks at session creation): the
/// picture plan's packed slices and the Winograd filters are derived once, not per call.
/// Run: <c>--filter '*LayerBenchmarks*resnet*'</c>, or one layer with e.g. <c>'*LayerBenchmarks*resnet.conv512*'</c>.
/// </summary>
[MemoryDiagnoser]
public class ResNetLayerBenchmarks
{
    private ITrainableNetwork _network = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;
    private IInferenceWorkspace _workspace = null!;

    /// <summary>All ResNet layer names, e.g. resnet.conv512.</summary>
    public static IEnumerable<string> LayerNames => LayerCases.ResNet.Select(c => c.Name);

    /// <summary>Which layer.</summary>
    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "resnet.conv512";

    /// <summary>Pictures per call: one, the latency case.</summary>
    [Params(1)]
    public int Batch { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _network = LayerCases.Get(Layer).Alone();
        var random = new SeededRandom(11);
        _inputs = new float[Batch * _network.InputShape.Length];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _outputs = new float[Batch * _network.OutputShape.Length];
        _workspace = _network.CreateInferenceWorkspace(Batch, threads: 1, freezeWeights: true);
        _network.Forward(_inputs, _outputs, _workspace);
    }

    /// <summary>Inference forward.</summary>
    [Benchmark]
    public void Predict() => _network.Forward(_inputs, _outputs, _workspace);
}
