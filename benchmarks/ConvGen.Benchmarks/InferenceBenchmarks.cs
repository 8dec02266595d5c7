using BenchmarkDotNet.Attributes;
using ConvGen;

namespace ConvGen.Benchmarks;

/// <summary>Batched inference of the three reference networks (images per call = Batch).</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private INetwork _network = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;

    /// <summary>Which network: seed, lenet or fashion.</summary>
    [Params("seed", "lenet", "fashion")]
    public string Net { get; set; } = "seed";

    /// <summary>Samples per call.</summary>
    [Params(1, 32)]
    public int Batch { get; set; }

    /// <summary>Creates the network with seeded weights and random inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = Net switch
        {
            "seed" => SeedNet.Create(1),
            "lenet" => LeNet.Create(1),
            _ => FashionNet.Create(1),
        };
        var random = new SeededRandom(7);
        _inputs = new float[Batch * _network.InputShape.Length];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = random.NextSingle();
        }
        _outputs = new float[Batch * _network.OutputShape.Length];
        _network.Predict(_inputs, _outputs); // allocate the workspace outside the measurement
    }

    /// <summary>One forward pass over the batch.</summary>
    [Benchmark]
    public void Predict() => _network.Predict(_inputs, _outputs);
}
