using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Benchmarks.Layers;

/// <summary>One layer of a reference network, as the one-layer networks of LayerNetworks.cs.</summary>
/// <param name="Name">net.layer, e.g. <c>fashion.conv2</c>.</param>
/// <param name="Alone">The layer alone (forward; backward as a first layer).</param>
/// <param name="Chained">The layer behind a 1x1 prefix (backward with input gradient); null for a network's first layer.</param>
/// <param name="Prefix">The prefix alone; null for a network's first layer.</param>
public sealed record LayerCase(string Name, Func<ITrainableNetwork> Alone, Func<ITrainableNetwork>? Chained, Func<ITrainableNetwork>? Prefix)
{
    /// <summary>True for the first layer of its network, whose backward computes no input gradient.</summary>
    public bool IsFirst => Chained is null;

    /// <summary>Forward multiply-adds per sample (0 for pooling).</summary>
    public long ForwardMacs { get; } = FlopCounter.ForwardMacs(Alone());

    /// <summary>Backward multiply-adds per sample: the weight gradient, plus the input gradient unless first.</summary>
    public long BackwardMacs => IsFirst ? ForwardMacs : 2 * ForwardMacs;

    /// <summary>
    /// Bytes the forward must move per sample at least: the input read, the output written, and
    /// (once per call, spread over the batch by <see cref="ForwardBytes"/>) the parameters.
    /// </summary>
    public (long PerSample, long PerCall) ForwardTraffic { get; } = Traffic(Alone());

    /// <summary>Forward bytes of one call of <paramref name="batch"/> samples.</summary>
    public long ForwardBytes(int batch) => ForwardTraffic.PerSample * batch + ForwardTraffic.PerCall;

    /// <summary>
    /// Backward bytes of one call: the weight gradient reads the input and the output gradient, the
    /// input gradient (unless first) reads the output gradient again and writes the input gradient;
    /// the parameters are read and their gradients read and written.
    /// </summary>
    public long BackwardBytes(int batch)
    {
        var network = Alone();
        long input = sizeof(float) * (long)network.InputShape.Length;
        long output = sizeof(float) * (long)network.OutputShape.Length;
        long perSample = IsFirst ? input + output : 2 * input + 2 * output;
        return perSample * batch + 3 * ForwardTraffic.PerCall;
    }

    private static (long, long) Traffic(ITrainableNetwork network) =>
        (sizeof(float) * ((long)network.InputShape.Length + network.OutputShape.Length), sizeof(float) * (long)network.Parameters.Length);

    public override string ToString() => Name;
}

/// <summary>Every measured layer of seed, lenet and fashion, and the depthwise layers of mobilenet, in network order.</summary>
public static class LayerCases
{
    public static IReadOnlyList<LayerCase> All { get; } = new LayerCase[]
    {
        new("seed.conv1", () => SeedConv1.Create(1), null, null),
        new("seed.pool1", () => SeedPool1.Create(1), () => SeedPool1Chained.Create(1), () => SeedPool1Prefix.Create(1)),
        new("seed.conv2", () => SeedConv2.Create(1), () => SeedConv2Chained.Create(1), () => SeedConv2Prefix.Create(1)),
        new("seed.pool2", () => SeedPool2.Create(1), () => SeedPool2Chained.Create(1), () => SeedPool2Prefix.Create(1)),
        new("seed.dense1", () => SeedDense1.Create(1), () => SeedDense1Chained.Create(1), () => SeedDense1Prefix.Create(1)),
        new("seed.dense2", () => SeedDense2.Create(1), () => SeedDense2Chained.Create(1), () => SeedDense2Prefix.Create(1)),

        new("lenet.conv1", () => LeNetConv1.Create(1), null, null),
        new("lenet.pool1", () => LeNetPool1.Create(1), () => LeNetPool1Chained.Create(1), () => LeNetPool1Prefix.Create(1)),
        new("lenet.conv2", () => LeNetConv2.Create(1), () => LeNetConv2Chained.Create(1), () => LeNetConv2Prefix.Create(1)),
        new("lenet.pool2", () => LeNetPool2.Create(1), () => LeNetPool2Chained.Create(1), () => LeNetPool2Prefix.Create(1)),
        new("lenet.dense1", () => LeNetDense1.Create(1), () => LeNetDense1Chained.Create(1), () => LeNetDense1Prefix.Create(1)),
        new("lenet.dense2", () => LeNetDense2.Create(1), () => LeNetDense2Chained.Create(1), () => LeNetDense2Prefix.Create(1)),
        new("lenet.dense3", () => LeNetDense3.Create(1), () => LeNetDense3Chained.Create(1), () => LeNetDense3Prefix.Create(1)),

        new("fashion.conv1", () => FashionConv1.Create(1), null, null),
        new("fashion.pool1", () => FashionPool1.Create(1), () => FashionPool1Chained.Create(1), () => FashionPool1Prefix.Create(1)),
        new("fashion.conv2", () => FashionConv2.Create(1), () => FashionConv2Chained.Create(1), () => FashionConv2Prefix.Create(1)),
        new("fashion.pool2", () => FashionPool2.Create(1), () => FashionPool2Chained.Create(1), () => FashionPool2Prefix.Create(1)),
        new("fashion.dense1", () => FashionDense1.Create(1), () => FashionDense1Chained.Create(1), () => FashionDense1Prefix.Create(1)),
        new("fashion.dense2", () => FashionDense2.Create(1), () => FashionDense2Chained.Create(1), () => FashionDense2Prefix.Create(1)),

        new("mobilenet.dw1", () => MobileNetDw1.Create(1), () => MobileNetDw1Chained.Create(1), () => MobileNetDw1Prefix.Create(1)),
        new("mobilenet.dw2", () => MobileNetDw2.Create(1), () => MobileNetDw2Chained.Create(1), () => MobileNetDw2Prefix.Create(1)),
        new("mobilenet.dw3", () => MobileNetDw3.Create(1), () => MobileNetDw3Chained.Create(1), () => MobileNetDw3Prefix.Create(1)),
        new("mobilenet.dw4", () => MobileNetDw4.Create(1), () => MobileNetDw4Chained.Create(1), () => MobileNetDw4Prefix.Create(1)),
        new("mobilenet.dw5", () => MobileNetDw5.Create(1), () => MobileNetDw5Chained.Create(1), () => MobileNetDw5Prefix.Create(1)),
    };

    /// <summary>The distinct forward convolution shapes of ResNet-18 (ResNetLayerNetworks.cs), for ResNetLayerBenchmarks: forward only.</summary>
    public static IReadOnlyList<LayerCase> ResNet { get; } = new LayerCase[]
    {
        new("resnet.stem", () => ResNetStem.Create(1), null, null),
        new("resnet.conv64", () => ResNetConv64.Create(1), null, null),
        new("resnet.down128", () => ResNetDown128.Create(1), null, null),
        new("resnet.proj128", () => ResNetProjection128.Create(1), null, null),
        new("resnet.conv128", () => ResNetConv128.Create(1), null, null),
        new("resnet.down256", () => ResNetDown256.Create(1), null, null),
        new("resnet.proj256", () => ResNetProjection256.Create(1), null, null),
        new("resnet.conv256", () => ResNetConv256.Create(1), null, null),
        new("resnet.down512", () => ResNetDown512.Create(1), null, null),
        new("resnet.proj512", () => ResNetProjection512.Create(1), null, null),
        new("resnet.conv512", () => ResNetConv512.Create(1), null, null),
    };

    public static LayerCase Get(string name) =>
        All.Concat(ResNet).FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"unknown layer '{name}'.", nameof(name));
}
