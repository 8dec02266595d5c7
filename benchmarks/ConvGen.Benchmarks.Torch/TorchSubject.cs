using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ConvGen.Benchmarks.Shared;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.Benchmarks.Torch;

/// <summary>
/// TorchSharp under the <c>throughput</c> command, written as a torch user would: the synthetic
/// data set is made once as NCHW float tensors already cut into batches (no per-step conversion or
/// gathering), each step is zero_grad, forward, cross_entropy on the logits, backward and a plain
/// SGD step inside a dispose scope; inference runs under no_grad in eval mode. For unet the labels
/// are a class per pixel ([N,H,W]) and cross_entropy means over every pixel of the batch, which is
/// ConvGen's per-pixel mean over pixels then samples; its inference ends in the sample's softmax.
/// torch.set_num_threads(T) gives libtorch the same cores ConvGen gets.
/// </summary>
internal sealed class TorchSubject : IThroughputSubject
{
    private const double LearningRate = 0.001; // as ConvGenSubject
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly List<(Tensor Images, Tensor Labels)> _batches = new();
    private readonly Tensor _inferBatch;
    private readonly bool _softmaxAtInference;

    public TorchSubject(ThroughputSettings settings)
    {
        torch.set_num_threads(settings.EffectiveThreads);
        torch.manual_seed(42);
        var network = TorchNetworks.Create(settings.Net);
        _model = network.Model;
        _softmaxAtInference = network.SoftmaxAtInference;
        ForwardMacsPerImage = network.ForwardMacs;
        TrainableParameters = _model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        _optimizer = optim.SGD(_model.parameters(), LearningRate);
        for (int b = 0; b < settings.StepsPerEpoch; b++)
        {
            var images = torch.rand(new[] { (long)settings.Batch }.Concat(network.InputShape).ToArray()).contiguous();
            var labels = torch.randint(network.Classes, new[] { (long)settings.Batch }.Concat(network.LabelShape).ToArray(), dtype: ScalarType.Int64);
            _batches.Add((images, labels));
        }
        _inferBatch = _batches[0].Images;
    }

    public string Framework => "TorchSharp";

    public long ForwardMacsPerImage { get; }

    public long TrainableParameters { get; }

    public IReadOnlyList<double> TrainEpochs(int epochs)
    {
        _model.train();
        var seconds = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (var (images, labels) in _batches)
            {
                using var scope = torch.NewDisposeScope();
                _optimizer.zero_grad();
                var logits = _model.forward(images);
                var loss = nn.functional.cross_entropy(logits, labels);
                loss.backward();
                _optimizer.step();
            }
            seconds[e] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return seconds;
    }

    public IReadOnlyList<double> InferBlocks(int calls, int blocks)
    {
        _model.eval();
        using var noGrad = torch.no_grad();
        var seconds = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++)
            {
                using var scope = torch.NewDisposeScope();
                var output = _model.forward(_inferBatch);
                if (_softmaxAtInference)
                {
                    output = nn.functional.softmax(output, 1); // eager: computed here, as ConvGen's Forward does
                }
            }
            seconds[b] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return seconds;
    }

    public void Dispose()
    {
        foreach (var (images, labels) in _batches)
        {
            images.Dispose();
            labels.Dispose();
        }
        _optimizer.Dispose();
        _model.Dispose();
    }
}
