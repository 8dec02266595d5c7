using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.Benchmarks.Torch;

/// <summary>
/// `unet`, layer for layer the U-Net of samples/Segmentation/UNet.cs (64x64x3 to 4 classes per
/// pixel): two encoder levels of two 3x3 convolutions (same padding, no bias, BatchNorm, ReLU)
/// with 2x2 max pooling between them, a 48-channel bottleneck at 16x16, and two decoder levels
/// that double the map with a 2x2 stride-2 transposed convolution (bias, ReLU), concatenate it
/// with the encoder map of the same size (transposed output first, as the sample's
/// Concatenate("up2", "encoder2")), then convolve again; a 1x1 convolution with bias gives the
/// 4 class logits per pixel. The sample ends in softmax: training here feeds the logits to
/// cross_entropy (ConvGen fuses that softmax into its loss the same way) and inference applies
/// the softmax (see <see cref="TorchNetwork.SoftmaxAtInference"/>). BatchNorm uses Keras's
/// epsilon (1e-3) and momentum (0.99, torch's 0.01), as ConvGen's [BatchNorm].
/// Multiply-adds are counted as ConvGen's FlopCounter does: weights x output pixels, and for a
/// transposed convolution weights x input pixels.
/// </summary>
internal sealed class TorchUNet : nn.Module<Tensor, Tensor>
{
    private const long Size = 64;
    private const long Classes = 4;

    private readonly nn.Module<Tensor, Tensor> encoder1;
    private readonly nn.Module<Tensor, Tensor> encoder2;
    private readonly nn.Module<Tensor, Tensor> bottleneck;
    private readonly nn.Module<Tensor, Tensor> up2;
    private readonly nn.Module<Tensor, Tensor> decoder2;
    private readonly nn.Module<Tensor, Tensor> up1;
    private readonly nn.Module<Tensor, Tensor> decoder1;
    private readonly nn.Module<Tensor, Tensor> classes;
    private readonly nn.Module<Tensor, Tensor> pool;

    /// <summary>Forward multiply-adds of one image.</summary>
    public long ForwardMacs { get; }

    public static TorchNetwork Create()
    {
        var model = new TorchUNet();
        return new TorchNetwork(model, model.ForwardMacs, new long[] { 3, Size, Size }, Classes, new long[] { Size, Size }, SoftmaxAtInference: true);
    }

    private TorchUNet() : base(nameof(TorchUNet))
    {
        long macs = 0;
        encoder1 = nn.Sequential(("conv1", ConvBnRelu(3, 12, Size, ref macs)), ("conv2", ConvBnRelu(12, 12, Size, ref macs)));        // [12,64,64]
        pool = nn.MaxPool2d(2);
        encoder2 = nn.Sequential(("conv1", ConvBnRelu(12, 24, Size / 2, ref macs)), ("conv2", ConvBnRelu(24, 24, Size / 2, ref macs))); // [24,32,32]
        bottleneck = nn.Sequential(("conv1", ConvBnRelu(24, 48, Size / 4, ref macs)), ("conv2", ConvBnRelu(48, 48, Size / 4, ref macs))); // [48,16,16]
        up2 = UpRelu(48, 24, Size / 4, ref macs);                                                                                      // [24,32,32]
        decoder2 = nn.Sequential(("conv1", ConvBnRelu(48, 24, Size / 2, ref macs)), ("conv2", ConvBnRelu(24, 24, Size / 2, ref macs))); // [24,32,32]
        up1 = UpRelu(24, 12, Size / 2, ref macs);                                                                                      // [12,64,64]
        decoder1 = ConvBnRelu(24, 12, Size, ref macs);                                                                                 // [12,64,64]
        classes = nn.Conv2d(12, Classes, 1);                                                                                           // [4,64,64]
        macs += 12 * Classes * Size * Size;
        ForwardMacs = macs;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var skip1 = encoder1.forward(x);
        var skip2 = encoder2.forward(pool.forward(skip1));
        var y = bottleneck.forward(pool.forward(skip2));
        y = decoder2.forward(torch.cat(new[] { up2.forward(y), skip2 }, 1));
        y = decoder1.forward(torch.cat(new[] { up1.forward(y), skip1 }, 1));
        return classes.forward(y).MoveToOuterDisposeScope();
    }

    /// <summary>3x3 convolution with same padding and no bias, BatchNorm, ReLU, on a <paramref name="size"/> x <paramref name="size"/> map.</summary>
    private static nn.Module<Tensor, Tensor> ConvBnRelu(long input, long output, long size, ref long macs)
    {
        macs += 3 * 3 * input * output * size * size;
        return nn.Sequential(
            ("conv", nn.Conv2d(input, output, 3, padding: 1, bias: false)),
            ("bn", nn.BatchNorm2d(output, eps: 1e-3, momentum: 0.01)),
            ("relu", nn.ReLU()));
    }

    /// <summary>2x2 stride-2 transposed convolution with bias and ReLU from a <paramref name="inputSize"/> square map (each input pixel scatters 2x2 x output products).</summary>
    private static nn.Module<Tensor, Tensor> UpRelu(long input, long output, long inputSize, ref long macs)
    {
        macs += 2 * 2 * input * output * inputSize * inputSize;
        return nn.Sequential(
            ("up", nn.ConvTranspose2d(input, output, 2, stride: 2)),
            ("relu", nn.ReLU()));
    }
}
