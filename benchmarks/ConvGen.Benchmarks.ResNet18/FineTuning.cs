using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Data;
using ConvGen.Training;
using ConvGen.Transfer;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.Benchmarks.ResNet18;

/// <summary>The backbone with a 10-class head: the network a fine-tuning user trains.</summary>
[Network(TransferLearning.ResNet18Layers.Text + "\nflatten name=flatten\ndense 10 softmax name=head")]
public sealed partial class ResNet18Classifier;

/// <summary>
/// <c>finetune</c>: one ResNet-18 fine-tuning step, ConvGen against TorchSharp in one run, as
/// samples/TransferLearning fine-tunes: the last stage's convolutions and the head trainable,
/// everything before it and every BatchNorm frozen (BatchNorm normalising with its running
/// statistics), Adam, softmax cross-entropy, 224x224 pictures. Both engines train
/// <c>--epochs</c> passes of <c>--steps</c> steps of <c>--batch</c> pictures after
/// <c>--warmup</c> passes; the figure is the median over the passes of seconds per step
/// (ConvGen's from <see cref="EpochResult.TrainSeconds"/> of <c>Fit</c>, TorchSharp's around the
/// steps of a pass). The pictures are random (speed does not depend on the values); ConvGen's
/// backbone carries the imported weights, TorchSharp's its default initialisation.
/// </summary>
internal static class FineTuning
{
    private const int Classes = 10;
    private const int Side = 224;
    private const int PictureLength = Side * Side * 3;

    private sealed record Settings(int Batch, int Threads, int Steps, int Epochs, int Warmup, string? Json);

    public static int Run(string[] args)
    {
        if (!TryParse(args, out var s, out string error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("usage: finetune [--batch 16] [--threads 2] [--steps 6] [--epochs 5] [--warmup 3] [--json file]");
            return 2;
        }
        Console.WriteLine($"ResNet-18 fine-tuning step: batch {s.Batch}, {s.Threads} thread(s), {s.Epochs} timed passes of {s.Steps} steps after {s.Warmup} warm-up passes.");
        double[] convGen = ConvGenSteps(s);
        double[] torchSharp = TorchSharpSteps(s);
        double convGenMedian = Median(convGen), torchMedian = Median(torchSharp);
        Console.WriteLine($"ConvGen    median {1000 * convGenMedian:0.0} ms per step ({s.Batch / convGenMedian:0.0} images/s); passes {Format(convGen)}");
        Console.WriteLine($"TorchSharp median {1000 * torchMedian:0.0} ms per step ({s.Batch / torchMedian:0.0} images/s); passes {Format(torchSharp)}");
        Console.WriteLine($"ConvGen / TorchSharp speed: {torchMedian / convGenMedian:0.00}x");
        if (s.Json is not null)
        {
            var report = new Dictionary<string, object>
            {
                ["batch"] = s.Batch, ["threads"] = s.Threads, ["steps"] = s.Steps, ["epochs"] = s.Epochs, ["warmup"] = s.Warmup,
                ["convgen_step_seconds"] = convGen, ["torchsharp_step_seconds"] = torchSharp,
                ["convgen_median"] = convGenMedian, ["torchsharp_median"] = torchMedian, ["ratio"] = torchMedian / convGenMedian,
            };
            File.WriteAllText(s.Json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }
        return 0;
    }

    private static double[] ConvGenSteps(Settings s)
    {
        var network = new ResNet18Classifier();
        WeightTransfer.LoadMatching(network, Model.ImportedWeights);
        network.SetAllFrozen(true);
        int unfrozen = network.UnfreezeFrom(TransferLearning.ResNet18Layers.LastStage);
        var batchNorms = network.Layers.Where(l => l.Kind == "BatchNorm" && l.Index >= network.Layers.Count - unfrozen).Select(l => l.Name).ToArray();
        network.SetFrozen(true, batchNorms);
        var (trainable, frozen) = network.ParameterCounts();
        Console.WriteLine($"ConvGen: {trainable:N0} trainable parameters, {frozen:N0} frozen.");

        int count = s.Steps * s.Batch;
        var random = new SeededRandom(11);
        var pictures = new float[(long)count * PictureLength];
        for (long i = 0; i < pictures.Length; i++) pictures[i] = 255f * random.NextSingle() - 120f;
        var labels = new float[count];
        for (int i = 0; i < count; i++) labels[i] = random.NextInt32(Classes);
        var history = network.Fit(new Dataset(pictures, labels, count, PictureLength, 1), new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = new Adam(3e-5f),
            Epochs = s.Warmup + s.Epochs,
            BatchSize = s.Batch,
            Threads = s.Threads,
            Seed = 7,
            Progress = null,
        });
        return history.Epochs.Skip(s.Warmup).Select(e => e.TrainSeconds / s.Steps).ToArray();
    }

    private static double[] TorchSharpSteps(Settings s)
    {
        torch.set_num_threads(s.Threads);
        torch.manual_seed(7);
        using var model = new TorchResNet18(Classes);
        Console.WriteLine($"TorchSharp: {model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()):N0} trainable parameters, {model.parameters().Where(p => !p.requires_grad).Sum(p => p.numel()):N0} frozen.");
        using var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad), 3e-5, beta1: 0.9, beta2: 0.999, eps: 1e-7);
        var batches = Enumerable.Range(0, s.Steps)
            .Select(_ => (Images: (torch.rand(s.Batch, 3, Side, Side) * 255 - 120).contiguous(), Labels: torch.randint(Classes, new long[] { s.Batch }, dtype: ScalarType.Int64)))
            .ToArray();
        var seconds = new List<double>();
        for (int epoch = 0; epoch < s.Warmup + s.Epochs; epoch++)
        {
            model.TrainLastStage();
            long start = Stopwatch.GetTimestamp();
            foreach (var (images, labels) in batches)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(images), labels);
                loss.backward();
                optimizer.step();
            }
            if (epoch >= s.Warmup) seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds / s.Steps);
        }
        foreach (var (images, labels) in batches)
        {
            images.Dispose();
            labels.Dispose();
        }
        return seconds.ToArray();
    }

    private static bool TryParse(string[] args, out Settings settings, out string error)
    {
        var values = new Dictionary<string, string>();
        settings = null!;
        error = "";
        for (int i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Expected '--name value' pairs after 'finetune', got '{args[i]}'.";
                return false;
            }
            values[args[i]] = args[i + 1];
        }
        string[] known = { "--batch", "--threads", "--steps", "--epochs", "--warmup", "--json" };
        foreach (string name in values.Keys.Where(k => !known.Contains(k)))
        {
            error = $"Unknown option '{name}': expected one of {string.Join(", ", known)}.";
            return false;
        }
        var problems = new List<string>();
        int Number(string name, int fallback, int minimum)
        {
            if (!values.TryGetValue(name, out string? text)) return fallback;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum) return value;
            problems.Add($"{name} must be a whole number of at least {minimum}, got '{text}'.");
            return -1;
        }
        settings = new Settings(Number("--batch", 16, 1), Number("--threads", 2, 1), Number("--steps", 6, 1), Number("--epochs", 5, 1),
            Number("--warmup", 3, 0), values.GetValueOrDefault("--json"));
        error = string.Join(" ", problems);
        return problems.Count == 0;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }

    private static string Format(IEnumerable<double> seconds) => string.Join(" ", seconds.Select(v => (1000 * v).ToString("0.0", CultureInfo.InvariantCulture)));
}

/// <summary>
/// The imported ResNet-18 layer for layer (7x7/2 stem, 3x3/2 max-pool, four stages of basic blocks
/// with 1x1/2 projection shortcuts, global average pooling, a linear head): two blocks per stage as
/// torchvision's, except the last stage, which has three in the graph of
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (the file ConvGen imports); set up for
/// fine-tuning as <see cref="FineTuning"/> describes: only layer4's convolutions and the head
/// require gradients, and <see cref="TrainLastStage"/> keeps every BatchNorm in eval mode.
/// </summary>
internal sealed class TorchResNet18 : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> stem, layer1, layer2, layer3, layer4, pool, fc;

    public TorchResNet18(int classes) : base(nameof(TorchResNet18))
    {
        stem = nn.Sequential(
            ("conv", nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false)), ("bn", nn.BatchNorm2d(64)),
            ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(3, stride: 2, padding: 1)));
        layer1 = Stage(64, 64, 1);
        layer2 = Stage(64, 128, 2);
        layer3 = Stage(128, 256, 2);
        layer4 = Stage(256, 512, 2, blocks: 3);
        pool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(512, classes);
        RegisterComponents();
        foreach (var (name, parameter) in named_parameters())
        {
            bool lastStageConvolution = name.StartsWith("layer4.", StringComparison.Ordinal) && name.Contains("conv", StringComparison.Ordinal);
            parameter.requires_grad = lastStageConvolution || name.StartsWith("fc.", StringComparison.Ordinal);
        }
    }

    /// <summary>Training mode for the step, with every BatchNorm normalising by its running statistics (frozen).</summary>
    public void TrainLastStage()
    {
        train();
        foreach (var module in modules().OfType<TorchSharp.Modules.BatchNorm2d>()) module.eval();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = layer4.forward(layer3.forward(layer2.forward(layer1.forward(stem.forward(x)))));
        return fc.forward(pool.forward(y).flatten(1)).MoveToOuterDisposeScope();
    }

    private static nn.Module<Tensor, Tensor> Stage(long input, long output, long stride, int blocks = 2) =>
        nn.Sequential(Enumerable.Range(0, blocks)
            .Select(b => (b.ToString(CultureInfo.InvariantCulture), (nn.Module<Tensor, Tensor>)new BasicBlock(b == 0 ? input : output, output, b == 0 ? stride : 1)))
            .ToArray());

    /// <summary>Two 3x3 convolutions with BatchNorm, ReLU after the first and after the sum with the shortcut.</summary>
    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv1, bn1, conv2, bn2;
        private readonly nn.Module<Tensor, Tensor>? shortcut_conv, shortcut_bn;

        public BasicBlock(long input, long output, long stride) : base(nameof(BasicBlock))
        {
            conv1 = nn.Conv2d(input, output, 3, stride: stride, padding: 1, bias: false);
            bn1 = nn.BatchNorm2d(output);
            conv2 = nn.Conv2d(output, output, 3, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(output);
            if (stride != 1 || input != output)
            {
                shortcut_conv = nn.Conv2d(input, output, 1, stride: stride, bias: false);
                shortcut_bn = nn.BatchNorm2d(output);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = bn2.forward(conv2.forward(nn.functional.relu(bn1.forward(conv1.forward(x)))));
            var identity = shortcut_conv is null ? x : shortcut_bn!.forward(shortcut_conv.forward(x));
            return nn.functional.relu(y + identity).MoveToOuterDisposeScope();
        }
    }
}
