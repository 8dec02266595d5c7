using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.Benchmarks.Torch;

/// <summary>A torch model with what the throughput subject needs to feed and count it.</summary>
/// <param name="InputShape">One image, CHW.</param>
/// <param name="LabelShape">One image's labels: empty for one class per image, [H, W] for a class per pixel.</param>
/// <param name="SoftmaxAtInference">
/// The ConvGen network ends in softmax (the loss fuses it in training), so inference computes it too.
/// </param>
internal sealed record TorchNetwork(nn.Module<Tensor, Tensor> Model, long ForwardMacs, long[] InputShape, long Classes, long[] LabelShape, bool SoftmaxAtInference);

/// <summary>
/// seed, lenet and fashion as torch.nn.Sequential models, layer for layer the networks of
/// benchmarks/ConvGen.Benchmarks/Networks.cs (same kernels, padding, pooling, units, dropout), in
/// torch's NCHW layout; mobilenet, which has residual and squeeze-and-excitation branches, is
/// built by <see cref="TorchMobileNet"/>, and unet, with its skip connections, by <see cref="TorchUNet"/>. The builder tracks shapes to count the forward multiply-adds the same way
/// as ConvGen's FlopCounter (weights x output pixels, biases not counted).
/// </summary>
internal static class TorchNetworks
{
    public static TorchNetwork Create(string name) => name switch
    {
        "seed" => new Builder(3, 80, 80)
            .Conv(8, 3, padding: 0).Relu().MaxPool(2)
            .Conv(16, 3, padding: 0).Relu().MaxPool(2)
            .Flatten().Dense(64).Relu().Dense(8)
            .Build(),
        "lenet" => new Builder(1, 28, 28)
            .Conv(6, 5, padding: 2).Relu().MaxPool(2)
            .Conv(16, 5, padding: 0).Relu().MaxPool(2)
            .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10)
            .Build(),
        "fashion" => new Builder(1, 28, 28)
            .Conv(32, 5, padding: 2).Relu().MaxPool(2)
            .Conv(64, 5, padding: 2).Relu().MaxPool(2)
            .Flatten().Dense(1024).Relu().Dropout(0.4).Dense(10)
            .Build(),
        "mobilenet" => TorchMobileNet.Create(),
        "unet" => TorchUNet.Create(),
        _ => throw new ArgumentException($"unknown network '{name}'.", nameof(name)),
    };

    private sealed class Builder
    {
        private readonly List<(string, nn.Module<Tensor, Tensor>)> _layers = new();
        private readonly long[] _input;
        private long _c, _h, _w, _features, _macs;

        public Builder(long channels, long height, long width)
        {
            _input = new[] { channels, height, width };
            (_c, _h, _w) = (channels, height, width);
        }

        public Builder Conv(long filters, long kernel, long padding)
        {
            Add("conv", nn.Conv2d(_c, filters, kernel, stride: 1, padding: padding));
            _h = _h + 2 * padding - kernel + 1;
            _w = _w + 2 * padding - kernel + 1;
            _macs += kernel * kernel * _c * filters * _h * _w;
            _c = filters;
            return this;
        }

        public Builder MaxPool(long size)
        {
            Add("pool", nn.MaxPool2d(size));
            _h /= size;
            _w /= size;
            return this;
        }

        public Builder Relu() => Add("relu", nn.ReLU());

        public Builder Dropout(double rate) => Add("dropout", nn.Dropout(rate));

        public Builder Flatten()
        {
            _features = _c * _h * _w;
            return Add("flatten", nn.Flatten());
        }

        public Builder Dense(long units)
        {
            Add("dense", nn.Linear(_features, units));
            _macs += _features * units;
            _features = units;
            return this;
        }

        public TorchNetwork Build() => new(nn.Sequential(_layers), _macs, _input, _features, LabelShape: Array.Empty<long>(), SoftmaxAtInference: false);

        private Builder Add(string kind, nn.Module<Tensor, Tensor> module)
        {
            _layers.Add(($"{kind}{_layers.Count}", module));
            return this;
        }
    }
}
