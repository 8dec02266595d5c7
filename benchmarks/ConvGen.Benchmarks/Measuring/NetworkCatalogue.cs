using System;

namespace ConvGen.Benchmarks;

/// <summary>The reference networks by their short names (seed, lenet, fashion, mobilenet).</summary>
public static class NetworkCatalogue
{
    /// <summary>A new instance of the named network with weights from <paramref name="seed"/>.</summary>
    public static ITrainableNetwork Create(string name, ulong seed = 1) => name switch
    {
        "seed" => SeedNet.Create(seed),
        "lenet" => LeNet.Create(seed),
        "fashion" => FashionNet.Create(seed),
        "mobilenet" => MobileNet.Create(seed),
        _ => throw new ArgumentException($"unknown network '{name}'; expected seed, lenet, fashion or mobilenet.", nameof(name)),
    };
}
