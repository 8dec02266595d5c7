using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using ConvGen.Data;
using ConvGen.Onnx.Import;
using ConvGen.Transfer;
using Microsoft.ML.OnnxRuntime;

namespace ConvGen.Benchmarks.ResNet18;

/// <summary>The headless ImageNet ResNet-18, generated from the imported declaration.</summary>
[Network(TransferLearning.ResNet18Layers.Text)]
public sealed partial class ResNet18Features;

/// <summary>
/// One forward pass of <see cref="Batch"/> 224x224 pictures to their 512 features. ONNX Runtime
/// (the baseline) runs the original NCHW file with all graph optimisations and
/// <see cref="Threads"/> intra-op threads, one run per picture (the file fixes the batch at 1); ConvGen runs the generated NHWC network, splitting the
/// batch over <see cref="Threads"/> threads, each with its own workspace; a batch smaller than the
/// thread count (batch 1 with 2 threads) runs on a workspace whose threads split each picture's rows.
/// Both prepare their weights once, before the measured calls: ONNX Runtime prepacks them when the
/// session is created, ConvGen's workspaces are frozen (<see cref="InferenceWorkspace.FreezeWeights"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ResNet18Inference
{
    private sealed class Config : ManualConfig
    {
        // A forward pass takes tens of milliseconds, and each layer's methods run once per pass:
        // 35 warm-up passes let tiered compilation promote every method (30 calls), so the
        // measured passes are the steady state an application sees.
        public Config() => AddJob(Job.Default.WithWarmupCount(35).WithIterationCount(12).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1));
    }

    private InferenceSession _session = null!;
    private OrtValue[] _ortInputs = null!;
    private RunOptions _runOptions = null!;
    private string _inputName = "", _outputName = "";
    private ResNet18Features _network = null!;
    private Dataset _pictures = null!;
    private float[] _nhwc = null!;
    private float[] _features = null!;
    private IInferenceWorkspace[] _workspaces = null!;
    private IInferenceWorkspace? _split;

    /// <summary>Pictures per call.</summary>
    [Params(1, 8)]
    public int Batch { get; set; }

    /// <summary>Threads of both engines.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int size = 224;
        var random = new SeededRandom(11);
        var nchw = new float[Batch * 3 * size * size];
        for (int i = 0; i < nchw.Length; i++) nchw[i] = 255f * random.NextSingle() - 120f;
        _nhwc = new float[nchw.Length];
        for (int n = 0; n < Batch; n++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < size * size; p++)
                    _nhwc[(n * size * size + p) * 3 + c] = nchw[(n * 3 + c) * size * size + p];

        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = Threads, InterOpNumThreads = 1 };
        _session = new InferenceSession(Model.ResNet18Onnx, options);
        _inputName = _session.InputMetadata.Keys.Single();
        _outputName = _session.OutputMetadata.Keys.First();
        // The file's input is [1,3,224,224] (fixed batch): a batch is that many runs.
        _ortInputs = Enumerable.Range(0, Batch)
            .Select(n => OrtValue.CreateTensorValueFromMemory(nchw.AsSpan(n * 3 * size * size, 3 * size * size).ToArray(), new long[] { 1, 3, size, size }))
            .ToArray();
        _runOptions = new RunOptions();

        _network = new ResNet18Features();
        WeightTransfer.LoadMatching(_network, Model.ImportedWeights).ThrowIfIncomplete();
        _pictures = new Dataset(_nhwc, new float[Batch], Batch, 3 * size * size, 1);
        _features = new float[Batch * 512];
        _workspaces = Enumerable.Range(0, Threads).Select(_ => _network.CreateInferenceWorkspace((Batch + Threads - 1) / Threads, 1, freezeWeights: true)).ToArray();
        // Fewer pictures than threads: one workspace whose threads split each picture's rows.
        _split = Batch < Threads ? _network.CreateInferenceWorkspace(Batch, Threads, freezeWeights: true) : null;
        ConvGen();
        OnnxRuntime();
    }

    [Benchmark(Baseline = true)]
    public float OnnxRuntime()
    {
        float first = 0;
        foreach (var input in _ortInputs)
        {
            using var results = _session.Run(_runOptions, new[] { _inputName }, new[] { input }, new[] { _outputName });
            first += results[0].GetTensorDataAsSpan<float>()[0];
        }
        return first;
    }

    [Benchmark]
    public float ConvGen()
    {
        if (_split is not null)
        {
            _network.Forward(_nhwc, _features, _split);
        }
        else if (Threads == 1)
        {
            _network.Forward(_nhwc, _features, _workspaces[0]);
        }
        else
        {
            // One contiguous share of the batch per thread, each with its own workspace.
            System.Threading.Tasks.Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                int start = Batch * t / Threads, end = Batch * (t + 1) / Threads;
                _network.Forward(_nhwc.AsSpan(start * _pictures.InputLength, (end - start) * _pictures.InputLength), _features.AsSpan(start * 512, (end - start) * 512), _workspaces[t]);
            });
        }
        return _features[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var input in _ortInputs) input.Dispose();
        _runOptions.Dispose();
        (_split as IDisposable)?.Dispose();
        _session.Dispose();
    }
}

/// <summary>The weights converted once from the package's ONNX file.</summary>
internal static class Model
{
    public static string ResNet18Onnx => PretrainedPackage.ResNet18;

    public static string ImportedWeights
    {
        get
        {
            string path = Path.Combine(Path.GetTempPath(), "convgen-resnet18-bench.safetensors");
            if (!File.Exists(path)) OnnxImporter.Import(ResNet18Onnx).WriteWeights(path);
            return path;
        }
    }
}
