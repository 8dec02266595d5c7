using System;

namespace ConvGen.Benchmarks;

/// <summary>The reference networks by their short names (seed, lenet, fashion, mobilenet, unet).</summary>
public static class NetworkCatalogue
{
    /// <summary>A new instance of the named network with weights from <paramref name="seed"/>.</summary>
    public static ITrainableNetwork Create(string name, ulong seed = 1) => name switch
    {
        "seed" => SeedNet.Create(seed),
        "lenet" => LeNet.Create(seed),
        "fashion" => FashionNet.Create(seed),
        "mobilenet" => MobileNet.Create(seed),
        // The U-Net of samples/Segmentation (UNet.cs is compiled in, not copied): 64x64x3 to 4 classes per pixel.
        "unet" => global::Segmentation.ShapesUNet.Create(seed),
        _ => throw new ArgumentException($"unknown network '{name}'; expected seed, lenet, fashion, mobilenet or unet.", nameof(name)),
    };
}
