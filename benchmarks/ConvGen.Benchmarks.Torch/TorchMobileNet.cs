using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.Benchmarks.Torch;

/// <summary>
/// `mobilenet`, layer for layer the MobileNet of benchmarks/ConvGen.Benchmarks/MobileNetwork.cs:
/// a stride-2 HardSwish stem, five inverted residual blocks (1x1 expansion, 3x3 depthwise as a
/// Conv2d with groups = channels, linear 1x1 projection, each without bias and followed by
/// BatchNorm; squeeze-and-excitation with Linear layers and Hardsigmoid in blocks 3 to 5), a 1x1
/// head, global average pooling, dropout and a linear classifier. BatchNorm uses Keras's epsilon
/// (1e-3) and momentum (0.99, torch's 0.01). Torch pads a stride-2 3x3 window by 1 on both sides
/// where Keras's "same" pads only the bottom and right: same output size, same work.
/// Multiply-adds are counted as ConvGen's FlopCounter does: weights x output pixels.
/// </summary>
internal static class TorchMobileNet
{
    public static TorchNetwork Create()
    {
        var counter = new MacCounter(80, 80);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("stem", ConvBn(counter, 3, 16, 3, stride: 2, nn.Hardswish())),
            ("block1", new InvertedResidual(counter, 16, 48, 24, stride: 2, squeeze: 0, hardSwish: false)),
            ("block2", new InvertedResidual(counter, 24, 72, 24, stride: 1, squeeze: 0, hardSwish: false)),
            ("block3", new InvertedResidual(counter, 24, 72, 40, stride: 2, squeeze: 24, hardSwish: true)),
            ("block4", new InvertedResidual(counter, 40, 120, 40, stride: 1, squeeze: 32, hardSwish: true)),
            ("block5", new InvertedResidual(counter, 40, 160, 64, stride: 2, squeeze: 40, hardSwish: true)),
            ("head", ConvBn(counter, 64, 256, 1, stride: 1, nn.Hardswish())),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("dropout", nn.Dropout(0.2)),
            ("classifier", nn.Linear(256, 8)),
        };
        counter.Macs += 256 * 8;
        return new TorchNetwork(nn.Sequential(layers), counter.Macs, new long[] { 3, 80, 80 }, 8, LabelShape: System.Array.Empty<long>(), SoftmaxAtInference: false);
    }

    /// <summary>Convolution without bias (groups = channels for depthwise), BatchNorm, then the activation if any.</summary>
    private static nn.Module<Tensor, Tensor> ConvBn(MacCounter counter, long input, long output, long kernel, long stride, nn.Module<Tensor, Tensor>? activation, bool depthwise = false)
    {
        long groups = depthwise ? input : 1;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv", nn.Conv2d(input, output, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false)),
            ("bn", nn.BatchNorm2d(output, eps: 1e-3, momentum: 0.01)),
        };
        if (activation is not null)
        {
            layers.Add(("act", activation));
        }
        counter.Height = (counter.Height + 2 * (kernel / 2) - kernel) / stride + 1;
        counter.Width = (counter.Width + 2 * (kernel / 2) - kernel) / stride + 1;
        counter.Macs += kernel * kernel * (input / groups) * output * counter.Height * counter.Width;
        return nn.Sequential(layers);
    }

    /// <summary>Spatial size and multiply-adds so far.</summary>
    private sealed class MacCounter(long height, long width)
    {
        public long Height = height;
        public long Width = width;
        public long Macs;
    }

    /// <summary>Expansion, depthwise, optional squeeze-and-excitation, linear projection, identity shortcut when shapes agree.</summary>
    private sealed class InvertedResidual : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> expand;
        private readonly nn.Module<Tensor, Tensor> depthwise;
        private readonly nn.Module<Tensor, Tensor>? excite;
        private readonly nn.Module<Tensor, Tensor> project;
        private readonly bool _residual;

        public InvertedResidual(MacCounter counter, long input, long expanded, long output, long stride, long squeeze, bool hardSwish)
            : base(nameof(InvertedResidual))
        {
            expand = ConvBn(counter, input, expanded, 1, 1, hardSwish ? nn.Hardswish() : nn.ReLU6());
            depthwise = ConvBn(counter, expanded, expanded, 3, stride, hardSwish ? nn.Hardswish() : nn.ReLU6(), depthwise: true);
            if (squeeze > 0)
            {
                excite = nn.Sequential(
                    ("pool", nn.AdaptiveAvgPool2d(1)),
                    ("flatten", nn.Flatten()),
                    ("reduce", nn.Linear(expanded, squeeze)),
                    ("relu", nn.ReLU()),
                    ("expand", nn.Linear(squeeze, expanded)),
                    ("gate", nn.Hardsigmoid()));
                counter.Macs += 2 * expanded * squeeze;
            }
            project = ConvBn(counter, expanded, output, 1, 1, activation: null);
            _residual = stride == 1 && input == output;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = depthwise.forward(expand.forward(x));
            if (excite is not null)
            {
                var gate = excite.forward(y);
                y = y * gate.view(gate.shape[0], gate.shape[1], 1, 1);
            }
            y = project.forward(y);
            if (_residual)
            {
                y = y + x;
            }
            return y.MoveToOuterDisposeScope();
        }
    }
}
